"""Bad input to the knowledge layer is refused with a message naming the field."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mogao.knowledge import services
from mogao.knowledge.models import AuthorityLink, Mention, Period, Person, Place


@pytest.mark.django_db
@pytest.mark.parametrize(("lat", "lon", "field"), [(95.0, 10.0, "latitude"), (-91, 0, "latitude"),
                                                   (10.0, 181.0, "longitude"), (10.0, -200, "longitude")])
def test_coordinates_out_of_range_are_refused(lat: float, lon: float, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.entity_upsert(model=Place, name={"en": ["Nowhere"]}, latitude=lat, longitude=lon)
    assert field in exc.value.message_dict
    assert "between" in " ".join(exc.value.message_dict[field])
    assert not Place.objects.exists()


@pytest.mark.django_db
def test_half_a_coordinate_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        services.entity_upsert(model=Place, name={"en": ["Half"]}, latitude=40.0)
    assert "longitude" in exc.value.message_dict


@pytest.mark.django_db
def test_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        services.entity_upsert(model=Period, name={"en": ["Backwards"]}, year_start=907, year_end=618)
    assert "year_end" in exc.value.message_dict
    assert "before the start year" in exc.value.message_dict["year_end"][0]
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_bce_period_is_accepted() -> None:
    period, created = services.entity_upsert(
        model=Period, name={"en": ["Warring States"], "zh-Hant": ["戰國"]}, year_start=-475, year_end=-221
    )
    assert created and period.pid == "warring-states"


@pytest.mark.django_db
@pytest.mark.parametrize(("scheme", "identifier"), [
    ("wikidata", "42"), ("wikidata", "Q0"), ("viaf", "abc"), ("dila-person", "A12345"),
    ("dila-place", "PL42"), ("geonames", "x1"), ("taisho", "0235"), ("cbdb", "12345678"),
])
def test_malformed_authority_identifier_is_refused(scheme: str, identifier: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.entity_upsert(model=Person, name={"en": ["Someone"]}, authority=[(scheme, identifier)])
    assert "identifier" in exc.value.message_dict
    assert identifier in exc.value.message_dict["identifier"][0]
    # atomic: the person is not half-saved without its link
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_unknown_authority_scheme_is_refused() -> None:
    person, _ = services.entity_upsert(model=Person, name={"en": ["Someone"]})
    with pytest.raises(ValidationError) as exc:
        services.authority_link_add(entity=person, scheme="isni", identifier="0000000121")
    assert "scheme" in exc.value.message_dict


@pytest.mark.django_db
def test_valid_authority_links_and_urls() -> None:
    person, _ = services.entity_upsert(
        model=Person, name={"en": ["Kumārajīva"]}, authority=[("dila-person", "A001583"), ("wikidata", "Q310899")]
    )
    place, _ = services.entity_upsert(model=Place, name={"zh-Hant": ["草堂寺"]}, latitude=34.0, longitude=108.7,
                                      authority=[("dila-place", "PL000000042657")])
    links = {str(a): a.url for a in AuthorityLink.objects.all()}
    assert links["dila-person:A001583"].endswith("A001583")
    assert links["wikidata:Q310899"] == "https://www.wikidata.org/wiki/Q310899"
    assert "dila-place:PL000000042657" in links
    again, created = services.entity_upsert(model=Person, name={"en": ["Kumarajiva"]},
                                            authority=[("dila-person", "A001583")])
    assert not created and again.pk == person.pk and place.pk


@pytest.mark.django_db
def test_mention_needs_one_target_and_a_sane_span(demo: dict[str, int]) -> None:
    from mogao.catalogue.models import Item, Work

    person = Person.objects.get(pid="wang-jie")
    with pytest.raises(ValidationError) as exc:
        services.mention_add(entity=person, role=Mention.Role.SCRIBE)
    assert "item" in exc.value.message_dict
    item, work = Item.objects.first(), Work.objects.first()
    with pytest.raises(ValidationError) as exc:
        services.mention_add(entity=person, role=Mention.Role.SCRIBE, item=item, work=work)
    assert "work" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.mention_add(entity=person, role=Mention.Role.SCRIBE, item=item, span_start=5, span_end=2)
    assert "span_end" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.mention_add(entity=person, role=Mention.Role.SCRIBE, item=item, confidence=1.5)
    assert "confidence" in exc.value.message_dict


@pytest.mark.django_db
def test_admin_form_refuses_bad_place(admin_client) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post("/admin/knowledge/place/add/", {
        "name-lang-0": "en", "name-text-0": "Atlantis", "aliases": "[]",
        "latitude": "123", "longitude": "10",
        "knowledge-authoritylink-content_type-object_id-TOTAL_FORMS": "0",
        "knowledge-authoritylink-content_type-object_id-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert "Latitude must lie between -90 and 90." in response.content.decode()
    assert not Place.objects.exists()


@pytest.mark.django_db
def test_admin_search_finds_chinese_names(demo: dict[str, int], admin_client) -> None:  # type: ignore[no-untyped-def]
    html = admin_client.get("/admin/knowledge/person/", {"q": "鳩摩羅什"}).content.decode()
    assert "kumarajiva" in html and "aurel-stein" not in html
    html = admin_client.get("/admin/knowledge/place/", {"q": "藏經洞"}).content.decode()
    assert "mogao-library-cave" in html
