"""Fixtures for Presentation tests: the JSON Schema validator and the small test library."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from .prezi_support import SCHEMA_PATH, Library, build_library


@pytest.fixture(scope="session")
def presentation_schema() -> jsonschema.Draft7Validator:
    """The IIIF Presentation 3.0 JSON Schema (IIIF/presentation-validator, Apache-2.0)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.fixture
def assert_valid(presentation_schema: jsonschema.Draft7Validator) -> Any:
    def check(document: dict[str, Any]) -> None:
        errors = sorted(presentation_schema.iter_errors(document), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message[:300]}" for e in errors[:5])

    return check


@pytest.fixture
def library(db: None, tmp_path: Path) -> Library:
    return build_library(tmp_path)
