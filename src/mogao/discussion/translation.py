"""An optional machine-translation hook: :class:`TranslationProvider`.

Mogao ships none and configures none (``settings.COMMENT_TRANSLATION_PROVIDER`` is empty): its
cross-language help is glosses, not translation. A site with a translation service writes a class
with the interface below and names it by dotted path in ``MOGAO_COMMENT_TRANSLATION_PROVIDER``;
each comment in a language other than the reader's then offers a "Translate" link (see
docs/discussion.md).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@runtime_checkable
class TranslationProvider(Protocol):
    """What a machine-translation plug-in offers."""

    #: A short name shown beside every translation ("Translated by …").
    name: str

    def supports(self, source: str, target: str) -> bool:
        """True when the provider translates from BCP 47 tag ``source`` to ``target``."""

    def translate(self, text: str, *, source: str, target: str) -> str:
        """``text`` translated (plain text in, plain text out; raise on failure)."""


@lru_cache(maxsize=4)
def _load(path: str) -> TranslationProvider | None:
    if not path:
        return None
    try:
        provider = import_string(path)()
    except ImportError as exc:
        raise ImproperlyConfigured(f"COMMENT_TRANSLATION_PROVIDER {path!r} cannot be imported") from exc
    if not isinstance(provider, TranslationProvider):
        raise ImproperlyConfigured(f"{path!r} does not implement TranslationProvider")
    return provider


def provider() -> TranslationProvider | None:
    """The configured provider, or ``None`` (the default)."""
    return _load(str(getattr(settings, "COMMENT_TRANSLATION_PROVIDER", "") or ""))
