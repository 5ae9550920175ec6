"""Display names on every page that shows an author, escaped (XSS corpus), and "Report" controls on
annotations and public collections (#15)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from mogao.discussion.models import Report

from .contribs import Contribs, Place, annotate, client_for, contribute, make_user, place

pytestmark = pytest.mark.django_db

XSS_NAMES = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)><a xlink:href='javascript:alert(1)'>x</a></svg>",
    "evil\u202egnp.exe",
    "a\u2066b\u2069c",
]
RAW = ("<script>alert", "<img src=x", "<svg onload", 'href="javascript:', "xlink:href='java")


def _world(name: str) -> tuple[Place, Any, Contribs, Any]:
    where = place()
    author = make_user("authorq", trusted=True)
    author.profile.display_name = name
    author.profile.save()
    mine = contribute(author, where)
    annotate(author, where.canvas, "Waitingnote", "public", status="pending")  # for the queue
    return where, author, mine, make_user("moderatorq", moderator=True, is_staff=True, is_superuser=True)


def _pages(where: Place, author: Any, mine: Contribs, admin: Any) -> dict[str, str]:
    reader = client_for(make_user("readerq"))
    own = client_for(author)
    boss = client_for(admin)
    pid = mine.collections["public"].pid
    return {
        "item": reader.get(where.item.get_absolute_url()).content.decode(),
        "work": reader.get(where.work.get_absolute_url()).content.decode(),
        "annotations": reader.get(f"/annotations/items/{where.item.pid}/").content.decode(),
        "collection": reader.get(f"/saved/{pid}/").content.decode(),
        "moderation": boss.get("/moderation/").content.decode(),
        "me": own.get("/me/").content.decode(),
        "admin_comments": boss.get("/admin/discussion/comment/").content.decode(),
        "admin_annotations": boss.get("/admin/annotations/annotation/").content.decode(),
        "admin_collections": boss.get("/admin/saved/readercollection/").content.decode(),
    }


@pytest.mark.parametrize("name", XSS_NAMES)
def test_the_display_name_is_shown_escaped_on_every_page_that_names_the_author(name: str) -> None:
    where, author, mine, admin = _world(name)
    for page, html in _pages(where, author, mine, admin).items():
        assert escape(name) in html, page
        for raw in RAW:
            assert raw not in html, (page, raw)
        if page in ("item", "work", "annotations", "collection"):
            assert f"<bdi>{escape(name)}</bdi>" in html, page  # isolated: a bidi name cannot flip the line
        assert "authorq" not in html.replace("authorq@", "") or page.startswith(("admin", "me")), page


def test_without_a_display_name_the_user_name_shows_and_anonymised_is_a_former_reader() -> None:
    where, _author, mine, _admin = _world("")
    html = client_for().get(f"/annotations/items/{where.item.pid}/").content.decode()
    assert "<bdi>authorq</bdi>" in html
    assert "<bdi>authorq</bdi>" in client_for().get(f"/saved/{mine.collections['public'].pid}/").content.decode()
    for obj in (mine.annotations["public"], mine.collections["public"], mine.comments["public"]):
        type(obj)._default_manager.filter(pk=obj.pk).update(author=None)
    for path in (f"/annotations/items/{where.item.pid}/", f"/saved/{mine.collections['public'].pid}/",
                 where.item.get_absolute_url()):
        html = client_for().get(path, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        with translation.override("fr"):
            assert gettext("A former reader") in html and gettext("A former reader") != "A former reader", path
        assert "authorq" not in html


def _report_forms(html: str) -> int:
    return html.count('action="/report/')


@pytest.mark.parametrize("language", ["en", "fr", "zh-hans", "zh-hant"])
def test_report_controls_on_annotations_and_public_collections(language: str) -> None:
    where = place()
    author = make_user("authorq", trusted=True)
    mine = contribute(author, where)
    anno_page = f"/annotations/items/{where.item.pid}/"
    coll_page = f"/saved/{mine.collections['public'].pid}/"
    other = client_for(make_user("otherq"))
    html = other.get(anno_page, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    # the public annotation only (the private and group ones are not even listed)
    assert _report_forms(html) == 1 and "Privnote" not in html and "Groupnote" not in html
    assert f'action="/report/annotations.annotation/{mine.annotations["public"].pk}"' in html
    with translation.override(language):
        label, why = gettext("Report"), gettext("Why?")
    assert f"<summary>{label}</summary>" in html and why in html
    if language != "en":
        assert label != "Report"
    chtml = other.get(coll_page, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert _report_forms(chtml) == 1 and f"<summary>{label}</summary>" in chtml
    # not for the author, not for anonymous readers, not on a private collection (which is a 404 anyway)
    for client in (client_for(author), client_for()):
        assert _report_forms(client.get(anno_page).content.decode()) == 0
        assert _report_forms(client.get(coll_page).content.decode()) == 0
    assert _report_forms(client_for(author).get(f"/saved/{mine.collections['private'].pid}/").content.decode()) == 0


def test_reporting_needs_csrf_and_lands_in_the_queue() -> None:
    where = place()
    author = make_user("authorq", trusted=True)
    mine = contribute(author, where)
    otheruser = make_user("otherq")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(otheruser, backend="django.contrib.auth.backends.ModelBackend")
    anno = mine.annotations["public"]
    coll = mine.collections["public"]
    assert strict.post(f"/report/annotations.annotation/{anno.pk}", {"reason": "spam"}).status_code == 403
    assert not Report.objects.exists()
    other = client_for(otheruser)
    back = f"/annotations/items/{where.item.pid}/"
    response = other.post(f"/report/annotations.annotation/{anno.pk}", {"reason": "spam", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    response = other.post(f"/report/saved.readercollection/{coll.pk}",
                          {"reason": "abuse", "note": "<b>x</b>", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"].startswith("/saved/")
    assert Report.objects.count() == 2
    # nobody reports their own, nor what they cannot see
    assert client_for(author).post(f"/report/annotations.annotation/{anno.pk}",
                                   {"reason": "spam"}).status_code == 403
    private = mine.annotations["private"]
    assert other.post(f"/report/annotations.annotation/{private.pk}", {"reason": "spam"}).status_code == 404
    moderator = make_user("modq", moderator=True)
    queue = client_for(moderator).get("/moderation/").content.decode()
    assert "Pubnote" in queue or anno.text in queue
