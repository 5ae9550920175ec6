"""The interface catalogues (zh-Hans, zh-Hant, fr): complete, consistent, compiled, and used by the pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import opencc
import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from mogao.demo.loader import demo_load

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGS = ("zh_Hans", "zh_Hant", "fr")
PLURAL_FORMS = {"zh_Hans": "nplurals=1; plural=0;", "zh_Hant": "nplurals=1; plural=0;",
                "fr": "nplurals=2; plural=(n > 1);"}
NPLURALS = {"zh_Hans": 1, "zh_Hant": 1, "fr": 2}

# printf-style and brace placeholders, the escaped percent, and HTML tags: each must survive translation.
PLACEHOLDER = re.compile(
    r"%%|%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[sdrifgxX]|%[-#0 +]*\d*(?:\.\d+)?[sdrifgxX]"
    r"|\{[A-Za-z_]\w*\}|<[^>]+>"
)

# Characters OpenCC treats as simplified that are also standard in Taiwan usage (游標 cursor, 于闐 Khotan).
HANT_ALLOWED = {"游", "于"}
# Search-box examples that show on purpose that both scripts are accepted (金剛經 and 金刚经).
BOTH_SCRIPTS_ON_PURPOSE = re.compile(r"金剛經、金刚经|金刚经、金剛經")


def po_file(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def translations(entry: polib.POEntry | polib.MOEntry) -> list[tuple[str, str]]:
    """(source text, translation) pairs of an entry; the plural forms pair with msgid / msgid_plural."""
    if entry.msgid_plural:
        return [(entry.msgid if k == 0 else entry.msgid_plural, v) for k, v in sorted(entry.msgstr_plural.items())]
    return [(entry.msgid, entry.msgstr)]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("lang", LANGS)
def test_header_declares_charset_language_and_plurals(lang: str) -> None:
    po = po_file(lang)
    assert not po.metadata_is_fuzzy, "a fuzzy header is ignored by msgfmt"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Language"] == lang
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_is_translated_and_none_is_fuzzy(lang: str) -> None:
    po = po_file(lang)
    assert len(po) > 600, "the catalogue looks truncated"
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.untranslated_entries()] == []
    for entry in po:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(NPLURALS[lang])), entry.msgid
        assert all(text.strip() for _, text in translations(entry)), entry.msgid


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_and_tags_match_the_source(lang: str) -> None:
    wrong = [
        (source, text)
        for entry in po_file(lang)
        for source, text in translations(entry)
        if placeholders(text) != placeholders(source)
        # a singular-only language uses one form for both, with the plural's placeholders
        and not (entry.msgid_plural and placeholders(text) == placeholders(entry.msgid_plural))
    ]
    assert wrong == []


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogue_matches_the_po_file(lang: str) -> None:
    po = po_file(lang)
    mo = polib.mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))

    def entries(catalogue: polib.POFile | polib.MOFile) -> dict[tuple[str | None, str], list[tuple[str, str]]]:
        return {(e.msgctxt, e.msgid): translations(e) for e in catalogue if not e.obsolete and e.msgid}

    assert entries(mo) == entries(po), "the .mo file is stale: compile the .po again"
    assert mo.metadata.get("Plural-Forms") == PLURAL_FORMS[lang]


def test_chinese_catalogues_keep_to_their_script() -> None:
    """zh-Hans has no traditional characters and zh-Hant no simplified ones (beyond those in the msgid)."""
    to_simplified, to_traditional = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    wrong = []
    for lang in ("zh_Hans", "zh_Hant"):
        for entry in po_file(lang):
            for source, text in translations(entry):
                for char in set(BOTH_SCRIPTS_ON_PURPOSE.sub("", text)) - set(source):
                    simplified = to_simplified.convert(char)
                    traditional_char = simplified != char
                    simplified_only = simplified == char and to_traditional.convert(char) != char
                    if ((lang == "zh_Hans" and traditional_char)
                            or (lang == "zh_Hant" and simplified_only and char not in HANT_ALLOWED)):
                        wrong.append((lang, char, text))
    assert wrong == []


def test_regional_vocabulary() -> None:
    """zh-Hant follows Taiwan usage (數位化, 介面, 連結, 資料) and zh-Hans mainland usage (数字化, 接口, 链接, 数据)."""
    hant = " ".join(text for e in po_file("zh_Hant") for _, text in translations(e))
    hans = " ".join(text for e in po_file("zh_Hans") for _, text in translations(e))
    for mainland in ("數字化", "鏈接", "數據", "界面", "默認", "文件夾", "導入", "屏幕", "字符"):
        assert mainland not in hant, mainland
    for taiwan in ("数位", "连结", "资料", "介面", "汇入", "萤幕", "字元"):
        assert taiwan not in hans, taiwan
    assert "數位化" in hant and "数字化" in hans


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh-hans", {"Browse": "浏览", "Shelfmark": "编号", "Transcription": "录文", "Join accepted.": "缀合已接受。"}),
    ("zh-hant", {"Browse": "瀏覽", "Shelfmark": "編號", "Transcription": "錄文", "Digitization": "數位化"}),
    ("fr", {"Browse": "Parcourir", "Shelfmark": "Cote", "Transcription": "Transcription",
            "Previous page": "Page précédente"}),
])
def test_django_loads_the_catalogues(lang: str, expected: dict[str, str]) -> None:
    with translation.override(lang):
        assert {msgid: translation.gettext(msgid) for msgid in expected} == expected
        assert translation.ngettext("%(n)s result", "%(n)s results", 2) % {"n": 2} == {
            "zh-hans": "2 条结果", "zh-hant": "2 筆結果", "fr": "2 résultats"}[lang]


PAGE_WORDS = {
    "/": {
        "en": ["Featured items", "Search the library"],
        "zh-hans": ["精选藏品", "检索馆藏", "浏览"],
        "zh-hant": ["精選藏品", "檢索館藏", "瀏覽"],
        "fr": ["Documents à la une", "Rechercher dans la bibliothèque", "Parcourir"],
    },
    "/browse/": {
        "en": ["Filters", "Digitization"],
        "zh-hans": ["筛选", "收藏机构", "数字化", "时期"],
        "zh-hant": ["篩選", "收藏機構", "數位化", "時期"],
        "fr": ["Filtres", "Institution détentrice", "Numérisation", "Période"],
    },
}
# English headings that must not show through once a page is translated.
ENGLISH_ONLY = {"/": ["Featured items", "Search the library"], "/browse/": ["Filters", "Digitization"]}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "zh-hans", "zh-hant", "fr"])
def test_pages_speak_the_readers_language(client: Client, lang: str) -> None:
    demo_load(echo=lambda _: None)
    for path, words in PAGE_WORDS.items():
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 200, path
        assert response["Content-Language"] == lang
        html = response.content.decode()
        assert [word for word in words[lang] if word not in html] == [], path
        if lang != "en":
            assert [word for word in ENGLISH_ONLY[path] if word in html] == [], path


SOURCE = Path(__file__).resolve().parents[2] / "src" / "mogao"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext, msgmerge)")
def test_catalogue_holds_every_string_of_the_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Extract the interface's strings afresh (as the lead's makemessages run does, into a scratch copy)
    and require each of them in the shipped catalogue: a new, untranslated string fails here."""
    tree = tmp_path / "mogao"
    shutil.copytree(SOURCE, tree, ignore=shutil.ignore_patterns(
        "static", "locale", "testing", "__pycache__", "*.pyc", "*.mo", "*.po"))
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[str(tmp_path / "locale")]):
        call_command("makemessages", locale=["fr"], verbosity=0, no_obsolete=True)
    fresh = polib.pofile(str(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    assert len(fresh) > 600, "the extraction found too few strings"
    shipped = {(e.msgctxt, e.msgid) for e in po_file("fr")}
    assert sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in shipped) == []
