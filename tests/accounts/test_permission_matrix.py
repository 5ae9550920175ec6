"""The permission matrix: every role × action × own/other institution × public/private.

For each cell the test asks ``policy.can`` AND the real endpoint (admin change, delete, history and
revert POST, import, join admin, API write and read), and checks both against the librarian's rule
(``expected``), written here independently of the policy. Runs on SQLite and on PostgreSQL
(``MOGAO_DATABASE_URL``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mogao.accounts import policy
from mogao.catalogue.models import Institution, Item, Join, JoinMember
from mogao.ingest.models import IngestRun

from .conftest import INSTITUTIONS, ROLES, VISIBILITIES, World, curates

pytestmark = pytest.mark.django_db

ITEM_ACTIONS = ("view", "admin", "history", "change", "delete", "revert")
JOIN_ACTIONS = ("join_change", "join_delete", "join_add_item")


def expected(role: str, action: str, inst: str, vis: str) -> bool:
    """What a librarian expects: administrators all; curators their own; private hidden from others."""
    if action == "view":
        return vis == "public" or curates(role, inst)
    if action == "join_add_item":  # a curator of A adds the (inst, vis) item to a join of their own
        return role in ("curator_a", "admin") and (vis == "public" or curates(role, inst))
    return curates(role, inst)


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def user_of(world: World, role: str) -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if role == "anonymous" else world.users[role]


def item_form(item: Item, **overrides: Any) -> dict[str, Any]:
    """The item change form as a browser posts it (language maps as rows, empty inlines)."""
    data: dict[str, Any] = {
        "institution": item.institution_id, "collection": item.collection_id or "", "shelfmark": item.shelfmark,
        "local_id": item.local_id, "item_type": item.item_type, "date_expression": "", "year_start": "",
        "year_end": "", "period": "", "dimensions": "", "extent": "", "languages": "[]", "find_place": "",
        "acquired_by": "", "acquisition_year": "", "rights": item.rights, "allow_download": "on",
        "digitization_status": item.digitization_status, "visibility": item.visibility,
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


def join_form(join: Join, add: Item | None = None) -> dict[str, Any]:
    members = list(join.members.order_by("order", "id"))
    data: dict[str, Any] = {
        "label_map-lang-0": "en", "label_map-text-0": "changed", "label_map-lang-1": "", "label_map-text-1": "",
        "evidence-lang-0": "", "evidence-text-0": "", "confidence": "1.0", "asserted_by": "", "status": "accepted",
        "members-TOTAL_FORMS": str(len(members) + (1 if add else 0)), "members-INITIAL_FORMS": str(len(members)),
        "members-MIN_NUM_FORMS": "0", "members-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(members):
        data.update({f"members-{i}-id": m.pk, f"members-{i}-join": join.pk, f"members-{i}-item": m.item_id,
                     f"members-{i}-order": m.order})
    if add is not None:
        i = len(members)
        data.update({f"members-{i}-join": join.pk, f"members-{i}-item": add.pk, f"members-{i}-order": i})
    return data


def http_allows(world: World, role: str, action: str, inst: str, vis: str) -> bool:
    """Perform ``action`` through the real endpoint and report whether it took effect."""
    client = client_for(world, role)
    item = world.items[(inst, vis)]
    url = f"/admin/catalogue/item/{item.pk}/"
    if action == "view":
        response = client.get(f"/api/v1/items/{item.pid}")
        assert response.status_code in (200, 404)  # hidden answers exactly like missing (never 403)
        api_visible = response.status_code == 200
        # The public API lists public records only; it must never show what the policy hides.
        assert api_visible == (vis == "public")
        return api_visible or policy.can(user_of(world, role), "view", item)
    if action == "admin":
        return client.get(f"{url}change/").status_code == 200
    if action == "history":
        response = client.get(f"{url}history/")
        assert response.status_code != 403 or role in ("anonymous", "reader", "curator_b_nostaff")
        return response.status_code == 200
    if action == "change":
        response = client.post(f"{url}change/", item_form(item, shelfmark="CHANGED"))
        item.refresh_from_db()
        return item.shelfmark == "CHANGED"
    if action == "delete":
        client.post(f"{url}delete/", {"post": "yes"})
        return not Item.objects.filter(pk=item.pk).exists()
    if action == "revert":
        version = item.history.earliest()
        response = client.post(f"{url}history/{version.history_id}/", item_form(item, shelfmark="REVERTED"))
        assert response.status_code in (200, 302, 403, 404)
        item.refresh_from_db()
        return item.shelfmark == "REVERTED"
    raise AssertionError(action)


@pytest.mark.parametrize("vis", VISIBILITIES)
@pytest.mark.parametrize("inst", INSTITUTIONS)
@pytest.mark.parametrize("action", ITEM_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_items(world: World, role: str, action: str, inst: str, vis: str) -> None:
    want = expected(role, action, inst, vis)
    item = world.items[(inst, vis)]
    assert policy.can(user_of(world, role), action, item) is want
    assert http_allows(world, role, action, inst, vis) is want


@pytest.mark.parametrize("vis", VISIBILITIES)
@pytest.mark.parametrize("inst", INSTITUTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_api_write(world: World, role: str, inst: str, vis: str) -> None:
    """PATCH with a token: 200 when allowed, 404 when the record is hidden, else 403 (401 anonymous)."""
    item = world.items[(inst, vis)]
    user = user_of(world, role)
    want = expected(role, "change", inst, vis)
    assert policy.can(user, "change", item) is want
    headers = {} if role == "anonymous" else {"authorization": f"Bearer {world.tokens[role]}"}
    response = Client().patch(f"/api/v1/items/{item.pid}", data=json.dumps({"extent": "2 leaves"}),
                              content_type="application/json", headers=headers)
    if role == "anonymous":
        assert response.status_code == 401
    elif want:
        assert response.status_code == 200, response.content
    elif not policy.can(user, "api_write"):
        assert response.status_code == 403  # readers and non-staff accounts may not write at all
    elif not policy.can(user, "view", item):
        assert response.status_code == 404
    else:
        assert response.status_code == 403
    item.refresh_from_db()
    assert (item.extent == "2 leaves") is want


@pytest.mark.parametrize("inst", INSTITUTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_import(world: World, role: str, inst: str) -> None:
    """The import form offers and accepts only institutions the user may import into."""
    institution = world.institutions[inst]
    want = expected(role, "import", inst, "public")
    assert policy.can(user_of(world, role), "import", institution) is want
    csv = f"identifier,institution,title@en\nNEW-1,{institution.code},New\n".encode()
    response = client_for(world, role).post("/admin/ingest/ingestrun/import/", {
        "kind": "csv", "institution": institution.pk, "oai_prefix": "oai_dc",
        "uploads": SimpleUploadedFile("items.csv", csv, content_type="text/csv"),
    })
    assert (response.status_code == 302 and IngestRun.objects.exists()) is want


@pytest.mark.parametrize("vis", VISIBILITIES)
@pytest.mark.parametrize("inst", INSTITUTIONS)
@pytest.mark.parametrize("action", JOIN_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_joins(world: World, role: str, action: str, inst: str, vis: str) -> None:
    user, client = user_of(world, role), client_for(world, role)
    want = expected(role, action, inst, vis)
    if action == "join_add_item":
        own = world.join("A", "public")  # A's own join; try to add the (inst, vis) item
        if (inst, vis) == ("A", "public"):
            pytest.skip("already a member")
        target = world.items[(inst, vis)]
        assert (policy.can(user, "change", own) and policy.can(user, "view", target)) is want
        client.post(f"/admin/catalogue/join/{own.pk}/change/", join_form(own, add=target))
        assert JoinMember.objects.filter(join=own, item=target).exists() is want
        return
    join = world.join(inst, vis)
    if action == "join_change":
        assert policy.can(user, "change", join) is want
        client.post(f"/admin/catalogue/join/{join.pk}/change/", join_form(join))
        join.refresh_from_db()
        assert (join.label_map == {"en": ["changed"]}) is want
    else:
        assert policy.can(user, "delete", join) is want
        client.post(f"/admin/catalogue/join/{join.pk}/delete/", {"post": "yes"})
        assert (not Join.objects.filter(pk=join.pk).exists()) is want


@pytest.mark.parametrize("inst", INSTITUTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_institutions_and_collections(world: World, role: str, inst: str) -> None:
    """Institution records: change own only; a revert cannot reach another institution's record."""
    from mogao.catalogue import services

    institution = world.institutions[inst]
    user, client = user_of(world, role), client_for(world, role)
    want = expected(role, "change", inst, "public")
    assert policy.can(user, "change", institution) is want
    response = client.get(f"/admin/catalogue/institution/{institution.pk}/change/")
    assert (response.status_code == 200) is want
    collection = services.collection_upsert(institution=institution, code="c1", name={"en": ["C"]})[0]
    assert policy.can(user, "change", collection) is want
    response = client.get(f"/admin/catalogue/collection/{collection.pk}/history/")
    assert (response.status_code == 200) is want
    assert Institution.objects.count() == 2
