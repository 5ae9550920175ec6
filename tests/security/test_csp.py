"""The Content-Security-Policy (fault 12): on every kind of response, with a fresh nonce, and no
template or script that needs more than it allows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from mogao.catalogue.models import Canvas, Item, Visibility
from mogao.demo.loader import load_builtin

SRC = Path(__file__).resolve().parents[2] / "src" / "mogao"
TEMPLATES = list(SRC.rglob("templates/**/*.html"))
SCRIPTS = [p for p in SRC.rglob("static/**/*.js") if "vendor" not in p.parts]


def _directives(policy: str) -> dict[str, str]:
    return {d.strip().split(" ", 1)[0]: d.strip().partition(" ")[2] for d in policy.split(";") if d.strip()}


def _assert_strict(policy: str, where: str) -> str:
    d = _directives(policy)
    assert d["default-src"] == "'self'", where
    nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9_-]{20,})'", d["script-src"])
    assert nonce, (where, d["script-src"])
    assert "unsafe" not in d["script-src"] and "unsafe-eval" not in policy, where
    assert d["object-src"] == "'none'" and d["base-uri"] == "'self'", where
    assert d["frame-ancestors"] == "'none'", where  # as X-Frame-Options: DENY
    assert d["img-src"].split()[:2] == ["'self'", "data:"], where
    return nonce.group(1)


@pytest.fixture
def pages(db: None) -> dict[str, str]:
    load_builtin()
    item = Item.objects.filter(visibility=Visibility.PUBLIC).order_by("pid").first()
    assert item is not None
    if not item.canvases.exists():
        Canvas.objects.create(item=item, order=1, label={"en": ["f. 1"]}, width=1000, height=800, image_id="demo-1")
    return {
        "home": "/", "browse": "/browse/", "item": item.get_absolute_url(), "search": "/search/?q=sutra",
        "suggest": "/search/suggest?q=su", "graph": "/graph/", "map": "/map/", "timeline": "/timeline/",
        "institutions": "/institutions/", "people": "/people/", "reading": reverse("reading:page", args=[item.pid, 1]),
        "admin login": "/admin/login/", "api": "/api/v1/institutions", "api docs": "/api/v1/docs",
        "oai": "/oai?verb=Identify", "manifest": reverse("iiif_presentation:item_manifest", args=[item.pid]),
        "sitemap": "/sitemap.xml", "not found": "/items/no-such-item",
    }


def test_every_kind_of_response_carries_the_policy_with_a_fresh_nonce(client: Client, pages: dict[str, str]) -> None:
    nonces = set()
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in {200, 404}, (name, url, response.status_code)
        assert "Content-Security-Policy" in response, f"{name} ({url}) has no policy"
        nonces.add(_assert_strict(response["Content-Security-Policy"], name))
    assert len(nonces) == len(pages), "each response has its own nonce"


def test_the_admin_carries_the_policy(client: Client, db: None) -> None:
    client.force_login(get_user_model().objects.create_superuser("csp-admin", password="x-unused-password-1"))
    for url in ("/admin/", "/admin/catalogue/item/", "/admin/catalogue/item/add/", "/admin/knowledge/person/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response["Content-Security-Policy"], url)


def test_inline_scripts_and_styles_carry_the_nonce_of_their_response(client: Client, pages: dict[str, str]) -> None:
    for name in ("home", "item", "graph", "map", "reading", "search"):
        response = client.get(pages[name])
        nonce = _assert_strict(response["Content-Security-Policy"], name)
        html = response.content.decode()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            if "src=" in tag or 'type="application/json"' in tag or 'type="application/ld+json"' in tag:
                continue
            assert f'nonce="{nonce}"' in tag, (name, tag)
        assert not re.search(r"\son[a-z]+\s*=", html.split("<body", 1)[1]), f"inline event handler on {name}"


def test_only_the_comparison_workspace_widens_the_policy_and_says_how(client: Client, pages: dict[str, str]) -> None:
    pid = pages["item"].rstrip("/").rsplit("/", 1)[1]
    response = client.get(reverse("iiif_presentation:compare_items", args=[pid, pid]))
    d = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in d["style-src"] and "https:" in d["img-src"] and "https:" in d["connect-src"]
    assert "unsafe" not in d["script-src"]
    home = _directives(client.get("/")["Content-Security-Policy"])
    assert home["style-src"].startswith("'self' 'nonce-") and "unsafe" not in home["style-src"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_template_needs_an_inline_script_handler_or_eval(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
        if "src=" in tag or "application/ld+json" in tag:
            continue
        assert "nonce=" in tag, f"{tag} without the request's nonce"
    assert not re.search(r"\son(?:click|load|error|submit|change|input|mouse\w+|key\w+|focus|blur)\s*=", text)
    assert not re.search(r"\shx-on[:-]", text), "hx-on needs 'unsafe-eval'"
    assert not re.search(r"<script[^>]*>[^<]*\|safe", text), "|safe inside <script>: use json_script"


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(SRC)))
def test_scripts_write_html_only_through_their_escaping_helper(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "eval(" not in text and "new Function" not in text and "document.write" not in text
    for line in text.splitlines():
        if re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML", line):
            pytest.fail(f"{path.name}: HTML written from a string: {line.strip()}")
