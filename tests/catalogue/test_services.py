"""Catalogue services: idempotent upserts, stable pids, and refusal of bad input with nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mogao.catalogue import services
from mogao.catalogue.models import Institution, Item, ItemWork, Join, Work

pytestmark = pytest.mark.django_db

TITLE = {"zh-Hant": ["金剛般若波羅蜜經"], "en": ["Diamond Sūtra"]}


def test_item_upsert_creates_then_is_unchanged_then_updates(bl: Institution, diamond: Work) -> None:
    item, outcome = services.item_upsert(
        institution=bl, shelfmark="Or.8210/P.2", title=TITLE, works=[(diamond, "text")],
        year_start=868, year_end=868,
    )
    assert outcome == "created"
    assert item.pid == "bl-or-8210-p-2"
    again, outcome = services.item_upsert(
        institution=bl, shelfmark="Or.8210/P.2", title=TITLE, works=[(diamond, "text")],
        year_start=868, year_end=868,
    )
    assert (again.pk, outcome) == (item.pk, "unchanged")
    _, outcome = services.item_upsert(
        institution=bl, shelfmark="Or.8210/P.2", title=TITLE, works=[(diamond, "text")],
        year_start=868, year_end=868, dimensions="about 5 m long",
    )
    assert outcome == "updated"
    assert Item.objects.count() == 1 and ItemWork.objects.count() == 1


def test_pid_never_changes_when_the_shelfmark_is_corrected(bl: Institution) -> None:
    item, _ = services.item_upsert(institution=bl, local_id="rec-1", shelfmark="Or 8210 P2", title=TITLE)
    pid = item.pid
    item, outcome = services.item_upsert(institution=bl, local_id="rec-1", shelfmark="Or.8210/P.2", title=TITLE)
    assert outcome == "updated" and item.pid == pid and item.get_absolute_url() == f"/items/{pid}"


def test_same_shelfmark_in_two_institutions_gets_two_pids(bl: Institution, bnf: Institution) -> None:
    a, _ = services.item_upsert(institution=bl, shelfmark="X 1", title=TITLE)
    b, _ = services.item_upsert(institution=bnf, shelfmark="X 1", title=TITLE)
    assert a.pid != b.pid


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": {"english": ["x"]}}, "title", "unknown language tag"),
        ({"title": "just a string"}, "title", "language map"),
        ({"title": {}}, "title", "at least one language"),
        ({"title": TITLE, "description": {"en": [3]}}, "description", "must be text"),
        ({"title": TITLE, "year_start": 900, "year_end": 868}, "year_end", "before the start year"),
        ({"title": TITLE, "year_start": -90000}, "year_start", "between"),
        ({"title": TITLE, "languages": "lzh"}, "languages", "list"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_nothing_saved(
    bl: Institution, fields: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as err:
        services.item_upsert(institution=bl, shelfmark="S.1", **fields)
    assert field in err.value.message_dict
    assert message in " ".join(err.value.message_dict[field])
    assert Item.objects.count() == 0


def test_duplicate_shelfmark_within_an_institution_is_refused(bl: Institution) -> None:
    services.item_upsert(institution=bl, shelfmark="S.1", local_id="a", title=TITLE)
    with pytest.raises(ValidationError) as err:
        services.item_upsert(institution=bl, shelfmark="S.1", local_id="b", title=TITLE)
    assert "already has an item with this shelfmark" in str(err.value)
    assert Item.objects.count() == 1


def test_failed_work_links_roll_back_the_whole_item(bl: Institution) -> None:
    unsaved = Work(pid="ghost", title={"en": ["Ghost"]})
    with pytest.raises(Exception):
        services.item_upsert(institution=bl, shelfmark="S.2", title=TITLE, works=[(unsaved, "text")])
    assert not Item.objects.filter(shelfmark="S.2").exists()


def test_collection_of_another_institution_is_refused(bl: Institution, bnf: Institution) -> None:
    coll, _ = services.collection_upsert(institution=bnf, code="pelliot", name={"en": ["Pelliot"]})
    with pytest.raises(ValidationError) as err:
        services.item_upsert(institution=bl, shelfmark="S.3", title=TITLE, collection=coll)
    assert "collection" in err.value.message_dict


def test_join_upsert_is_idempotent_and_needs_two_items(bl: Institution, bnf: Institution) -> None:
    a, _ = services.item_upsert(institution=bl, shelfmark="S.3969", title=TITLE)
    b, _ = services.item_upsert(institution=bnf, shelfmark="P.3884", title=TITLE)
    join, created = services.join_upsert(items=[a, b], evidence={"en": ["same hand"]})
    again, created_again = services.join_upsert(items=[a, b], evidence={"en": ["same hand"]})
    assert created and not created_again and join.pk == again.pk
    assert Join.objects.count() == 1
    with pytest.raises(ValidationError):
        services.join_upsert(items=[a])
    with pytest.raises(ValidationError):
        services.join_upsert(items=[a, b], confidence=1.5)


def test_institution_coordinates_are_checked(db: None) -> None:
    with pytest.raises(ValidationError) as err:
        services.institution_upsert(code="XX", name={"en": ["X"]}, latitude=123.0)
    assert "latitude" in err.value.message_dict
    assert not Institution.objects.filter(code="XX").exists()
