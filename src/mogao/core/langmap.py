"""Multilingual strings as IIIF-style language maps: ``{"zh-Hant": ["金剛經"], "en": ["Diamond Sutra"]}``.

A language map is stored in a JSONField. :func:`clean` validates and normalizes one (raising
``ValidationError`` with a message naming the bad tag or value); :func:`pick` chooses the best
string for a reader's language, deriving zh-Hans from zh-Hant and back through OpenCC.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mogao.core import langtags
from mogao.text.convert import to_simplified, to_traditional

LangMap = dict[str, list[str]]
MAX_VALUE_LENGTH = 20_000

# The interface languages, as Django names them, mapped to the language-map tags they prefer.
INTERFACE_PREFERENCES: dict[str, tuple[str, ...]] = {
    "en": ("en",),
    "fr": ("fr",),
    "zh-hans": ("zh-Hans", "zh", "zh-CN"),
    "zh-hant": ("zh-Hant", "lzh", "zh", "zh-TW", "zh-HK"),
}
_FALLBACK_ORDER = ("en", "zh-Hant", "zh-Hans", "lzh", "zh", "fr", langtags.NONE)


def clean(value: Any, *, field: str = "value", required: bool = False) -> LangMap:
    """Validate and normalize a language map; strings are stripped and empty ones dropped.

    Accepts ``{tag: str}`` as a shorthand for ``{tag: [str]}``.
    """
    if value in (None, "", {}):
        if required:
            raise ValidationError(_("%(field)s needs at least one language."), params={"field": field})
        return {}
    if not isinstance(value, Mapping):
        raise ValidationError(
            _("%(field)s must be a language map such as {\"en\": [\"Diamond Sutra\"]}."),
            params={"field": field},
        )
    out: LangMap = {}
    for raw_tag, raw_values in value.items():
        if not isinstance(raw_tag, str):
            raise ValidationError(_("%(field)s has a language tag that is not text."), params={"field": field})
        tag = langtags.normalize(raw_tag)
        if not langtags.is_known(tag):
            raise ValidationError(
                _("%(field)s: unknown language tag “%(tag)s” (use e.g. en, fr, zh-Hant, zh-Hans, lzh)."),
                params={"field": field, "tag": raw_tag},
            )
        values = [raw_values] if isinstance(raw_values, str) else raw_values
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValidationError(
                _("%(field)s: the values for “%(tag)s” must be text."), params={"field": field, "tag": raw_tag}
            )
        kept = [v.strip() for v in values if v.strip()]
        for v in kept:
            if len(v) > MAX_VALUE_LENGTH:
                raise ValidationError(
                    _("%(field)s: the “%(tag)s” text is longer than %(max)d characters."),
                    params={"field": field, "tag": raw_tag, "max": MAX_VALUE_LENGTH},
                )
        if kept:
            out.setdefault(tag, []).extend(kept)
    if required and not out:
        raise ValidationError(_("%(field)s needs at least one language."), params={"field": field})
    return out


def derive_chinese(value: Mapping[str, list[str]]) -> LangMap:
    """Return the map with zh-Hans derived from zh-Hant (or lzh), and zh-Hant from zh-Hans."""
    out = {k: list(v) for k, v in value.items()}
    trad = out.get("zh-Hant") or out.get("lzh")
    if trad and "zh-Hans" not in out:
        out["zh-Hans"] = [to_simplified(v) for v in trad]
    if "zh-Hans" in value and "zh-Hant" not in out and "lzh" not in out:
        out["zh-Hant"] = [to_traditional(v) for v in value["zh-Hans"]]
    return out


def candidates(language: str | None) -> tuple[str, ...]:
    """The language-map tags to try, best first, for an interface language."""
    lang = (language or "en").lower()
    preferred = INTERFACE_PREFERENCES.get(lang, (langtags.normalize(lang),))
    return (*preferred, *(t for t in _FALLBACK_ORDER if t not in preferred))


def pick_all(value: Mapping[str, list[str]] | None, language: str | None) -> list[str]:
    """All strings in the best available language for ``language``; [] for an empty map."""
    if not value:
        return []
    lang = (language or "en").lower()
    if lang == "zh-hans" and "zh-Hans" not in value:
        trad = value.get("zh-Hant") or value.get("lzh")
        if trad:
            return [to_simplified(v) for v in trad]
    if lang == "zh-hant" and "zh-Hant" not in value and "lzh" not in value and "zh-Hans" in value:
        return [to_traditional(v) for v in value["zh-Hans"]]
    for tag in candidates(language):
        if value.get(tag):
            return list(value[tag])
    for values in value.values():
        if values:
            return list(values)
    return []


def pick(value: Mapping[str, list[str]] | None, language: str | None, default: str = "") -> str:
    """The first string in the best available language for ``language``."""
    found = pick_all(value, language)
    return found[0] if found else default


def all_strings(value: Mapping[str, list[str]] | None) -> Iterable[str]:
    """Every string of a map, in every language (for search and matching)."""
    for values in (value or {}).values():
        yield from values
