"""The registry of notification kinds (#17): each app names its kinds at ``AppConfig.ready``.

No model is imported here, so apps may call :func:`register_kind` while the registry loads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

_KINDS: dict[str, str | Promise] = {}


def register_kind(kind: str, label: str | Promise) -> None:
    """Name a kind of notification (``"digitization.published"``); ``label`` is shown on the
    settings and unsubscribe pages (a lazy translation, so each reader sees it in their language)."""
    if not kind or len(kind) > 80 or any(ch.isspace() for ch in kind):
        raise ValueError(f"notification kind {kind!r}: 1 to 80 characters without spaces")
    _KINDS[kind] = label


def kinds() -> dict[str, str | Promise]:
    """Every registered kind and its label, in registration order."""
    return dict(_KINDS)


def label_of(kind: str) -> str | Promise:
    """The label of a kind (the kind itself when it is not registered)."""
    return _KINDS.get(kind, kind)


@dataclass(frozen=True)
class Digest:
    """A periodic digest :func:`mogao.notify.services.run_digests` sends (``mogao manage notify_digest``)."""

    kind_prefix: str
    recipients: Callable[[], Iterable[Any]]
    template: str
    context_for: Callable[[Any], dict[str, Any]] | None = None


_DIGESTS: dict[str, Digest] = {}


def register_digest(kind_prefix: str, recipients: Callable[[], Iterable[Any]], *, template: str,
                    context_for: Callable[[Any], dict[str, Any]] | None = None) -> None:
    """Have ``notify_digest`` send a digest of ``kind_prefix`` to whoever ``recipients()`` names."""
    _DIGESTS[kind_prefix] = Digest(kind_prefix, recipients, template, context_for)


def digests() -> list[Digest]:
    """Every registered digest."""
    return list(_DIGESTS.values())
