"""Template helpers: language maps in the reader's language, marked with their ``lang``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, pgettext

from mogao.core import langmap
from mogao.core.langnames import language_name

register = template.Library()

_DJANGO_TO_BCP47 = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


def _chosen_tag(value: dict[str, list[str]], language: str) -> str:
    if language == "zh-hans" and "zh-Hans" not in value and (value.get("zh-Hant") or value.get("lzh")):
        return "zh-Hans"
    if language == "zh-hant" and "zh-Hant" not in value and "lzh" not in value and value.get("zh-Hans"):
        return "zh-Hant"
    for tag in langmap.candidates(language):
        if value.get(tag):
            return tag
    return next((t for t, v in value.items() if v), "")


@register.filter
def lm(value: Any) -> str:
    """The best string of a language map for the current interface language (plain text)."""
    return langmap.pick(value if isinstance(value, dict) else {}, get_language())


@register.simple_tag
def lmspan(value: Any, default: str = "") -> SafeString:
    """Like ``lm`` but wrapped in ``<span lang=…>`` when the text is not in the page's language."""
    value = value if isinstance(value, dict) else {}
    language = get_language() or "en"
    text = langmap.pick(value, language, default=default)
    tag = _chosen_tag(value, language) if value else ""
    page_tag = _DJANGO_TO_BCP47.get(language, language)
    if tag and tag != "none" and tag != page_tag:
        return format_html('<span lang="{}">{}</span>', tag, text)
    return format_html("{}", text)


@register.filter
def lmall(value: Any) -> list[tuple[str, str]]:
    """Every (language tag, string) pair of a map, for pages that show all languages."""
    value = value if isinstance(value, dict) else {}
    return [(tag, text) for tag, texts in value.items() for text in texts]


@register.filter
def langname(value: Any) -> str:
    """A language tag (``lzh``) as its name in the interface's language (文言文, chinois classique)."""
    return language_name(str(value or ""), get_language())


@register.filter
def langnames(value: Any) -> str:
    """A list of language tags as their names, joined by the interface's list separator."""
    tags = value if isinstance(value, list | tuple) else []
    return pgettext("list separator", ", ").join(language_name(str(t), get_language()) for t in tags)


@register.filter
def role_labels(value: Any) -> str:
    """A person's role keys (``["explorer"]``) in the interface's language, joined."""
    from mogao.knowledge.roles import role_label

    roles = value if isinstance(value, list | tuple) else []
    return pgettext("list separator", ", ").join(role_label(str(r)) for r in roles)


@register.filter
def web_url(value: Any) -> str:
    """``value`` if it is an http(s) URL, else ``""``: a record's link never becomes ``javascript:``."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""


@register.filter
def year(value: int | None) -> str:
    """An integer year as readers write it: 868, 250 BCE."""
    if value is None:
        return ""
    return gettext("%(year)s BCE") % {"year": -value} if value < 0 else str(value)


@register.filter
def date_shown(record: Any) -> dict[str, str]:
    """A record's date in the page's language: ``text``, its ``lang`` tag when it quotes a source, and
    ``years`` when they add something (see :func:`mogao.catalogue.display.date_parts`)."""
    from mogao.catalogue.display import date_parts

    return date_parts(getattr(record, "date_expression", ""), getattr(record, "year_start", None),
                      getattr(record, "year_end", None), lang=get_language() or "en")


@register.filter
def extent_shown(value: Any) -> str:
    """An extent ("58 folded folios") with its unit in the page's language."""
    from mogao.catalogue.display import extent_text

    return extent_text(str(value or ""), lang=get_language() or "en")


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters changed (None or '' removes them)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    params.pop("page", None) if "page" not in changes else None
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def colon() -> str:
    """The separator between a label and its value in the reader's language: ``": "`` in
    English, ``"\u00a0: "`` in French (a space before the colon), ``"："`` in Chinese."""
    return pgettext("separator after a label", ": ")
