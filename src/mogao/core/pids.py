"""Stable public identifiers: readable slugs made once at creation, unique per model."""

from __future__ import annotations

import re
import unicodedata

from django.db import models
from pypinyin import lazy_pinyin

_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]+")


def slug_text(text: str, max_length: int = 80) -> str:
    """ASCII slug of any text; Chinese becomes toneless pinyin (金剛經 -> jin-gang-jing)."""
    text = _HAN.sub(lambda m: " " + " ".join(lazy_pinyin(m.group(0))) + " ", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-")


def make_pid(model: type[models.Model], *parts: str, max_length: int = 100) -> str:
    """A pid from ``parts`` not yet used by ``model`` (suffixes -2, -3... on collision)."""
    base = "-".join(p for p in (slug_text(part) for part in parts) if p)[: max_length - 6] or "record"
    base = base.strip("-")
    candidate, n = base, 1
    manager = model._default_manager
    while manager.filter(pid=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate
