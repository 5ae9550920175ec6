"""The admin's item form fits a 1366 px screen in Chinese, with tags and textareas (#13 item 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from mogao.catalogue.models import Item
from mogao.demo.loader import load_builtin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_item_form_fits_1366_in_chinese(browser: Any, live_server: Any, artifacts: Path) -> None:
    load_builtin()
    client = Client()
    client.force_login(User.objects.create_superuser("boss", password="pw-admin-123"))
    context = browser.new_context(viewport={"width": 1366, "height": 900},
                                  extra_http_headers={"Accept-Language": "zh-hans"})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": str(live_server.url)}])
    page = context.new_page()
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    page.goto(f"{live_server.url}/admin/catalogue/item/{item.pk}/change/")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") in ("zh-hans", "zh-Hans")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    page.screenshot(path=str(artifacts / "admin-item-form-zh-hans-1366.png"), full_page=True)
    assert widths[0] <= widths[1], f"the form is {widths[0]} px wide in a {widths[1]} px window"
    assert page.locator('textarea[name="description-text-0"]').is_visible()
    assert page.locator('input[name="languages"]').input_value() == "lzh"
    assert page.locator("#id_institution option:checked").inner_text() == "大英图书馆"
    context.close()
