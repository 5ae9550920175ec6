"""Fixtures of the story tests (#16): two holders, public and private pages, every role; for the publishing
tests the demo with its stories and the W3C and IIIF Presentation validators."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from mogao.accounts.models import Curatorship
from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Institution, Transcription, Visibility
from mogao.knowledge.models import Period, Place
from mogao.stories import services as stories
from mogao.stories.models import Story

ROLES = ("anonymous", "reader", "curator_a", "curator_b_nostaff", "curator_b", "admin")
LAYOUT = {"direction": "vertical-rl", "lines": [
    {"text": "如是我聞", "box": [900, 100, 80, 700]},
    {"text": "一時佛在", "box": [800, 100, 80, 700]},
    {"text": "舍衛國祇", "box": [700, 100, 80, 700]},
]}


@dataclass
class World:
    institutions: dict[str, Institution]
    pages: dict[tuple[str, str], Canvas]  # (institution, visibility) -> a 1000 × 800 page with three lines
    place: Place
    period: Period
    users: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str) -> Any:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser() if role == "anonymous" else self.users[role]

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client

    def story(self, inst: str = "A", slug: str = "journey", *, steps: int = 1, status: str = "draft") -> Story:
        """A story of ``inst`` by its curator, with image steps on the institution's public page."""
        curator = self.users["curator_a" if inst == "A" else "curator_b"]
        story = stories.create_story(curator, institution=self.institutions[inst], slug=slug,
                                     title={"en": f"Journey {slug}"}, default_language="en")
        for n in range(steps):
            stories.save_step(curator, story, {"kind": "image", "text": {"en": f"Step {n + 1}"},
                                               "canvas": self.pages[(inst, "public")].pk, "region": "10,10,100,100"})
        if status in ("review", "published"):
            stories.submit(curator, story)
        if status == "published":
            stories.publish(curator, story)
        story.refresh_from_db()
        return story


def curates(role: str, inst: str) -> bool:
    """The librarian's rule, written independently of the policy."""
    return role == "admin" or (role == "curator_a" and inst == "A") or (role == "curator_b" and inst == "B")


@pytest.fixture
def world(db: None) -> World:
    cache.clear()
    institutions = {
        "A": services.institution_upsert(code="BL", name={"en": ["British Library"]})[0],
        "B": services.institution_upsert(code="BnF", name={"fr": ["Bibliothèque nationale de France"]})[0],
    }
    pages = {}
    for inst, institution in institutions.items():
        for vis in ("public", "private"):
            item = services.item_upsert(
                institution=institution, shelfmark=f"ST-{inst}-{vis}", title={"en": [f"Story item {inst} {vis}"]},
                visibility=Visibility.PUBLIC if vis == "public" else Visibility.PRIVATE, languages=["lzh"],
            )[0]
            canvas = services.canvas_upsert(item=item, order=1, image_id=f"st-{inst}-{vis}", width=1000, height=800)[0]
            Transcription.objects.create(canvas=canvas, text="如是我聞\n一時佛在\n舍衛國祇", layout=LAYOUT)
            pages[(inst, vis)] = canvas
    place = Place.objects.create(pid="dunhuang-st", name={"en": ["Dunhuang"]}, latitude=40.1, longitude=94.7)
    period = Period.objects.create(pid="tang-st", name={"en": ["Tang"]}, year_start=618, year_end=907)
    world = World(institutions=institutions, pages=pages, place=place, period=period)
    user_model = get_user_model()
    specs = {"reader": {}, "curator_a": {"is_staff": True}, "curator_b_nostaff": {}, "curator_b": {"is_staff": True},
             "admin": {"is_staff": True, "is_superuser": True}}
    for role, flags in specs.items():
        user = user_model.objects.create_user(role, **flags)
        if role == "curator_a":
            Curatorship.objects.create(user=user, institution=institutions["A"])
        if role.startswith("curator_b"):
            Curatorship.objects.create(user=user, institution=institutions["B"])
        world.users[role] = user
    return world


# ---------------------------------------------------------------- publishing (manifest, W3C, demo)

TESTS = Path(__file__).resolve().parent.parent
SCHEMA_PATH = TESTS / "iiif" / "presentation" / "fixtures" / "iiif_3_0.json"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def w3c() -> ModuleType:
    """The project's W3C Web Annotation validator (tests/annotations/w3c.py)."""
    return _load("stories_w3c_validator", TESTS / "annotations" / "w3c.py")


@pytest.fixture(scope="session")
def presentation_schema() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


@pytest.fixture
def assert_valid(presentation_schema: jsonschema.Draft7Validator) -> Any:
    def check(document: dict[str, Any]) -> None:
        errors = sorted(presentation_schema.iter_errors(document), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message[:300]}" for e in errors[:5])

    return check


@pytest.fixture
def demo(db: Any) -> dict[str, int]:
    from mogao.demo.loader import demo_load

    return demo_load(echo=lambda *_: None)
