"""Reader pages on zh-Hans, zh-Hant and fr show no English left over and no raw language codes (#13 item 8).

The scan reads each page's visible text (scripts, styles and attribute values left out) and looks for
the interface and demo-data strings readers reported in English, and for language tags shown as
codes. Proper names (Kumārajīva, Tang) are not in the lists; neither are words French shares with
English ("colophon").
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from mogao.catalogue.models import Item
from mogao.demo.loader import demo_load

LANGS = ("zh-hans", "zh-hant", "fr")

# English the readers met on translated pages: interface words and demo data.
ENGLISH = [
    "frontispiece and opening", "Colophon:", "paper, printed", "paper, manuscript", "printed from woodblocks",
    "about 5 m long", "Old number", "Explorer who", "Sinologist who", "Translator of Buddhist",
    "Daoist caretaker", "Monk, traveller", "Commissioned the printed", "Chief editor", "Emperor who",
    "explorer", "sinologist", "caretaker", "commissioner", "Later Qin", "Page not found",
    "Relationship graph", "Languages", "Not Found", "The requested resource",
    "The only complete manuscript", "A short Mahāyāna", "Hymns of the Manichaean",
    # dates as written, extents, citations and the home page (#13, second pass)
    "century", "about 800", "covers", "folded folios", "Accessed", "items", "holding institution",
    "From the collections", "Ways to explore", "Featured works", "witnesses in Mogao", "Library Cave",
]
# Words that are English but also French: only looked for on the Chinese pages.
ENGLISH_NOT_FRENCH = ["colophon", "translator", "paper", "emperor", "monk", "frontispiece", "digitized"]
RAW_CODE = re.compile(r"(?<![\w-])(lzh|otk|bo|he|zh-Hant|zh-Hans)(?![\w-])")


class _Text(HTMLParser):
    """Visible text of a page: no script, style or template elements, no attribute values, and not the
    lists of a record's names in every language (``ul.titles``: proper names, by design)."""

    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.stack: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names_list = tag == "ul" and "titles" in (dict(attrs).get("class") or "").split()
        nested_same = bool(self.depth) and tag == self.stack[-1]
        if tag in self.SKIP or names_list or nested_same:
            self.depth += 1
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.depth and self.stack and tag == self.stack[-1]:
            self.depth -= 1
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def reader_pages() -> list[str]:
    diamond = Item.objects.get(shelfmark="Or.8210/P.2")
    irk = Item.objects.get(shelfmark="Or.8212/161")
    dated = [f"/items/{i.pid}" for i in Item.objects.exclude(date_expression="").exclude(pk__in=[diamond.pk, irk.pk])]
    return [
        *dated, "/works/", "/works/?all=1", "/institutions/", "/places/", "/map/",
        "/", "/browse/", f"/items/{diamond.pid}", f"/items/{irk.pid}", f"/items/{diamond.pid}/read",
        f"/items/{diamond.pid}/read/2", "/works/t0235-diamond-sutra", "/timeline/", "/people/",
        "/people/aurel-stein", "/people/paul-pelliot", "/people/wang-yuanlu", "/people/qianlong-emperor",
        "/places/mogao-library-cave", "/periods/", "/periods/later-qin",
        "/graph/?around=work:t0235-diamond-sutra",
        "/search/?q=金剛經", "/no-such-page/",
    ]


def leftovers(text: str, lang: str) -> list[str]:
    text = re.sub(r"(?:https?://|/)\S+", " ", text)  # links (stable URLs in citations) are not prose
    words = ENGLISH + (ENGLISH_NOT_FRENCH if lang.startswith("zh") else [])
    found = [w for w in words if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text)]
    return found + [f"code:{m}" for m in RAW_CODE.findall(text)]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_reader_pages_have_no_english_or_raw_language_codes(client: Client, lang: str) -> None:
    demo_load(echo=lambda _: None)
    problems: dict[str, list[str]] = {}
    for path in reader_pages():
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code in (200, 404), (path, response.status_code)
        found = leftovers(visible_text(response.content.decode()), lang)
        if found:
            problems[path] = found
    assert problems == {}


def test_the_scan_sees_english_and_codes() -> None:
    """The scanner itself: it must find what it is meant to find, and skip scripts."""
    html = ('<p>Languages: lzh, otk</p><script>var x = "explorer";</script><p lang="en">colophon</p>'
            '<ul class="titles"><li lang="en">Later Qin</li></ul>')
    assert leftovers(visible_text(html), "zh-hans") == ["Languages", "colophon", "code:lzh", "code:otk"]
    assert leftovers(visible_text(html), "fr") == ["Languages", "code:lzh", "code:otk"]
