"""Web fonts (#13): one CJK web font per page, in the interface's script; subsets cached for good.

Browser-side figures (bytes per page, with and without a CJK system font) are in
tests/e2e/test_first_visit.py and bench/pages/transfer.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

FONTS = Path(settings.STATICFILES_DIRS[0]) / "vendor" / "fonts"
LINK = re.compile(r'<link rel="stylesheet" href="(/static/vendor/fonts/[^"]+)">')


@pytest.mark.parametrize(("lang", "sheet"), [
    ("zh-hans", "noto-serif-sc/400-interface.css"), ("zh-hant", "noto-serif-tc/400-interface.css"),
    ("en", "noto-serif-tc/400.css"), ("fr", "noto-serif-tc/400.css"),
])
def test_each_page_links_one_cjk_web_font_in_its_script(client: Client, lang: str, sheet: str) -> None:
    client.cookies["django_language"] = lang
    body = client.get("/no-such-page/").content.decode()
    assert LINK.findall(body) == [f"/static/vendor/fonts/{sheet}"]
    assert "{#" not in body


def test_font_subsets_are_immutable_and_the_stylesheet_is_revalidated(client: Client) -> None:
    if not FONTS.is_dir():
        pytest.skip("static/vendor is missing: run `make setup`")
    css = (FONTS / "noto-serif-sc" / "400-interface.css").read_text(encoding="utf-8")
    interface = re.search(r"url\(\./(files-[^/]+/interface-[0-9a-f]+\.woff2)\)", css)
    assert interface, "the interface subset is declared (frontend/fonts.py)"
    assert css.rstrip().endswith("}") and css.rindex("interface-") > css.rindex("noto-serif-sc-")  # declared last
    subset = client.get(f"/static/vendor/fonts/noto-serif-sc/{interface.group(1)}")
    subset.close()  # whitenoise streams the file
    assert subset.status_code == 200
    assert "immutable" in subset["Cache-Control"]
    sheet = client.get("/static/vendor/fonts/noto-serif-sc/400-interface.css")
    sheet.close()
    assert sheet.status_code == 200
    assert "immutable" not in sheet.get("Cache-Control", "")
