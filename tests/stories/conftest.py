"""Fixtures of the publishing tests of stories (#16): the demo with its stories, the validators."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest

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
