"""The event log (#18): what a request records, what is never stored, and DNT/GPC."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from mogao import audience
from mogao.audience import recorder
from mogao.audience.models import Event

pytestmark = pytest.mark.django_db

AGENT = "Mozilla/5.0 (X11; Linux x86_64) SecretBrowser/99.1"
ADDRESS = "203.0.113.77"


def client(**headers: str) -> Client:
    return Client(HTTP_USER_AGENT=AGENT, REMOTE_ADDR=ADDRESS, HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9", **headers)


def stored_values() -> list[str]:
    """Every column of every stored event, as text."""
    return [str(v) for row in Event.objects.values_list() for v in row]


def test_item_page_records_a_view_without_writing_in_the_request(world: dict[str, Any]) -> None:
    response = client().get(f"/items/{world['item'].pid}")
    assert response.status_code == 200
    assert Event.objects.count() == 0  # nothing written in the request
    assert recorder.pending() == 1
    assert recorder.flush() == 1
    event = Event.objects.get()
    assert (event.kind, event.item_id, event.institution_id) == ("item_view", world["item"].pk, world["a"].pk)
    assert event.region == "CA" and event.language == "fr" and len(event.visit) == 16


def test_no_address_agent_cookie_or_account_is_stored(world: dict[str, Any]) -> None:
    user = get_user_model().objects.create_user("reader-x", password="pw-reader-long-1")
    c = client()
    c.force_login(user)
    c.cookies["tracker"] = "cookie-value-123"
    c.get(f"/items/{world['item'].pid}")
    c.get(f"/items/{world['item'].pid}/read")
    c.get("/search/", {"q": "diamond"})
    c.post(f"/reactions/item/{world['item'].pk}", {"kind": "moved"})
    c.post("/audience/beacon", json.dumps({"kind": "click", "rank": 1, "href": f"/items/{world['item'].pid}"}),
           content_type="text/plain")
    recorder.flush()
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"item_view", "read_open", "search", "reaction", "click"} <= kinds
    columns = {f.name for f in Event._meta.get_fields()}
    assert not columns & {"ip", "address", "user", "user_id", "account", "agent", "user_agent", "cookie", "session"}
    values = stored_values()
    session = c.cookies.get("sessionid")
    for secret in (ADDRESS, "SecretBrowser", "cookie-value-123", "reader-x", str(user.pk) + "|"):
        assert not any(secret in v for v in values), secret
    assert session is None or not any(session.value in v for v in values)
    assert all(e.visit != "" for e in Event.objects.all())  # a hash, not the address


@pytest.mark.parametrize("header", [{"HTTP_DNT": "1"}, {"HTTP_SEC_GPC": "1"}])
def test_dnt_and_gpc_suppress_recording(world: dict[str, Any], header: dict[str, str]) -> None:
    c = client(**header)
    c.get(f"/items/{world['item'].pid}")
    c.get("/search/", {"q": "nothing-here"})
    c.post("/audience/beacon", json.dumps({"kind": "click", "rank": 1, "href": "/items/x"}),
           content_type="text/plain")
    recorder.flush()
    assert Event.objects.count() == 0


def test_visit_hash_changes_with_the_day_and_the_salt_is_not_stored(world: dict[str, Any]) -> None:
    from datetime import date

    first = recorder.visit_hash(ADDRESS, AGENT, date(2026, 12, 4))
    again = recorder.visit_hash(ADDRESS, AGENT, date(2026, 12, 4))
    other = recorder.visit_hash(ADDRESS, AGENT, date(2026, 12, 5))
    assert first == again and first != other
    salt = recorder._salt_of(date(2026, 12, 5))
    audience.record("gloss")
    recorder.flush()
    assert not any(salt in v for v in stored_values())


def test_visits_can_be_switched_off(world: dict[str, Any], settings: Any) -> None:
    settings.AUDIENCE_VISITS = False
    client().get(f"/items/{world['item'].pid}")
    recorder.flush()
    assert Event.objects.get().visit == ""


def test_search_records_folded_query_results_stage_and_language(world: dict[str, Any]) -> None:
    client().get("/search/", {"q": "Zzyzx Nothing"})
    client().get("/search/", {"q": "Diamond", "page": "1"})
    recorder.flush()
    zero, found = Event.objects.filter(kind="search").order_by("id")
    assert zero.results == 0 and zero.query == "zzyzx nothing" and zero.stage == "all"
    assert found.page == 1 and found.language == "fr"


def test_beacon_records_a_click_rank_and_target(world: dict[str, Any]) -> None:
    body = json.dumps({"kind": "click", "rank": 3, "href": f"/items/{world['item'].pid}", "type": "item"})
    assert client().post("/audience/beacon", body, content_type="text/plain").status_code == 204
    assert client(HTTP_SEC_FETCH_SITE="cross-site").post("/audience/beacon", body,
                                                          content_type="text/plain").status_code == 204
    assert client().post("/audience/beacon", "{not json", content_type="text/plain").status_code == 204
    recorder.flush()
    click = Event.objects.get()
    assert (click.kind, click.rank, click.item_id) == ("click", 3, world["item"].pk)


def test_api_oai_download_and_page_views_are_counted(world: dict[str, Any]) -> None:
    Client(HTTP_USER_AGENT="python-requests/2.31").get("/api/v1/items")
    Client(HTTP_USER_AGENT="OAI-Harvester/1.0").get("/oai", {"verb": "Identify"})
    client().get(f"/items/{world['item'].pid}/read/1")
    client().get(f"/items/{world['item'].pid}/text.txt")
    Client(HTTP_USER_AGENT="Googlebot/2.1").get(f"/items/{world['item'].pid}")  # bots read nothing
    recorder.flush()
    got = {(e.kind, e.detail) for e in Event.objects.all()}
    assert ("api", "script") in got and ("oai", "harvester") in got
    assert ("download", "txt") in got
    assert Event.objects.get(kind="page_view").page == 1
    assert not Event.objects.filter(kind="item_view").exists()


def test_record_never_raises_and_drops_unknown_fields(world: dict[str, Any]) -> None:
    audience.record("gloss", user_id=5, ip="1.2.3.4", language="fr")
    recorder.flush()
    event = Event.objects.get()
    assert event.kind == "gloss" and event.language == "fr"


@pytest.mark.parametrize(("header", "region"), [
    ("fr-CA,fr;q=0.9", "CA"), ("zh-Hant-TW", "TW"), ("es-419", "419"), ("fr", ""), ("", ""), ("zh-Hans", ""),
])
def test_region_comes_from_accept_language_only(header: str, region: str) -> None:
    assert recorder.region_of(header) == region


@pytest.mark.parametrize(("agent", "kind"), [
    ("Mozilla/5.0 (X11) Firefox/120", "browser"), ("Googlebot/2.1", "bot"), ("python-requests/2.31", "script"),
    ("OAI-Harvester/1.0", "harvester"), ("", "other"),
])
def test_only_a_client_type_is_kept_of_the_agent(agent: str, kind: str) -> None:
    assert recorder.client_type(agent) == kind


def test_suggested_actions() -> None:
    from mogao.audience.selectors import suggested_action

    assert suggested_action("sutra du diamant", {"fr": 3}) == "translate"
    assert suggested_action("金刚经", {"zh-hans": 2}) == "catalogue"
    assert suggested_action("jin gang", {"en": 1}, near=True) == "alias"


def test_flush_returns_only_once_a_batch_being_written_is_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """A flush called while the background thread writes a batch waits for that batch: after ``flush()``
    every event recorded before it is in the database (the rollup and the bench count on it)."""
    import threading

    from mogao.audience import resolve as resolve_module

    written: list[str] = []
    writing, release = threading.Event(), threading.Event()
    real = resolve_module.resolve

    def slow_resolve(batch: list[dict[str, Any]]) -> Any:
        if not writing.is_set():
            writing.set()
            assert release.wait(60)
        return real(batch)

    monkeypatch.setattr(resolve_module, "resolve", slow_resolve)
    monkeypatch.setattr(Event.objects, "bulk_create", lambda rows, **kw: written.extend(e.kind for e in rows))
    recorder.discard()
    audience.record("gloss", language="fr")
    background = threading.Thread(target=recorder.flush)  # as the flush thread does when woken
    background.start()
    assert writing.wait(60)
    returned: list[int] = []
    caller = threading.Thread(target=lambda: returned.append(recorder.flush()))
    caller.start()
    caller.join(0.5)
    assert returned == [] and written == []  # still waiting for the batch in flight
    release.set()
    background.join(60)
    caller.join(60)
    assert written == ["gloss"] and returned == [0]
