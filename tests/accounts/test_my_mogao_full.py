"""My Mogao (/me/) with every section populated (#15): reactions, annotations, comments, collections,
recommendations and the account; and the stored-XSS corpus through every text it shows."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from mogao.annotations.models import Annotation
from mogao.community.models import ReaderGroup
from mogao.discussion.models import Comment
from mogao.saved.models import ReaderCollection, SavedEntry

from .contribs import client_for, contribute, make_user, place

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)><a xlink:href='javascript:alert(1)'>x</a></svg>",
    "evil\u202egnp.exe",
]
RAW = ("<script>alert", "<img src=x", "<svg onload", 'href="javascript:', "xlink:href='java")

SECTIONS = ("Your account", "My collections", "Recommended for you", "My annotations", "My comments",
            "Your reactions")


def test_every_section_of_my_mogao_renders_with_content() -> None:
    where = place()
    reader = make_user("readerq", trusted=True)
    contribute(reader, where)
    client = client_for(reader)
    html = client.get("/me/").content.decode()
    for title in SECTIONS:
        assert f">{title}<" in html, title
    assert html.index("Your account") < html.index("My collections")
    for content in ("Public shelf", "Private shelf", "Pubnote", "Privnote", "Groupnote", "Pubcomment",
                    "Workcomment", "Moved", "Beautiful", "saved-recs-slot"):
        assert content in html, content
    recs = client.get("/saved/recommendations").content.decode()
    assert where.other_item.get_absolute_url() in recs and "Because you" in recs


def _poison(payload: str) -> str:
    where = place()
    reader = make_user("readerq", trusted=True)
    mine = contribute(reader, where)
    reader.profile.display_name = payload
    reader.profile.save()
    Comment.objects.filter(author=reader).update(body=f"{payload} body")
    Annotation.objects.filter(author=reader).update(text=f"{payload} note", language="en")
    ReaderCollection.objects.filter(author=reader).update(name=f"{payload} name", description=f"{payload} desc")
    SavedEntry.objects.filter(collection__author=reader).update(note=f"{payload} entry")
    ReaderGroup.objects.filter(owner=reader).update(name=f"{payload} group")
    assert mine.group is not None
    client = client_for(reader)
    return client.get("/me/").content.decode() + client.get("/saved/recommendations").content.decode()


@pytest.mark.parametrize("payload", XSS)
def test_my_mogao_escapes_everything_a_reader_wrote(payload: str) -> None:
    html = _poison(payload)
    for raw in RAW:
        assert raw not in html, raw
    assert escape(payload) in html
    if "\u202e" in payload:  # bidi controls only inside isolating elements
        for line in html.splitlines():
            if "\u202e" in line and " group" not in line:  # group names: refused on input (below)
                assert "<bdi" in line or "<dd>" in line or 'dir="auto"' in line, line


def test_a_group_name_with_text_direction_controls_is_refused() -> None:
    client = client_for(make_user("readerq"))
    response = client.post("/annotations/groups/", {"name": "evil\u202egnp"})
    assert response.status_code in (200, 400)
    assert "Control and text-direction" in response.content.decode()
    assert not ReaderGroup.objects.exists()
