"""DILA people and places load as entities, idempotently, and link to Taishō works already loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from mogao.catalogue.models import Work, WorkCreator
from mogao.knowledge.loaders import load_dila_entities
from mogao.knowledge.models import AuthorityLink, Mention, Person, Place

pytestmark = pytest.mark.shared_data


@pytest.mark.django_db
def test_load_dila_entities_is_idempotent_and_links_works(demo: dict[str, int], shared_data: Path) -> None:
    people_before = Person.objects.count()
    counts = load_dila_entities(shared_data)
    assert counts["people_created"] > 2000
    assert counts["people_matched"] >= 3  # 鳩摩羅什, 玄奘, 慧超 of the demo gain their DILA ids
    assert counts["places_created"] + counts.get("places_matched", 0) > 100  # 109 distinct DILA places
    assert Person.objects.count() == people_before + counts["people_created"]
    kumarajiva = Person.objects.get(pid="kumarajiva")
    assert AuthorityLink.objects.filter(object_id=kumarajiva.pk, scheme="dila-person", identifier="A001583").exists()
    # T0235 already names Kumārajīva: no second creator row; its DILA place (草堂寺) is linked
    diamond = Work.objects.get(pid="t0235-diamond-sutra")
    assert WorkCreator.objects.filter(work=diamond).count() == 1
    place_mentions = Mention.objects.filter(work=diamond, role="production_place", source="imported")
    assert place_mentions.count() == 1
    caotang = place_mentions.get().entity
    assert isinstance(caotang, Place) and caotang.label() == "草堂寺" and 33 < caotang.latitude < 35
    again = load_dila_entities(shared_data / "catalogue" / "dila_authority_catalog_T.json")
    assert again.get("people_created", 0) == 0 and again.get("places_created", 0) == 0
    assert again.get("work_creators", 0) == 0 and again.get("work_places", 0) == 0
    assert again["people_unchanged"] == counts["people_created"] + counts["people_matched"]


@pytest.mark.django_db
def test_new_works_get_creators_with_roles(shared_data: Path) -> None:
    from mogao.catalogue import services

    work, _ = services.work_upsert(key=("taisho", "T0001"), identifiers={"taisho": "T0001"},
                                   title={"zh-Hant": ["長阿含經"]})
    load_dila_entities(shared_data)
    roles = {(c.person.label(), c.role) for c in work.creators.select_related("person")}
    assert roles == {("佛陀耶舍", "translator"), ("竺佛念", "translator")}


@pytest.mark.django_db
def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as exc:
        load_dila_entities(tmp_path / "nothing-here")
    assert "path" in exc.value.message_dict


@pytest.mark.django_db
def test_toolkit_periods_load_once_and_keep_the_demo_periods(demo: dict[str, int]) -> None:
    from mogao.knowledge.loaders import load_toolkit_periods
    from mogao.knowledge.models import Period

    tang = Period.objects.get(pid="tang")
    counts = load_toolkit_periods()
    assert counts["dynasties_created"] > 40 and counts["eras_created"] > 500
    assert counts["dynasties_unchanged"] >= 2  # 唐 and 清 of the demo (後秦 is not in the toolkit's list)
    later_qin = Period.objects.get(pid="later-qin")
    assert Period.objects.filter(kind="reign_era", parent=later_qin).exists()  # 弘始, Kumārajīva's era
    kaiyuan = Period.objects.filter(kind="reign_era", name__icontains="Kaiyuan", year_start=713)
    assert kaiyuan.count() == 1 and kaiyuan.get().pid == "kaiyuan"
    zhenguan = Period.objects.get(kind="reign_era", year_start=627, parent=tang)
    assert "貞觀" in zhenguan.name["zh-Hant"]
    han = Period.objects.filter(kind="dynasty", year_start=-206).first()  # 漢 and 西漢
    assert han is not None
    assert han.year_start < 0 < han.year_end
    assert load_toolkit_periods().get("eras_created", 0) == 0
