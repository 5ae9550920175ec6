"""The stored-XSS corpus through every text field of a collection, escaped everywhere it shows:
the page, "My collections", the item page's Save panel, the IIIF manifest and collection, the CSV
(which also refuses spreadsheet formulas) (#15)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from mogao.saved.models import ReaderCollection, SavedEntry, Sharing
from mogao.saved.text import csv_cell, plain_text

from .conftest import World

pytestmark = pytest.mark.django_db

CORPUS = [
    "<script>alert(1)</script>Name",
    '<img src=x onerror="alert(2)">',
    '<a href="javascript:alert(3)">click</a>',
    "javascript:alert(4)",
    '<svg onload="alert(5)"><circle r="1"/></svg>',
    '"><svg/onload=alert(6)>',
    "&lt;script&gt;alert(7)&lt;/script&gt;",
    "abc\u202egnp.exe\u2066x\u2069",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
]
DANGEROUS = ("<script>alert", "<img src=x", "<svg", "onerror=", "onload=", 'href="javascript:', "\u202e", "\u2066")


def _make(world: World) -> ReaderCollection:
    client = world.client(world.trusted)
    for n, text in enumerate(CORPUS):
        data = {"target": "region", "page": "1", "xywh": f"{n},{n},10,10", "note": text,
                "collection": "new" if n == 0 else ReaderCollection.objects.get().pid, "new_name": text}
        assert client.post(f"/saved/save/{world.a.pid}", data).status_code == 200
    c = ReaderCollection.objects.get()
    response = client.post(f"/saved/{c.pid}/edit", {"name": CORPUS[0] + CORPUS[5], "description": "\n".join(CORPUS),
                                                    "sharing": Sharing.PUBLIC})
    assert response.status_code == 302
    c.refresh_from_db()
    return c


def test_plain_text_drops_markup_and_bidi_controls() -> None:
    assert plain_text("<script>alert(1)</script>Name") == "Name"
    assert plain_text('<a href="javascript:alert(3)">click</a>') == "click"
    assert plain_text("abc\u202egnp\u2066x\u2069") == "abcgnpx"
    assert plain_text("a < b & c") == "a < b & c"
    assert plain_text("line\r\nbreak\x00") == "line\nbreak"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\t=1", "\uff1d1"])
def test_csv_cells_never_start_a_formula(value: str) -> None:
    assert csv_cell(value).startswith("'")


def test_corpus_is_escaped_on_every_page(world: World) -> None:
    c = _make(world)
    assert SavedEntry.objects.filter(collection=c).count() == len(CORPUS)
    pages = [
        world.client().get(f"/saved/{c.pid}/"),
        world.client(world.trusted).get(f"/saved/{c.pid}/"),
        world.client(world.trusted).get("/saved/"),
        world.client(world.trusted).get(world.a.get_absolute_url()),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        body = html.split("<main", 1)[1].split("</main>", 1)[0]
        for bad in DANGEROUS:
            assert bad not in body, (bad, response.wsgi_request.path)
    html = pages[0].content.decode()
    assert "javascript:alert(4)" in html  # kept as text …
    assert 'href="javascript' not in html  # … never as a link
    assert "&lt;script&gt;alert(7)&lt;/script&gt;" in html  # decoded entities shown as text, escaped


def test_corpus_is_plain_json_in_the_manifests(world: World) -> None:
    c = _make(world)
    for url in (f"/saved/{c.pid}/manifest", f"/saved/{c.pid}/iiif-collection"):
        response = world.client().get(url)
        assert response.status_code == 200
        text = response.content.decode()
        data = json.loads(text)
        for bad in DANGEROUS:
            assert bad not in text and "<" not in text
        assert data["label"] == {"none": ['Name">']}
    manifest = world.client().get(f"/saved/{c.pid}/manifest").json()
    notes = [a["body"]["value"] for canvas in manifest["items"] for page in canvas.get("annotations", [])
             for a in page["items"] if "body" in a]
    assert "javascript:alert(4)" in notes and " <script>alert(7)</script>" in notes  # text, never HTML


def test_corpus_in_the_csv_is_never_a_formula(world: World) -> None:
    c = _make(world)
    response = world.client().get(f"/saved/{c.pid}/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "collection"
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
            assert "\u202e" not in cell and "onerror" not in cell and "<svg" not in cell
    notes = {row[10] for row in rows[1:]}
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in notes and "'-2+3" in notes and "'@SUM(A1:A2)" in notes
