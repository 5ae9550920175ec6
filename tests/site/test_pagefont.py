"""The per-page CJK font (#13): recorded sets only, size limits, reader pages only, immutable files.

The bytes a browser without a CJK font downloads are measured in tests/e2e/test_first_visit.py
and bench/pages/transfer.py.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from mogao.site import pagefont

pytestmark = pytest.mark.django_db
LINK = re.compile(r'<link rel="stylesheet" href="/fonts/page/([0-9a-f]{24})\.css">')


@pytest.fixture(autouse=True)
def store(settings: Any, tmp_path: Path) -> Path:
    settings.MOGAO_PAGE_FONT_DIR = tmp_path / "pagefonts"
    return tmp_path / "pagefonts"


def page(client: Client, lang: str, path: str = "/no-such-page/") -> str:
    client.cookies["django_language"] = lang
    return client.get(path).content.decode()


def test_a_reader_page_links_the_font_of_its_own_cjk_characters(client: Client) -> None:
    body = page(client, "zh-hans")
    keys = LINK.findall(body)
    assert len(keys) == 1
    source, chars = pagefont.recorded(keys[0]) or ("", "")
    assert source == "noto-serif-sc"
    assert chars == pagefont.cjk_characters(LINK.sub("", body)) and "莫" in chars
    css = client.get(f"/fonts/page/{keys[0]}.css")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert "immutable" in css["Cache-Control"]
    text = css.content.decode()
    assert f"font-family:'{pagefont.FAMILY}'" in text and f"/fonts/page/{keys[0]}.woff2" in text
    assert "U+4E00-9FFF" in text and "U+0" not in text  # Latin text never asks for it


def test_latin_interfaces_use_the_traditional_glyph_source(client: Client) -> None:
    keys = LINK.findall(page(client, "en"))
    assert keys and (pagefont.recorded(keys[0]) or ("",))[0] == "noto-serif-tc"


def test_unknown_or_malformed_sets_are_not_served(client: Client) -> None:
    key = pagefont.key_of("noto-serif-sc", "莫高窟")  # a valid hash the server never recorded
    for path in (f"/fonts/page/{key}.css", f"/fonts/page/{key}.woff2", "/fonts/page/zz.woff2",
                 "/fonts/page/" + "%E8%8E%AB" * 8 + ".woff2"):
        assert client.get(path).status_code == 404, path


def test_a_tampered_record_is_refused(client: Client, store: Path) -> None:
    key = LINK.findall(page(client, "zh-hant"))[0]
    (store / f"{key}.txt").write_text("noto-serif-tc\n一二三", encoding="utf-8")
    assert pagefont.recorded(key) is None
    assert client.get(f"/fonts/page/{key}.woff2").status_code == 404


def test_too_many_characters_fall_back_to_the_unicode_range_font(client: Client,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagefont, "MAX_CHARS", 5)
    assert LINK.findall(page(client, "zh-hans")) == []
    assert pagefont.record("noto-serif-sc", "一二三四五六") is None
    assert pagefont.record("../etc", "一") is None


def test_admin_api_and_fragments_are_left_alone(client: Client) -> None:
    client.cookies["django_language"] = "zh-hans"
    for path in ("/admin/login/", "/api/v1/docs"):
        response = client.get(path)
        assert b"/fonts/page/" not in response.content, path
    fragment = client.get("/search/?q=%E9%87%91", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert b"/fonts/page/" not in fragment.content or b"</head>" in fragment.content


def test_the_woff2_holds_exactly_the_page_characters(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    faces = pagefont.source_faces("noto-serif-sc")
    if not faces:
        pytest.skip("static/vendor is missing: run `make setup`")
    chars = "莫高窟"
    # Two subsets only, so that the merge is quick here (the real one takes every subset).
    small = tuple(f for f in faces if {ord(c) for c in chars} & f[1])[:2]
    monkeypatch.setattr(pagefont, "source_faces", lambda source: small)
    key = pagefont.record("noto-serif-sc", chars)
    assert key
    monkeypatch.setattr(pagefont, "_prepare_in_background", lambda: None)
    waiting = client.get(f"/fonts/page/{key}.woff2")
    assert waiting.status_code == 503 and waiting["Cache-Control"] == "no-store"  # the browser falls back
    pagefont.prepare()
    response = client.get(f"/fonts/page/{key}.woff2")
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200 and response["Content-Type"] == "font/woff2"
    assert "immutable" in response["Cache-Control"]
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    covered = {chr(c) for c in font.getBestCmap()}
    assert covered <= set(chars) and covered  # nothing beyond the page's characters
    assert covered == {c for c in chars if any(ord(c) in codes for _, codes in small)}


def test_the_store_is_pruned_past_its_bound(store: Path) -> None:
    store.mkdir(parents=True, exist_ok=True)
    for n in range(10):
        (store / f"{n}.woff2").write_bytes(b"x" * 1000)
    pagefont.prune(limit=5000)
    assert sum(p.stat().st_size for p in store.iterdir()) <= 5000


def test_cutting_new_fonts_is_rate_limited_per_client(client: Client, settings: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Each new set costs seconds of CPU: a client asking for many (e.g. one per crafted search) is
    refused with 429 and the browser keeps the unicode-range web font; cut fonts stay free."""
    settings.MOGAO_PAGE_FONT_BUILD_RATE = "1/min"
    monkeypatch.setattr(pagefont, "_prepare_in_background", lambda: None)
    first, second = pagefont.record("noto-serif-sc", "莫高"), pagefont.record("noto-serif-sc", "敦煌")
    assert first and second
    assert client.get(f"/fonts/page/{first}.woff2").status_code == 503  # allowed: waits for the merge
    refused = client.get(f"/fonts/page/{second}.woff2")
    assert refused.status_code == 429 and refused["Retry-After"] and refused["Cache-Control"] == "no-store"
    (pagefont.store_dir() / f"{second}.woff2").write_bytes(b"wOF2")  # once cut, served to everyone
    served = client.get(f"/fonts/page/{second}.woff2")
    assert served.status_code == 200
    served.close()
