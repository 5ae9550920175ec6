"""The Image API asks the policy per image: private/withdrawn are 404, downloads off are capped (#12, fault 10).

Every check runs through Django (test client) and through the WSGI fast path, whose inner app is
Django's own handler so that a session cookie really reaches sessions and authentication.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from PIL import Image

from mogao.accounts.models import Curatorship
from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Institution, Item, Visibility
from mogao.core import changes
from mogao.iiif.web import fast_path

pytestmark = pytest.mark.django_db

IMAGES = ("pub", "priv", "gone", "nodl")
CAP = 300  # IIIF_NODOWNLOAD_MAX in these tests; the images are 1000 x 1000


@dataclass
class Holdings:
    bl: Institution
    bnf: Institution
    items: dict[str, Item]


@pytest.fixture
def holdings(image_root: Path, validator_png: Path, settings: Any) -> Holdings:
    from mogao.iiif.services import image_build_pyramid, image_register

    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.IIIF_NODOWNLOAD_MAX = CAP
    bl, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    bnf, _ = services.institution_upsert(code="BnF", name={"fr": ["Bibliothèque nationale"]})
    kinds = {
        "pub": {}, "priv": {"visibility": Visibility.PRIVATE}, "gone": {"visibility": Visibility.WITHDRAWN},
        "nodl": {"allow_download": False},
    }
    items = {}
    for name, extra in kinds.items():
        item, _ = services.item_upsert(institution=bl, shelfmark=f"Or.{name}", title={"en": [name]}, **extra)
        image_register(source=validator_png, identifier=f"{name}-img")
        image_build_pyramid(f"{name}-img")
        Canvas.objects.create(item=item, order=1, image_id=f"{name}-img", width=1000, height=1000)
        items[name] = item
    image_register(source=validator_png, identifier="loose-img")  # registered, shown by no canvas
    changes.flush()  # what the commit does: subscribers (the image access map) hear of the records
    return Holdings(bl, bnf, items)


def _user(name: str, *, institution: Institution | None = None, superuser: bool = False) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(name, password="x-unused-password-1")
    user.is_staff = institution is not None or superuser
    user.is_superuser = superuser
    user.save()
    if institution is not None:
        Curatorship.objects.create(user=user, institution=institution)
    return user


class FastPath:
    """The fast path in front of Django's real WSGI handler; records whether Django was reached."""

    def __init__(self) -> None:
        self.django_calls = 0
        handler = WSGIHandler()

        def inner(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            self.django_calls += 1
            return handler(environ, start_response)

        self.app = fast_path(inner)

    def get(self, path: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured["status"], captured["headers"] = status, dict(headers)

        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_HOST": "localhost", "SERVER_NAME": "localhost",
            "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
            "HTTP_COOKIE": cookie, "SCRIPT_NAME": "",
        }
        # As Django's test client does: the request must not close the test's transaction.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = b"".join(self.app(environ, start_response))
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return int(captured["status"].split()[0]), captured["headers"], body


def _session_cookie(user: AbstractBaseUser | None) -> tuple[Client, str]:
    client = Client()
    if user is None:
        return client, ""
    client.force_login(user)
    return client, f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"


def _both(user: AbstractBaseUser | None, path: str) -> list[tuple[int, dict[str, str], bytes]]:
    """The answer to ``path`` through Django and through the fast path, as ``user``."""
    client, cookie = _session_cookie(user)
    response = client.get(path)
    via_django = (response.status_code, dict(response.headers), response.content)
    return [via_django, FastPath().get(path, cookie)]


PATHS = ("{id}/info.json", "{id}/full/max/0/default.jpg", "{id}/0,0,256,256/256,256/0/default.jpg", "{id}")


@pytest.mark.parametrize("who", ["anonymous", "reader", "other curator"])
def test_private_and_withdrawn_images_are_404_like_missing_ones(holdings: Holdings, who: str) -> None:
    user = {"anonymous": None, "reader": _user("reader"),
            "other curator": _user("bnf", institution=holdings.bnf)}[who]
    for name in ("priv", "gone"):
        for template in PATHS:
            for status, _headers, body in _both(user, "/iiif/3/" + template.format(id=f"{name}-img")):
                assert status == 404, (who, name, template)
                # Word for word what a missing image gets: existence is not revealed.
                assert body == f"no image '{name}-img'\n".encode()
    for status, _headers, _body in _both(user, "/iiif/3/pub-img/info.json"):
        assert status == 200


@pytest.mark.parametrize("who", ["holder curator", "administrator"])
def test_curators_of_the_holder_see_private_images(holdings: Holdings, who: str) -> None:
    user = (_user("bl", institution=holdings.bl) if who == "holder curator"
            else _user("root", superuser=True))
    for name in ("priv", "gone"):
        for status, headers, body in _both(user, f"/iiif/3/{name}-img/full/max/0/default.jpg"):
            assert status == 200, (who, name)
            assert Image.open(io.BytesIO(body)).size == (1000, 1000)
            assert "private" in headers["Cache-Control"] and "Cookie" in headers["Vary"]


def test_downloads_off_caps_tiles_and_full_image(holdings: Holdings) -> None:
    for user in (None, _user("reader"), _user("bnf", institution=holdings.bnf)):
        for status, headers, body in _both(user, "/iiif/3/nodl-img/info.json"):
            assert status == 200
            doc = json.loads(body)
            assert (doc["maxWidth"], doc["maxHeight"], doc["maxArea"]) == (CAP, CAP, CAP * CAP)
            assert doc["tiles"][0]["scaleFactors"] == [4]  # 1000/4 = 250 px: the only level under 300
            assert all(max(s["width"], s["height"]) <= CAP for s in doc["sizes"])
            assert "private" in headers["Cache-Control"]
        for status, _headers, body in _both(user, "/iiif/3/nodl-img/full/max/0/default.jpg"):
            assert status == 200 and Image.open(io.BytesIO(body)).size == (CAP, CAP)
        # Full-resolution and half-resolution tiles are refused, the advertised level is served.
        for path in ("0,0,256,256/256,256/0/default.jpg", "0,0,512,512/256,256/0/default.jpg",
                     "full/1000,/0/default.jpg", "full/pct:100/0/default.png"):
            for status, _headers, body in _both(user, f"/iiif/3/nodl-img/{path}"):
                assert status in (400, 403), path
        for status, _headers, body in _both(user, "/iiif/3/nodl-img/0,0,1000,1000/250,250/0/default.jpg"):
            assert status == 200


def test_curators_of_the_holder_are_exempt_from_the_cap(holdings: Holdings) -> None:
    curator = _user("bl", institution=holdings.bl)
    for status, _headers, body in _both(curator, "/iiif/3/nodl-img/info.json"):
        assert json.loads(body)["maxWidth"] == 6000
    for status, _headers, body in _both(curator, "/iiif/3/nodl-img/0,0,256,256/256,256/0/default.jpg"):
        assert status == 200 and Image.open(io.BytesIO(body)).size == (256, 256)


def test_an_institution_switching_downloads_off_caps_its_images(holdings: Holdings) -> None:
    assert Client().get("/iiif/3/pub-img/0,0,256,256/256,256/0/default.jpg").status_code == 200
    holdings.bl.allow_download = False
    holdings.bl.save()
    changes.flush()  # what the commit does (the test's transaction never commits)
    assert Client().get("/iiif/3/pub-img/0,0,256,256/256,256/0/default.jpg").status_code == 403
    assert FastPath().get("/iiif/3/pub-img/0,0,256,256/256,256/0/default.jpg")[0] == 403


def test_public_images_never_reach_django_even_with_a_session(holdings: Holdings) -> None:
    _client, cookie = _session_cookie(_user("reader"))
    app = FastPath()
    assert app.get("/iiif/3/pub-img/0,0,256,256/256,256/0/default.jpg", cookie)[0] == 200
    assert app.get("/iiif/3/loose-img/info.json", cookie)[0] == 200  # no canvas shows it: as before
    # Without a session the answer cannot depend on the user: the fast path answers alone too.
    assert app.get("/iiif/3/priv-img/info.json")[0] == 404
    assert app.get("/iiif/3/nodl-img/full/max/0/default.jpg")[0] == 200
    assert app.django_calls == 0
    # With a session on a non-public image, Django (sessions + auth) decides.
    assert app.get("/iiif/3/priv-img/info.json", cookie)[0] == 404
    assert app.django_calls == 1


def test_visibility_changes_reach_the_image_server_at_once(holdings: Holdings) -> None:
    pub = holdings.items["pub"]
    app = FastPath()
    assert app.get("/iiif/3/pub-img/info.json")[0] == 200
    pub.visibility = Visibility.PRIVATE
    pub.save()
    changes.flush()  # what the commit does (the test's transaction never commits)
    assert app.get("/iiif/3/pub-img/info.json")[0] == 404
    assert Client().get("/iiif/3/pub-img/info.json").status_code == 404
    services.item_upsert(institution=holdings.bl, shelfmark="Or.pub", visibility=Visibility.PUBLIC)
    changes.flush()
    assert app.get("/iiif/3/pub-img/info.json")[0] == 200
    # A canvas pointing a private item at a public image hides nothing: one public item shows it.
    Canvas.objects.create(item=holdings.items["priv"], order=2, image_id="pub-img")
    changes.flush()
    assert app.get("/iiif/3/pub-img/info.json")[0] == 200


def test_static_export_skips_private_items(holdings: Holdings, tmp_path: Path) -> None:
    from mogao.iiif.services import image_export, image_export_identifiers

    exported = image_export_identifiers(all_images=True)
    assert "priv-img" not in exported and "gone-img" not in exported
    assert {"pub-img", "nodl-img"} <= set(exported)
    with pytest.raises(ValidationError):
        image_export_identifiers(identifiers=["priv-img"])
    with pytest.raises(ValidationError):
        image_export_identifiers(item_pid=holdings.items["gone"].pid)
    with pytest.raises(ValidationError):
        image_export(identifier="priv-img", out_dir=tmp_path)
    image_export(identifier="nodl-img", out_dir=tmp_path)
    doc = json.loads((tmp_path / "nodl-img" / "info.json").read_text())
    assert doc["tiles"][0]["scaleFactors"] == [4]
    for tile in (tmp_path / "nodl-img").rglob("*.jpg"):
        with Image.open(tile) as image:
            assert max(image.size) <= CAP, tile
