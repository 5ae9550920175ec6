"""Discussion pages: the comments section (htmx fragment), posting, editing, deleting, reporting,
word glosses and the optional translation link. Permissions are the policy's (services check them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mogao.accounts import policy
from mogao.discussion import glosses, moderation, services, targets, translation
from mogao.discussion.models import Comment
from mogao.discussion.sections import section_context
from mogao.security.ratelimit import RateLimited

SECTION = "discussion/_section.html"
PAGE = "discussion/section_page.html"


def _target(request: HttpRequest, label: str, pk: int) -> Any:
    target = targets.resolve(label, pk, request.user)
    if target is None:
        raise Http404("No such record.")
    return target


def _page_url(target: Any, anchor: str = "comments") -> str:
    return f"{target.get_absolute_url()}#{anchor}"


def _answer(request: HttpRequest, target: Any, *, status: int = 200, anchor: str = "comments",
            draft: dict[str, Any] | None = None, message: str = "") -> HttpResponse:
    """The section for htmx; a redirect back to the page (success) or the section page (refusal)."""
    errors = (draft or {}).get("errors") or {}
    message = message or " ".join(v for k, v in errors.items() if k not in ("body", "language"))
    context = section_context(request, target, draft=draft, status=message)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, SECTION, context, status=status)
    if status < 400:
        return HttpResponseRedirect(_page_url(target, anchor))
    return render(request, PAGE, context, status=status)


def _errors(exc: ValidationError) -> dict[str, str]:
    return {name: " ".join(str(m) for m in messages) for name, messages in exc.message_dict.items()}


@require_safe
def thread(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    """The comments section of a target (fragment for htmx, else a page of its own)."""
    target = _target(request, label, pk)
    context = section_context(request, target)
    return render(request, SECTION if request.htmx else PAGE, context)  # type: ignore[attr-defined]


@require_POST
def post(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    target = _target(request, label, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(_page_url(target))
    parent_id = request.POST.get("parent", "")
    draft = {"kind": "post", "parent": parent_id, "body": request.POST.get("body", ""),
             "language": request.POST.get("language", "")}
    parent = None
    try:
        if parent_id:
            try:
                parent = Comment.objects.get(pk=int(parent_id))
            except (ValueError, Comment.DoesNotExist) as exc:
                raise ValidationError({"parent": _("You can only reply to a comment of this page.")}) from exc
        comment = services.comment_post(user=request.user, target=target, body=draft["body"],
                                        language=draft["language"], parent=parent)
    except ValidationError as exc:
        return _answer(request, target, status=400, draft={**draft, "errors": _errors(exc)})
    except RateLimited as exc:
        response = _answer(request, target, status=429, draft={**draft, "errors": {"body": exc.message}})
        response["Retry-After"] = str(exc.retry_after)
        return response
    message = _("Thank you: your comment will appear once a moderator has read it.") \
        if comment.status == "pending" else _("Your comment is published.")
    return _answer(request, target, anchor=f"comment-{comment.pk}", message=message)


def _own(request: HttpRequest, pk: int) -> tuple[Comment, Any]:
    comment = get_object_or_404(Comment, pk=pk)
    if not policy.can(request.user, "view", comment):
        raise Http404("No such comment.")
    target = comment.target
    if target is None or not policy.can(request.user, "view", target):
        raise Http404("No such comment.")
    return comment, target


@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment, target = _own(request, pk)
    draft = {"kind": "edit", "edit": comment.pk, "body": request.POST.get("body", ""),
             "language": request.POST.get("language", "")}
    try:
        services.comment_edit(user=request.user, comment=comment, body=draft["body"], language=draft["language"])
    except PermissionDenied:
        return _answer(request, target, status=403, message=_("Only its author may edit this comment."))
    except ValidationError as exc:
        return _answer(request, target, status=400, draft={**draft, "errors": _errors(exc)})
    except RateLimited as exc:
        return _answer(request, target, status=429, draft={**draft, "errors": {"body": exc.message}})
    return _answer(request, target, anchor=f"comment-{comment.pk}", message=_("Your comment was changed."))


@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment, target = _own(request, pk)
    try:
        services.comment_delete(user=request.user, comment=comment)
    except PermissionDenied:
        return _answer(request, target, status=403, message=_("Only its author may delete this comment."))
    return _answer(request, target, message=_("Your comment was deleted."))


@require_POST
def report(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    """Report any public contribution; from a comment, answer with its section."""
    model = moderation.model_of(label)
    if model is None:
        raise Http404("No such kind of contribution.")
    obj = get_object_or_404(model, pk=pk)
    if not policy.can(request.user, "view", obj):
        raise Http404("No such contribution.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.META.get("HTTP_REFERER") or "/")
    target = getattr(obj, "target", None) if isinstance(obj, Comment) else None
    draft = {"kind": "report", "report": obj.pk, "reason": request.POST.get("reason", ""),
             "note": request.POST.get("note", "")}
    status, message = 200, _("Thank you: the moderators will look at it.")
    try:
        services.report_create(user=request.user, contribution=obj, reason=draft["reason"], note=draft["note"])
    except PermissionDenied:
        status, message = 403, _("You cannot report this.")
    except ValidationError as exc:
        status, message = 400, " ".join(_errors(exc).values())
        draft["errors"] = _errors(exc)
    except RateLimited as exc:
        status, message = 429, exc.message
    if target is not None:
        return _answer(request, target, status=status, draft=draft, message=message)
    link = moderation.link_of(obj)
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        link = next_url  # the page the report was sent from (an annotation list, a collection)
    if status < 400 and link:
        return HttpResponseRedirect(link)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_safe
def gloss(request: HttpRequest) -> HttpResponse:
    """``?word=…&lang=en|fr``: Chinese words glossing an English or French word (JSON)."""
    word = request.GET.get("word", "").strip()
    lang = request.GET.get("lang", "en")
    if not word or len(word) > glosses.MAX_WORD:
        return JsonResponse({"error": _("'word' must hold 1 to %(n)d characters.") % {"n": glosses.MAX_WORD}},
                            status=400)
    if lang not in ("en", "fr"):
        return JsonResponse({"error": _("'lang' must be en or fr.")}, status=400)
    response = JsonResponse({"word": word, "lang": lang, "glosses": glosses.reverse_gloss(word, lang)},
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def translate(request: HttpRequest, pk: int) -> HttpResponse:
    """The configured translation provider's rendering of a comment (404 when none is configured)."""
    provider = translation.provider()
    comment, _target_obj = _own(request, pk)
    target_lang = request.GET.get("to", "")
    if provider is None or comment.deleted or not target_lang or len(target_lang) > 35:
        raise Http404("No translation.")
    if not provider.supports(comment.language, target_lang):
        raise Http404("No translation for these languages.")
    text = provider.translate(comment.body, source=comment.language, target=target_lang)
    return JsonResponse({"provider": provider.name, "language": target_lang, "text": text},
                        json_dumps_params={"ensure_ascii": False})
