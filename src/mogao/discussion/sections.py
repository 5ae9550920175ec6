"""The comments section of a target page, as a template context (used by the template tag and views)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import get_language

from mogao.accounts import policy
from mogao.accounts.models import profile_of
from mogao.core.langnames import language_name
from mogao.discussion import langdetect, selectors, targets, translation
from mogao.discussion.models import MAX_BODY, Comment, Report
from mogao.discussion.render import body_html


def author_name(comment: Comment) -> str:
    user = comment.author
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    return (getattr(profile, "display_name", "") or user.get_username()) if profile else user.get_username()


def _trusted_author(comment: Comment, cache: dict[Any, bool]) -> bool:
    if comment.author_id is None:
        return False
    if comment.author_id not in cache:
        cache[comment.author_id] = policy.is_trusted(comment.author)
    return cache[comment.author_id]


def language_choices() -> list[tuple[str, str]]:
    lang = get_language()
    return [(tag, language_name(tag, lang)) for tag in langdetect.LANGUAGES]


def filter_choices() -> list[tuple[str, str]]:
    lang = get_language()
    names = {"zh": language_name("zh", lang), "en": language_name("en", lang), "fr": language_name("fr", lang),
             "und": language_name("und", lang)}
    return [(key, names[key]) for key in selectors.FILTERS if key]


def section_context(request: HttpRequest, target: Any, *, language: str | None = None,
                    draft: dict[str, Any] | None = None, status: str = "") -> dict[str, Any]:
    """Everything ``discussion/_section.html`` needs for ``target``."""
    user = request.user
    if language is None:
        language = request.GET.get("clang", "")
    if language not in selectors.FILTERS:
        language = ""
    roots, shown = selectors.thread(user, target, language=language)
    nodes = selectors.flatten(roots)
    trusted: dict[Any, bool] = {}
    interface = (get_language() or "en").lower()
    translator = translation.provider()
    for node in nodes:
        c = node.comment
        node.html = body_html(c.body, language=c.language, links=_trusted_author(c, trusted))  # type: ignore[attr-defined]
        node.author_name = author_name(c)  # type: ignore[attr-defined]
        node.language_name = language_name(c.language or "und", interface)  # type: ignore[attr-defined]
        node.can_change = not c.deleted and policy.can(user, "change", c)  # type: ignore[attr-defined]
        node.can_delete = not c.deleted and policy.can(user, "delete", c)  # type: ignore[attr-defined]
        node.can_report = not c.deleted and policy.can(user, "report", c)  # type: ignore[attr-defined]
        node.foreign = langdetect.group_of(c.language) != langdetect.group_of(interface)  # type: ignore[attr-defined]
        node.translatable = bool(translator and node.foreign and not c.deleted)  # type: ignore[attr-defined]
    label = targets.label_of(target)
    profile = profile_of(user)
    return {
        "target": target,
        "target_label": label,
        "section_id": f"comments-{label.replace('.', '-')}-{target.pk}",
        "nodes": nodes,
        "shown": shown,
        "clang": language,
        "filter_choices": filter_choices(),
        "language_choices": language_choices(),
        "report_reasons": Report.Reason.choices,
        "can_comment": policy.can(user, "contribute", Comment),
        "trusted": policy.is_trusted(user),
        "draft": draft or {},
        "status": status,
        "max_body": MAX_BODY,
        "reader_languages": (profile.languages if profile else []),
        "thread_url": reverse("discussion:thread", args=[label, target.pk]),
        "post_url": reverse("discussion:post", args=[label, target.pk]),
        "gloss_url": reverse("reading:gloss"),
        "words_url": reverse("discussion:gloss"),
        "request": request,
        "login_url": resolve_url(settings.LOGIN_URL),
    }
