"""IIIF property values (v2 strings and @value/@language objects, v3 language maps) -> language maps."""

from __future__ import annotations

from typing import Any

from mogao.core import langtags
from mogao.core.langmap import MAX_VALUE_LENGTH, LangMap
from mogao.ingest.normalise import strip_markup


def _add(out: LangMap, notes: list[str], tag: str | None, text: Any) -> None:
    if not isinstance(text, str | int | float) or isinstance(text, bool):
        return
    plain = strip_markup(str(text)) if "<" in str(text) or "&" in str(text) else str(text).strip()
    if not plain:
        return
    norm = langtags.normalize(tag) if tag else langtags.NONE
    if norm in ("@none", ""):
        norm = langtags.NONE
    if not langtags.is_known(norm):
        notes.append(f"unknown language tag “{tag}”; the text is kept without a language")
        norm = langtags.NONE
    if len(plain) > MAX_VALUE_LENGTH:
        notes.append(f"a text of {len(plain):,} characters was cut to {MAX_VALUE_LENGTH:,}")
        plain = plain[:MAX_VALUE_LENGTH]
    out.setdefault(norm, [])
    if plain not in out[norm]:
        out[norm].append(plain)


def langmap_of(value: Any) -> tuple[LangMap, list[str]]:
    """A language map from any IIIF v2/v3 text value, plus notes about what had to be changed.

    HTML is reduced to plain text; unknown language tags fall back to ``none``.
    """
    out: LangMap = {}
    notes: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            if "@value" in item:
                _add(out, notes, item.get("@language"), item["@value"])
            else:  # v3 language map
                for tag, texts in item.items():
                    for text in texts if isinstance(texts, list) else [texts]:
                        _add(out, notes, None if tag == "none" else tag, text)
        else:
            _add(out, notes, None, item)
    return out, notes


def metadata_of(entries: Any) -> list[dict[str, LangMap]]:
    """Metadata pairs ``[{"label": langmap, "value": langmap}]``, dropping empty ones."""
    out = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        label, _ = langmap_of(entry.get("label"))
        value, _ = langmap_of(entry.get("value"))
        if label or value:
            out.append({"label": label, "value": value})
    return out
