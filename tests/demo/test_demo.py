"""The built-in demo: every DEMO_FACTS record is loaded, and loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps

from mogao.catalogue.models import Item, Join, Work
from mogao.demo import builtin
from mogao.demo.loader import demo_load

pytestmark = pytest.mark.django_db

COUNTED = [
    "catalogue.Institution", "catalogue.Collection", "catalogue.Work", "catalogue.WorkCreator",
    "catalogue.Item", "catalogue.ItemWork", "catalogue.Join", "catalogue.JoinMember",
    "knowledge.Person", "knowledge.Place", "knowledge.Period", "auth.User", "accounts.Curatorship",
    "stories.Story", "stories.Step", "stories.HistoricalStory", "stories.HistoricalStep",
]


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_loading_twice_gives_identical_row_counts() -> None:
    demo_load(echo=lambda _: None)
    first = _counts()
    demo_load(echo=lambda _: None)
    assert _counts() == first
    assert first["catalogue.Item"] == len(builtin.ITEMS) == 16
    assert first["catalogue.Work"] == len(builtin.WORKS)
    assert first["catalogue.Join"] == 2


def test_every_item_has_titles_in_four_languages() -> None:
    demo_load(echo=lambda _: None)
    for item in Item.objects.all():
        assert {"zh-Hant", "zh-Hans", "en", "fr"} <= set(item.title), item.shelfmark
    for work in Work.objects.all():
        assert {"zh-Hant", "zh-Hans", "en", "fr"} <= set(work.title), work.pid


def test_both_london_paris_joins_and_undigitized_items_exist() -> None:
    demo_load(echo=lambda _: None)
    pairs = {
        tuple(sorted(m.item.shelfmark for m in j.members.select_related("item"))) for j in Join.objects.all()
    }
    assert pairs == {
        ("Or.8210/S.3969", "Pelliot chinois 3884"), ("IOL Tib J 750", "Pelliot tibétain 1288"),
    }
    for join in Join.objects.all():
        assert {m.item.institution.code for m in join.members.select_related("item__institution")} == {"BL", "BnF"}
    assert Item.objects.filter(digitization_status="catalogued").count() >= 5


def test_diamond_sutra_facts() -> None:
    demo_load(echo=lambda _: None)
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    assert (item.year_start, item.year_end, item.date_expression) == (868, 868, "咸通九年四月十五日")
    assert item.institution.code == "BL" and item.period is not None and item.period.pid == "xiantong"
    assert item.acquired_by is not None and item.acquired_by.pid == "aurel-stein" and item.acquisition_year == 1907
    assert item.works.get().identifiers == {"taisho": "T0235"}
