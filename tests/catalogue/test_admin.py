"""The curators' admin: language maps row by row, field-level errors, object-level permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from mogao.accounts.models import Curatorship
from mogao.accounts.policy import CURATORS_GROUP, can
from mogao.catalogue.models import Item, Join
from mogao.demo.loader import load_builtin

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None) -> None:
    load_builtin()


def _curator(username: str, institution_code: str) -> User:
    user = User.objects.create_user(username, password="pw-curator-123", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATORS_GROUP))
    from mogao.catalogue.models import Institution

    Curatorship.objects.create(user=user, institution=Institution.objects.get(code=institution_code))
    return user


@pytest.fixture
def bl_curator(demo: None) -> Client:
    client = Client()
    client.force_login(_curator("bl-curator", "BL"))
    return client


def _item_form(item: Item, **overrides: Any) -> dict[str, Any]:
    """The item change form as a browser would post it (language maps as rows)."""
    data: dict[str, Any] = {
        "institution": item.institution_id, "collection": item.collection_id or "", "shelfmark": item.shelfmark,
        "local_id": item.local_id, "item_type": item.item_type, "date_expression": item.date_expression,
        "year_start": item.year_start if item.year_start is not None else "",
        "year_end": item.year_end if item.year_end is not None else "", "period": item.period_id or "",
        "dimensions": item.dimensions, "extent": item.extent, "languages": '["lzh"]',
        "find_place": item.find_place_id or "", "acquired_by": item.acquired_by_id or "",
        "acquisition_year": item.acquisition_year or "", "rights": item.rights,
        "allow_download": "on", "digitization_status": item.digitization_status, "visibility": item.visibility,
        "item_works-TOTAL_FORMS": "0", "item_works-INITIAL_FORMS": "0",
        "canvases-TOTAL_FORMS": "0", "canvases-INITIAL_FORMS": "0",
    }
    for name in ("title", "description", "material", "provenance", "notes"):
        rows = [(tag, text) for tag, texts in getattr(item, name).items() for text in texts]
        for i, (tag, text) in enumerate([*rows, ("", "")]):
            data[f"{name}-lang-{i}"] = tag
            data[f"{name}-text-{i}"] = text
    data.update(overrides)
    return data


def test_language_map_is_edited_as_rows_not_json(bl_curator: Client) -> None:
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    html = bl_curator.get(f"/admin/catalogue/item/{item.pk}/change/").content.decode()
    assert 'name="title-lang-0"' in html and 'name="title-text-0"' in html
    assert "金剛般若波羅蜜經" in html and "{&quot;zh-Hant&quot;" not in html


def test_curator_saves_a_new_language_row(bl_curator: Client) -> None:
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    data = _item_form(item)
    last = max(int(k.rsplit("-", 1)[1]) for k in data if k.startswith("title-lang-"))
    data[f"title-lang-{last}"] = "de"
    data[f"title-text-{last}"] = "Diamant-Sutra"
    response = bl_curator.post(f"/admin/catalogue/item/{item.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.title["de"] == ["Diamant-Sutra"] and item.title["zh-Hant"] == ["金剛般若波羅蜜經"]
    assert item.history.count() >= 2  # change history is kept


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title-lang-0": "klingon"}, "unknown language tag"),
        ({"title-lang-0": "", "title-text-0": "orphan text"}, "Choose a language"),
        ({"year_start": "900", "year_end": "868"}, "before the start year"),
        ({"shelfmark": "Or.8210/S.3326"}, "already has an item with this shelfmark"),
    ],
)
def test_admin_refuses_bad_input_with_a_field_message(bl_curator: Client, overrides: dict[str, str],
                                                      message: str) -> None:
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    before = Item.objects.get(pk=item.pk)
    response = bl_curator.post(f"/admin/catalogue/item/{item.pk}/change/", _item_form(item, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    after = Item.objects.get(pk=item.pk)
    assert (after.title, after.shelfmark, after.year_end) == (before.title, before.shelfmark, before.year_end)


def test_curator_sees_and_edits_only_own_institution(bl_curator: Client) -> None:
    listing = bl_curator.get("/admin/catalogue/item/").content.decode()
    assert "Or.8210/P.2" in listing and "Pelliot chinois 3532" not in listing
    paris = Item.objects.get(shelfmark="Pelliot chinois 3532")
    response = bl_curator.get(f"/admin/catalogue/item/{paris.pk}/change/")
    assert response.status_code in (302, 403, 404)
    response = bl_curator.post(f"/admin/catalogue/item/{paris.pk}/change/", _item_form(paris, shelfmark="X"))
    assert response.status_code in (302, 403, 404)
    paris.refresh_from_db()
    assert paris.shelfmark == "Pelliot chinois 3532"


def test_curator_cannot_move_an_item_to_another_institution(bl_curator: Client) -> None:
    from mogao.catalogue.models import Institution

    item = Item.objects.get(shelfmark="Or.8210/P.6")
    bnf = Institution.objects.get(code="BnF")
    response = bl_curator.post(f"/admin/catalogue/item/{item.pk}/change/",
                               _item_form(item, institution=bnf.pk, collection=""))
    assert response.status_code == 200  # the choice is refused as invalid
    item.refresh_from_db()
    assert item.institution.code == "BL"


def test_object_permissions_for_each_role(demo: None) -> None:
    bl_item = Item.objects.get(shelfmark="Or.8210/P.2")
    bnf_item = Item.objects.get(shelfmark="Pelliot chinois 3532")
    join = Join.objects.first()
    reader = User.objects.create_user("reader", password="pw-reader-123")
    admin = User.objects.create_superuser("boss", password="pw-admin-123")
    curator = _curator("bnf-curator", "BnF")
    assert not can(reader, "change", bl_item) and not can(reader, "change", Item)
    assert can(admin, "change", bl_item) and can(admin, "change", bnf_item)
    assert can(curator, "change", bnf_item) and not can(curator, "change", bl_item)
    assert can(curator, "change", bnf_item.canvases.model(item=bnf_item))  # objects owned through the item
    assert join is not None


def test_reader_cannot_enter_the_admin(demo: None) -> None:
    client = Client()
    client.force_login(User.objects.create_user("reader", password="pw-reader-123"))
    assert client.get("/admin/catalogue/item/").status_code == 302


def test_admin_search_finds_chinese_titles(bl_curator: Client) -> None:
    listing = bl_curator.get("/admin/catalogue/item/", {"q": "金剛"}).content.decode()
    assert "Or.8210/P.2" in listing and "Or.8210/S.3326" not in listing
