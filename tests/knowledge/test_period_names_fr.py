"""Period names on French pages are French, also for the toolkit's dynasties loaded with ``--data`` (#13 item 8)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from mogao.demo.loader import load_builtin
from mogao.knowledge.loaders import load_toolkit_periods
from mogao.knowledge.models import Period
from mogao.knowledge.period_names import french_name


def test_french_names_of_dynasties() -> None:
    assert french_name("Later Qin") == "Qin postérieurs"
    assert french_name("Northern Wei") == "Wei du Nord"
    assert french_name("Tang dynasty") == "Dynastie Tang"
    assert french_name("Later Han (Five Dynasties)") == "Han postérieurs (Cinq Dynasties)"
    assert french_name("Three Kingdoms") == "Trois Royaumes"
    assert french_name("Silla") == "Silla"


@pytest.mark.django_db
def test_period_pages_in_french_show_no_english_dynasty_names(client: Client) -> None:
    load_builtin()
    load_toolkit_periods()
    load_toolkit_periods()  # idempotent: the second run changes nothing
    wei = next(p for p in Period.objects.all() if p.name.get("zh-Hant") == ["北魏"])
    assert wei.name["fr"] == ["Wei du Nord"]
    for path in ("/periods/", f"/periods/{wei.pid}"):
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        # The list of the record's names in every language is there on purpose.
        html = re.sub(r'<ul class="titles".*?</ul>', "", html, flags=re.S)
        for english in ("Northern Wei", "Later Qin", "Western Han", " dynasty", "Three Kingdoms"):
            assert f">{english}" not in html and f"{english}<" not in html, (path, english)
    assert "<h1>Wei du Nord</h1>" in html
