"""Form field and widget that edit a language map as one row per language, never raw JSON."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mogao.core import langmap, langtags

COMMON_TAGS = ["zh-Hant", "zh-Hans", "lzh", "en", "fr", "ja", "ko", "de", "ru", "bo", "otk", "he", "sa", "none"]
EXTRA_ROWS = 2


class LanguageMapWidget(forms.Widget):
    """Renders ``rows`` of (language, text) inputs; posts ``name-lang-N`` / ``name-text-N``.

    ``multiline`` widgets (descriptions, notes) give each text a textarea instead of a one-line input.
    """

    template_name = "core/widgets/langmap.html"

    class Media:
        css = {"all": ["core/langmap.css"]}

    def __init__(self, attrs: dict[str, Any] | None = None, *, multiline: bool = False) -> None:
        super().__init__(attrs)
        self.multiline = multiline

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        rows: list[tuple[str, str]] = []
        if isinstance(value, dict):
            for tag, values in value.items():
                for text in values if isinstance(values, list) else [values]:
                    rows.append((str(tag), str(text)))
        elif isinstance(value, list):
            rows = [(str(t), str(v)) for t, v in value]
        rows.extend([("", "")] * EXTRA_ROWS)
        context["widget"]["rows"] = [
            {"index": i, "lang": tag, "text": text} for i, (tag, text) in enumerate(rows)
        ]
        context["widget"]["common_tags"] = COMMON_TAGS
        context["widget"]["multiline"] = self.multiline
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        index = 0
        while f"{name}-lang-{index}" in data or f"{name}-text-{index}" in data:
            rows.append((data.get(f"{name}-lang-{index}", ""), data.get(f"{name}-text-{index}", "")))
            index += 1
            if index > 200:
                break
        return rows

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return f"{name}-lang-0" not in data


class LanguageMapFormField(forms.Field):
    """Cleans the widget's rows into a validated language map."""

    widget = LanguageMapWidget

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", LanguageMapWidget(multiline=multiline))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> langmap.LangMap:
        if isinstance(value, dict):
            return langmap.clean(value, field=str(self.label or "value"))
        out: dict[str, list[str]] = {}
        for tag, text in value or []:
            tag, text = (tag or "").strip(), (text or "").strip()
            if not text and not tag:
                continue
            if not tag:
                raise ValidationError(_("Choose a language for “%(text)s”."), params={"text": text[:40]})
            if not text:
                continue
            out.setdefault(tag, []).append(text)
        return langmap.clean(out, field=str(self.label or "value"))

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(_("Give this in at least one language."), code="required")

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return bool(self.to_python(data) != (initial or {}))
        except ValidationError:
            return True


# Commas, spaces, new lines; brackets and quotes too, so a pasted JSON list (["lzh"]) still reads.
_TAG_SEPARATORS = re.compile(r"[\s,;、，\[\]\"']+")


class LanguageTagsField(forms.CharField):
    """A list of BCP 47 language tags typed as ``lzh, bo`` (commas, spaces or one per line).

    Each tag is normalized (``ZH-hant`` -> ``zh-Hant``) and must be one Mogao knows
    (:mod:`mogao.core.langtags`); an unknown one is a field error naming it.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("Language tags separated by commas, e.g. lzh, bo, zh-Hant (BCP 47).")
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 40, "placeholder": "lzh, bo"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            parts = [str(v) for v in value]
        else:
            parts = [p for p in _TAG_SEPARATORS.split(str(value or "")) if p]
        tags: list[str] = []
        unknown: list[str] = []
        for part in parts:
            tag = langtags.normalize(part)
            if not langtags.is_known(tag) or tag == langtags.NONE:
                unknown.append(part)
            elif tag not in tags:
                tags.append(tag)
        if unknown:
            raise ValidationError(
                _("Not a language tag Mogao knows: %(tags)s. Use BCP 47 tags such as lzh, bo, sa or zh-Hant."),
                code="invalid", params={"tags": ", ".join(unknown)},
            )
        return tags

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != list(initial or [])
        except ValidationError:
            return True
