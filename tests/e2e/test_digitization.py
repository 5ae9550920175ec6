"""Digitization on demand end to end in Chromium (#17): a reader requests an undigitized demo item, a
second reader joins, the holder's curator triages and schedules it, an image folder is imported for the
item, the request publishes itself, both readers get the mail (from the SMTP server) and the on-site
notification, and the item page shows the images. The queue and request pages are axe-clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from PIL import Image

from mogao.accounts.models import Curatorship
from mogao.catalogue.models import Institution, Item
from mogao.digitization.models import Request, Status
from mogao.ingest.services import ingest_execute
from mogao.testing.smtp import SMTPRecorder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any, settings: Any) -> dict[str, Any]:
    from mogao.demo.loader import load_builtin

    settings.BASE_URL = str(live_server.url)
    settings.DIGITIZATION_RECOMPUTE_MINUTES = 0
    cache.clear()
    load_builtin()
    item = Item.objects.get(shelfmark="Or.8210/S.3326")
    assert not item.has_images
    users = {}
    for name in ("reader-one", "reader-two", "bl-curator"):
        user = get_user_model().objects.create_user(name, email=f"{name}@example.org", is_staff=name == "bl-curator")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        users[name] = user
    Curatorship.objects.create(user=users["bl-curator"], institution=Institution.objects.get(code="BL"))
    return {"url": str(live_server.url), "item": item, "users": users}


def _as(browser: Any, base: str, user: Any) -> Any:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return page


def test_request_join_schedule_import_publish_and_tell(
    browser: Any, site: dict[str, Any], smtp_server: SMTPRecorder, axe: Any, artifacts: Path, tmp_path: Path
) -> None:
    base, item, users = site["url"], site["item"], site["users"]
    item_url = base + item.get_absolute_url()

    one = _as(browser, base, users["reader-one"])
    one.goto(item_url)
    panel = one.locator(".digitization-panel")
    assert "not yet digitized" in panel.inner_text()
    assert axe(one) == []  # the item page with the request form in place of the viewer
    panel.locator("select[name=purpose]").select_option("research")
    panel.locator("textarea[name=note]").fill("For an edition of the text <b>with</b> variants.")
    panel.locator("button[type=submit]").click()
    one.wait_for_url("**/digitization/*/")
    assert "1 reader wants this" in one.locator(".readers-count").inner_text()
    assert axe(one) == []
    request_url = one.url

    two = _as(browser, base, users["reader-two"])
    two.goto(item_url)
    assert "1 reader wants this" in two.locator(".digitization-panel").inner_text()
    two.locator(".digitization-panel select[name=purpose]").select_option("teaching")
    two.locator(".digitization-panel button[type=submit]").click()
    two.wait_for_url("**/digitization/*/")
    assert two.url == request_url
    assert "2 readers want this" in two.locator(".readers-count").inner_text()

    curator = _as(browser, base, users["bl-curator"])
    curator.goto(request_url)
    curator.locator("#id_to").select_option("accepted")
    curator.locator(".curator-actions form").first.locator("button[type=submit]").click()
    curator.wait_for_load_state()
    assert curator.locator(".request-status").inner_text() == "accepted"
    curator.locator("#id_to").select_option("scheduled")
    curator.locator("#id_expected_month").fill("2027-02")
    curator.locator(".curator-actions form").first.locator("button[type=submit]").click()
    curator.wait_for_load_state()
    assert curator.locator(".request-status").inner_text() == "scheduled"
    assert axe(curator) == []
    curator.goto(base + "/digitization/")
    assert item.shelfmark in curator.locator("table.digitization-queue").inner_text()
    assert axe(curator) == []

    # the images arrive through the image folder import (what `mogao import images` runs)
    folder = tmp_path / "scans" / item.pid
    folder.mkdir(parents=True)
    for n in (1, 2):
        Image.new("RGB", (320, 240), (180 + n, 160, 120)).save(folder / f"p{n}.png")
    run = ingest_execute(kind="images", location=str(tmp_path / "scans"), institution_code="BL")
    assert run.status == "done", run.message

    req = Request.objects.get(item=item)
    assert req.status == Status.PUBLISHED
    for name in ("reader-one", "reader-two"):
        mail = smtp_server.wait_for(to=f"{name}@example.org")
        assert item.shelfmark in mail.subject and item_url in mail.body
    for page in (one, two):
        page.goto(base + "/me/notifications/")
        assert f"Online now: {item.shelfmark}" in page.locator("main").inner_text()
    one.goto(item_url)
    one.wait_for_selector("[data-viewer][data-state='drawn']")
    assert one.locator(".digitization-panel").count() == 0
    one.goto(request_url)
    assert one.locator(".request-status").inner_text() == "published"
    assert "images attached; done by Mogao" in one.locator("main").inner_text()
    one.screenshot(path=str(artifacts / "digitization-request.png"), full_page=True)
    for page in (one, two, curator):
        assert page.errors == []
        page.context.close()
