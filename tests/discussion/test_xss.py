"""Stored-XSS corpus through comment bodies, report notes and moderation reasons: escaped on the
item page, the work page, the htmx fragment, the moderation queue, My Mogao and the admin."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from mogao.community.models import Status
from mogao.discussion import moderation, mymogao, services
from mogao.discussion.models import Comment
from mogao.discussion.render import body_html

from .conftest import World

pytestmark = pytest.mark.django_db

CORPUS = [
    '<script>alert("x")</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    'javascript:alert(document.cookie)',
    '<svg onload=alert(1)><circle r="9"/></svg>',
    '<svg><script>alert(1)</script></svg>',
    '"><iframe src="https://evil.example"></iframe>',
    "{{ request }} {% csrf_token %}",
    "gmail.com\u202egnp.exe \u2066isolated\u2069 text",
]
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


class _Elements(HTMLParser):
    """Every element a browser would build from the page: payloads must stay text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        payload_svg = tag == "svg" and not ({"aria-hidden", "xmlns"} & values.keys())  # not the admin's icons
        payload_img = tag == "img" and values.get("src") == "x"
        if payload_svg or payload_img or tag in ("circle", "iframe", "object", "embed"):
            self.bad.append(f"{tag} {attrs}")
        data_block = (values.get("type") or "") in ("application/ld+json", "application/json")
        ours = (values.get("src") or "").startswith(("/static/", "/admin/jsi18n/"))
        if tag == "script" and not ours and not data_block and "nonce" not in values:
            self.bad.append(f"inline script {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"{tag} {name}")
            url = (value or "").strip().lower()
            if name in ("href", "src", "action", "formaction") and url.startswith("javascript:"):
                self.bad.append(f"{tag} {name}={value}")


def assert_clean(html: str) -> None:
    assert not BIDI.search(html), "bidi control in the page"
    parser = _Elements()
    parser.feed(html)
    assert not parser.bad, parser.bad


@pytest.mark.parametrize("payload", CORPUS)
def test_rendered_body_is_inert(payload: str) -> None:
    for language in ("en", "fr", "zh-Hant", "und"):
        for links in (False, True):
            assert_clean(str(body_html(payload + " 金剛經 https://example.org/x", language=language, links=links)))


def test_trusted_links_are_nofollow_ugc_and_http_only() -> None:
    html = str(body_html("see https://example.org/a?b=1&c=<2> and javascript:alert(1)", language="en", links=True))
    assert '<a href="https://example.org/a?b=1&amp;c=" rel="nofollow ugc noopener">' in html
    assert 'href="javascript' not in html
    assert "<a" not in str(body_html("see https://example.org/a", language="en", links=False))


def test_corpus_escaped_everywhere(world: World) -> None:
    item, work = world.items["A"], world.work
    reader, trusted = world.users["reader"], world.users["trusted"]
    for payload in CORPUS:
        services.comment_post(user=trusted, target=item, body=payload, language="en")
        services.comment_post(user=trusted, target=work, body=payload)
        pending = services.comment_post(user=reader, target=item, body=payload)
        assert pending.status == Status.PENDING
    for c in Comment.objects.filter(author=trusted, target_id=item.pk)[:3]:
        services.report_create(user=reader, contribution=c, reason="abuse", note=CORPUS[1])
    victim = Comment.objects.filter(author=reader).first()
    assert victim is not None
    moderation.decide(user=world.users["moderator"], obj=victim, status="hidden", reason=CORPUS[0])
    assert "\u202e" not in Comment.objects.get(pk=victim.pk).body  # removed on input
    pages = {
        "item": world.client("anonymous").get(item.get_absolute_url()),
        "item as author": world.client("reader").get(item.get_absolute_url()),
        "work": world.client("anonymous").get(work.get_absolute_url()),
        "fragment": world.client("reader").get(f"/comments/catalogue.item/{item.pk}/", HTTP_HX_REQUEST="true"),
        "queue": world.client("moderator").get("/moderation/"),
        "queue decided": world.client("moderator").get("/moderation/?show=decided"),
        "admin list": world.client("admin").get("/admin/discussion/comment/"),
        "admin change": world.client("admin").get(f"/admin/discussion/comment/{victim.pk}/change/"),
        "admin history": world.client("admin").get(f"/admin/discussion/comment/{victim.pk}/history/"),
        "admin reports": world.client("admin").get("/admin/discussion/report/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "&lt;script&gt;" in html or "&lt;" in html or name.startswith("admin"), name
        try:
            assert_clean(html)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc
    request = RequestFactory().get("/me/")
    request.user = reader
    mine = render_to_string("discussion/_mymogao.html", mymogao.context(request), request=request)
    assert "&lt;img src=x" in mine
    assert_clean(mine)
