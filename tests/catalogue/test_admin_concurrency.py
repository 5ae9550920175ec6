"""Stale admin forms are refused (issue #12 fault 16): two sessions open the same record, the second
save is refused with a message and nothing of it is saved."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from mogao.catalogue.models import Item, Work
from mogao.core.concurrency import VERSION_FIELD
from mogao.demo.loader import load_builtin

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(rf'<input type="hidden" name="{VERSION_FIELD}" value="([0-9a-f]+)"')


@pytest.fixture
def demo(db: None) -> None:
    load_builtin()


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


@pytest.fixture
def editors(demo: None) -> tuple[Client, Client]:
    clients = []
    for name in ("editor-a", "editor-b"):
        User.objects.create_superuser(name, f"{name}@example.org", "pw-editor-123")
        client = Client()
        client.force_login(User.objects.get(username=name))
        clients.append(client)
    return clients[0], clients[1]


def _loaded_version(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    found = HIDDEN.search(html)
    assert found, "the change form carries the version it was loaded from"
    return found.group(1)


def test_second_save_of_the_same_item_is_refused(editors: tuple[Client, Client]) -> None:
    a, b = editors
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    url = f"/admin/catalogue/item/{item.pk}/change/"
    version_a, version_b = _loaded_version(a, url), _loaded_version(b, url)
    assert version_a == version_b
    saved = a.post(url, {**_item_form(item, extent="edited by A"), VERSION_FIELD: version_a})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    refused = b.post(url, {**_item_form(item, extent="edited by B", dimensions="B"), VERSION_FIELD: version_b})
    assert refused.status_code == 200
    assert "Someone else saved this record after you opened it" in refused.content.decode()
    item.refresh_from_db()
    assert item.extent == "edited by A" and item.dimensions != "B"
    # reloading gives the new version, and a save with it goes through
    fresh = _loaded_version(b, url)
    assert fresh != version_b
    again = b.post(url, {**_item_form(item, extent="edited by B"), VERSION_FIELD: fresh})
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.extent == "edited by B"


def test_a_write_from_elsewhere_makes_an_open_form_stale(editors: tuple[Client, Client]) -> None:
    a, _ = editors
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    url = f"/admin/catalogue/item/{item.pk}/change/"
    version = _loaded_version(a, url)
    Item.objects.filter(pk=item.pk).update(extent="changed by an importer")  # no save(), no `updated`
    refused = a.post(url, {**_item_form(item, extent="from the stale form"), VERSION_FIELD: version})
    assert refused.status_code == 200 and "Nothing was saved" in refused.content.decode()
    assert Item.objects.get(pk=item.pk).extent == "changed by an importer"


def test_every_catalogue_change_form_carries_its_version(editors: tuple[Client, Client]) -> None:
    a, _ = editors
    work = Work.objects.order_by("pk").first()
    assert work is not None
    from mogao.catalogue.models import Collection, Institution

    for model, obj in (("work", work), ("institution", Institution.objects.first()),
                       ("collection", Collection.objects.first())):
        assert obj is not None
        _loaded_version(a, f"/admin/catalogue/{model}/{obj.pk}/change/")


def test_an_edit_made_only_in_an_inline_changes_the_form_version(demo: None) -> None:
    """A join has no timestamp: its members (an inline) are part of the version its form carries."""
    from django.contrib import admin

    from mogao.catalogue.models import Join, JoinMember
    from mogao.core.concurrency import form_version

    join = Join.objects.order_by("pk").first()
    assert join is not None
    join_admin = admin.site._registry[Join]
    inline_models = [inline.model for inline in join_admin.inlines]
    before = form_version(join, inline_models)
    JoinMember.objects.filter(join=join).update(order=7)
    assert form_version(join, inline_models) != before


def test_a_stale_history_revert_is_refused(editors: tuple[Client, Client]) -> None:
    """The history "revert" form is a change form too: it carries the version and is refused when stale."""
    a, _ = editors
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    item.extent = "version one"
    item.save()
    old = item.history.order_by("history_date").last()
    assert old is not None
    url = f"/admin/catalogue/item/{item.pk}/history/{old.history_id}/"
    version = _loaded_version(a, url)
    item.extent = "changed meanwhile"
    item.save()
    refused = a.post(url, {**_item_form(old.instance, extent="reverted"), VERSION_FIELD: version})
    assert refused.status_code == 200 and "Nothing was saved" in refused.content.decode()
    assert Item.objects.get(pk=item.pk).extent == "changed meanwhile"
    fresh = _loaded_version(a, url)
    done = a.post(url, {**_item_form(old.instance, extent="reverted"), VERSION_FIELD: fresh})
    assert done.status_code == 302, done.content.decode()[:3000]
    assert Item.objects.get(pk=item.pk).extent == "reverted"


#: Admin pages whose records nobody edits by hand here (logs, access control, secrets): no version.
UNVERSIONED = {
    "ingest.ingestrun": "an import run's log (read-only)",
    "search.zeroresultquery": "search analytics (read-only)",
    "accounts.curatorship": "access control: a row is added or removed, never edited",
    "api.apitoken": "a secret: created and revoked, never edited",
    "auth.user": "Django's own user admin",
    "auth.group": "Django's own group admin",
    "django_tasks_database.dbtaskresult": "the task queue's results (written by the worker)",
    "account.emailaddress": "allauth's e-mail addresses (administrators only): confirmed by mail",
}


def test_every_record_admin_refuses_stale_forms() -> None:
    """Every admin that edits a record (catalogue, knowledge, reading, ingest, search) carries the guard."""
    from django.contrib import admin

    from mogao.core.concurrency import ConcurrencyGuardAdmin

    unguarded = sorted(
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ConcurrencyGuardAdmin) and model._meta.label_lower not in UNVERSIONED
        and not model._meta.app_label.startswith("axes")
    )
    assert unguarded == []


def test_a_stale_person_form_is_refused(editors: tuple[Client, Client]) -> None:
    """Shared records too (knowledge): a form loaded before another write is refused, nothing saved."""
    from mogao.knowledge.models import Person

    a, _ = editors
    person = Person.objects.order_by("pk").first()
    assert person is not None
    url = f"/admin/knowledge/person/{person.pk}/change/"
    stale = _loaded_version(a, url)
    Person.objects.filter(pk=person.pk).update(dates_note="changed elsewhere")
    assert _loaded_version(a, url) != stale
    refused = a.post(url, {"dates_note": "from the stale form", VERSION_FIELD: stale})
    assert refused.status_code == 200 and "Nothing was saved" in refused.content.decode()
    assert Person.objects.get(pk=person.pk).dates_note == "changed elsewhere"
