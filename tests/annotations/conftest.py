"""Fixtures of the annotation tests: a page with a transcription at two institutions, every role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from mogao.accounts.models import Curatorship, Profile
from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Transcription
from mogao.community.models import ReaderGroup

PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
ROLES = ("author", "other", "member", "moderator", "curator", "other_curator", "anonymous")
LAYOUT = {"direction": "vertical-rl", "lines": [
    {"text": "如是我聞", "box": [100, 100, 50, 400],
     "chars": [{"text": c, "box": [100, 100 + 100 * i, 50, 100]} for i, c in enumerate("如是我聞")]},
    {"text": "一時佛在", "box": [40, 100, 50, 400]},
]}


@dataclass
class Site:
    canvas: Canvas
    other_canvas: Canvas
    transcription: Transcription
    users: dict[str, Any] = field(default_factory=dict)
    group: ReaderGroup | None = None

    def client(self, role: str) -> Client:
        client = Client(enforce_csrf_checks=False)
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


def make_user(username: str, **flags: Any) -> Any:
    user = get_user_model().objects.create_user(username=username, password=None)  # no hashing: fast
    if flags:
        Profile.objects.update_or_create(user=user, defaults=flags)
    return user


@pytest.fixture
def site(db: None, settings: Any) -> Site:
    settings.BASE_URL = "http://testserver"
    cache.clear()
    bl = services.institution_upsert(code="BL", name={"en": ["British Library"]})[0]
    bnf = services.institution_upsert(code="BnF", name={"fr": ["BnF"]})[0]
    item = services.item_upsert(institution=bl, shelfmark="Or.8210/S.1", title={"en": ["Diamond Sūtra"]},
                                languages=["lzh"])[0]
    canvas = services.canvas_upsert(item=item, order=1, image_id="anno-1", width=1000, height=800)[0]
    other_item = services.item_upsert(institution=bnf, shelfmark="P.1", title={"en": ["Other"]})[0]
    other_canvas = services.canvas_upsert(item=other_item, order=1, image_id="anno-2", width=500, height=500)[0]
    transcription = Transcription.objects.create(canvas=canvas, text="如是我聞\n一時佛在", layout=LAYOUT)
    users = {
        "author": make_user("author"),
        "other": make_user("other"),
        "member": make_user("member"),
        "moderator": make_user("moderator", moderator=True),
        "curator": make_user("curator"),
        "other_curator": make_user("other_curator"),
        "trusted": make_user("trusted", trusted=True),
        "admin": get_user_model().objects.create_user(username="admin", password=None, is_superuser=True,
                                                      is_staff=True),
    }
    for name, institution in (("curator", bl), ("other_curator", bnf)):
        users[name].is_staff = True
        users[name].save()
        Curatorship.objects.create(user=users[name], institution=institution)
    group = ReaderGroup.objects.create(name="Class of 2026", slug="class-2026", owner=users["author"])
    group.members.add(users["author"], users["member"])
    return Site(canvas=canvas, other_canvas=other_canvas, transcription=transcription, users=users, group=group)


def region(site: Site, *, xywh: str = "10,20,300,200", text: str = "A seal", language: str = "en",
           visibility: str = "private", tags: tuple[str, ...] = ("seal",), group: bool = False) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if text:
        body.append({"type": "TextualBody", "value": text, "language": language, "format": "text/plain",
                     "purpose": "commenting"})
    body.extend({"type": "TextualBody", "value": t, "purpose": "tagging"} for t in tags)
    audience: dict[str, Any] = {"type": "schema:Audience", "schema:audienceType": visibility}
    if group:
        audience["id"] = f"http://testserver/annotations/groups/{site.group.slug}/"  # type: ignore[union-attr]
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "motivation": "commenting",
        "body": body,
        "target": {"source": f"http://testserver/iiif/items/{site.canvas.item.pid}/canvas/1",
                   "selector": {"type": "FragmentSelector", "value": f"xywh={xywh}"}},
        "audience": audience,
    }


def text_range(site: Site, start: int, end: int, **kwargs: Any) -> dict[str, Any]:
    data = region(site, **kwargs)
    data["target"] = {"source": f"http://testserver/items/{site.canvas.item.pid}/read/1#transcription",
                      "selector": {"type": "TextPositionSelector", "start": start, "end": end}}
    return data


def container(site: Site) -> str:
    return f"/annotations/canvas/{site.canvas.pk}/"


SERVED: list[dict[str, Any]] = []


@pytest.fixture(autouse=True)
def validate_everything_served(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSON-LD document the protocol serves in these tests passes the W3C validator."""
    from mogao.annotations import protocol

    from . import w3c

    original = protocol.respond

    def checked(data: Any, **kwargs: Any) -> Any:
        kinds = data.get("type") if isinstance(data.get("type"), list) else [data.get("type")]
        if "AnnotationCollection" in kinds:
            w3c.validate_collection(data)
        elif "AnnotationPage" in kinds:
            w3c.validate_page(data)
        else:
            w3c.validate_annotation(data)
        SERVED.append(data)
        return original(data, **kwargs)

    monkeypatch.setattr(protocol, "respond", checked)
