"""Story authoring pages for curators (#16): write a story, its steps and move it through review.

Every page works with plain forms (POST, then a redirect); authoring.js adds the language tabs, the
region drawn on the page (Annotorious on OpenSeadragon), the page search without reload and reordering
by drag. Who may do what is the policy's (``change``, ``submit``, ``publish`` on the story); a story
the user may not view answers 404, one they may view but not change 403. Every form carries the
story's version: a form loaded before someone else's change is refused (409) and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mogao.accounts import policy
from mogao.catalogue.models import Canvas, Institution, Item, Transcription
from mogao.iiif.presentation.common import canvas_service
from mogao.knowledge.models import Period, Place
from mogao.reading.layout import lines_of
from mogao.security import ratelimit
from mogao.stories import services
from mogao.stories.models import Step, StepKind, Story, StoryStatus

LANGUAGES = services.STORY_LANGUAGES
WRITE_RATE = "120/min"
SEARCH_ITEMS = 8
PAGES_PER_ITEM = 40


# ---------------------------------------------------------------------------------------- helpers


def _story(request: HttpRequest, slug: str, action: str = "change") -> Story:
    story = Story.objects.select_related("institution").filter(slug=slug).first()
    if story is None or not policy.can(request.user, "view", story):
        raise Http404("No such story.")
    if not policy.can(request.user, action, story):
        raise PermissionDenied
    return story


def _throttled(request: HttpRequest) -> HttpResponse | None:
    decision = ratelimit.hit("stories.write", f"user:{request.user.pk}", WRITE_RATE)
    if decision.allowed:
        return None
    response = HttpResponse(_("Too many changes at once; try again in a minute."), status=429,
                            content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(int(decision.retry_after) + 1)
    return response


class Refusal(dict[str, list[str]]):
    """Field messages of a refused write, and its HTTP status (409 for a stale form, else 400)."""

    http_status = 400


def _errors(exc: ValidationError) -> Refusal:
    out = Refusal()
    if hasattr(exc, "error_dict"):
        out.update({"form" if field == "__all__" else field: [str(m) for e in errs for m in e.messages]
                    for field, errs in exc.error_dict.items()})
    else:
        out["form"] = [str(m) for m in exc.messages]
    out.http_status = 409 if isinstance(exc, services.StaleStory) else 400
    return out


def _status(errors: dict[str, list[str]]) -> int:
    return int(getattr(errors, "http_status", 400))


def _edit_url(story: Story, step: Step | None = None) -> str:
    url = reverse("stories:edit", args=[story.slug])
    return f"{url}#step-{step.pk}" if step is not None else url


def _page_entry(canvas: Canvas) -> dict[str, Any]:
    service = canvas_service(canvas)
    return {
        "canvas": canvas,
        "info": service.info_url if service else "",
        "thumb": service.image_url(size="120,") if service else "",
        "credit": services.canvas_credit(canvas),
    }


def search_pages(user: Any, query: str) -> list[dict[str, Any]]:
    """Items the user may view whose shelfmark, id or title holds ``query``, each with its pages."""
    query = query.strip()[:100]
    if not query:
        return []
    items = policy.scope(user, "view", Item.objects.all()).filter(
        Q(shelfmark__icontains=query) | Q(pid__icontains=query) | Q(title__icontains=query)
    ).filter(Q(canvases__image_id__gt="") | Q(canvases__service_url__gt="")).distinct()
    out = []
    for item in items.select_related("institution").order_by("institution__code", "shelfmark", "pid")[:SEARCH_ITEMS]:
        pages = [c for c in item.canvases.order_by("order", "id")[:PAGES_PER_ITEM] if c.has_image]
        for canvas in pages:
            canvas.item = item  # already loaded, with its institution
        out.append({"item": item, "pages": [_page_entry(c) for c in pages]})
    return out


def _chosen(user: Any, value: Any) -> dict[str, Any] | None:
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        return None
    canvas = Canvas.objects.select_related("item__institution").filter(pk=pk).first()
    if canvas is None or not policy.can(user, "view", canvas):
        return None
    return _page_entry(canvas)


def _lines(canvas: Canvas | None) -> list[str]:
    if canvas is None:
        return []
    transcription = Transcription.objects.filter(canvas=canvas).order_by("-is_primary", "id").first()
    return [line.text for line in lines_of(transcription.text, transcription.layout)] if transcription else []


# ---------------------------------------------------------------------------------------- the story


def _lang_values(post: Any, prefix: str) -> dict[str, str]:
    return {lang: str(post.get(f"{prefix}-{lang}", "")) for lang in LANGUAGES}


def _first(value: Any) -> dict[str, str]:
    return {lang: (value.get(lang) or [""])[0] for lang in LANGUAGES} if isinstance(value, dict) else {}


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not policy.can(request.user, "add", Story):
        raise PermissionDenied
    institutions = [i for i in Institution.objects.order_by("code")
                    if policy.can(request.user, "add", Story(institution=i))]
    values: dict[str, Any] = {"default_language": "en", "title": {}, "summary": {}, "slug": "",
                              "institution": institutions[0].pk if len(institutions) == 1 else ""}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if (throttled := _throttled(request)) is not None:
            return throttled
        post = request.POST
        values = {"default_language": post.get("default_language", "en"), "slug": post.get("slug", "")[:100],
                  "title": _lang_values(post, "title"), "summary": _lang_values(post, "summary"),
                  "institution": post.get("institution", "")}
        chosen = next((i for i in institutions if str(i.pk) == str(values["institution"])), None)
        try:
            story = services.create_story(request.user, institution=chosen, slug=values["slug"],
                                          title=values["title"], summary=values["summary"],
                                          default_language=values["default_language"])
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("The story was created. Add its first step."))
            return redirect(_edit_url(story))
    return render(request, "stories/authoring/new.html", {
        "institutions": institutions, "values": values, "errors": errors, "story_languages": LANGUAGES,
    }, status=400 if errors else 200)


def _edit_context(request: HttpRequest, story: Story) -> dict[str, Any]:
    steps = list(story.steps.select_related("canvas__item__institution", "canvas2__item__institution")
                 .order_by("position", "id"))
    done = services.completeness(story, steps)
    rows = [{"step": step, "langs": done["steps"][step.pk], "credits": services.step_credit(step),
             "text": services.narrative(step, story.default_language)} for step in steps]
    user = request.user
    return {
        "story": story, "rows": rows, "completeness": done, "story_languages": LANGUAGES,
        "version": services.version_of(story), "transitions": story.transitions.select_related("user")[:50],
        "can_submit": story.status == StoryStatus.DRAFT and policy.can(user, "submit", story),
        "can_publish": story.status == StoryStatus.REVIEW and policy.can(user, "publish", story),
        "can_return": story.status != StoryStatus.DRAFT and policy.can(user, "publish", story),
        "kinds": StepKind.choices, "problems": services.publication_errors(story),
        "details": {"title": _first(story.title), "summary": _first(story.summary), "credits": _first(story.credits),
                    "default_language": story.default_language},
        "errors": {},
    }


@require_GET
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    story = _story(request, slug)
    response = render(request, "stories/authoring/edit.html", _edit_context(request, story))
    response["Cache-Control"] = "private, no-store"
    return response


def _edit_with_errors(request: HttpRequest, story: Story, errors: dict[str, list[str]],
                      **extra: Any) -> HttpResponse:
    story.refresh_from_db()
    context = _edit_context(request, story)
    context.update(extra)
    context["errors"] = errors
    return render(request, "stories/authoring/edit.html", context, status=_status(errors))


@require_POST
def details(request: HttpRequest, slug: str) -> HttpResponse:
    story = _story(request, slug)
    if (throttled := _throttled(request)) is not None:
        return throttled
    post = request.POST
    data = {"title": _lang_values(post, "title"), "summary": _lang_values(post, "summary"),
            "credits": _lang_values(post, "credits"), "default_language": post.get("default_language", ""),
            "cover": story.cover_id, "cover_region": story.cover_region}
    try:
        services.update_story(request.user, story, data, version=post.get("version"))
    except ValidationError as exc:
        return _edit_with_errors(request, story, _errors(exc), details={
            "title": data["title"], "summary": data["summary"], "credits": data["credits"],
            "default_language": data["default_language"]})
    messages.success(request, _("The story's details were saved."))
    return redirect(_edit_url(story))


# ---------------------------------------------------------------------------------------- steps


def _step_values(post: Any) -> dict[str, Any]:
    return {
        "kind": post.get("kind", ""), "text": _lang_values(post, "text"), "canvas": post.get("canvas", ""),
        "region": post.get("region", "")[:60], "canvas2": post.get("canvas2", ""),
        "region2": post.get("region2", "")[:60], "first_line": post.get("first_line", "")[:9],
        "last_line": post.get("last_line", "")[:9], "places": post.getlist("places")[:200],
        "show_dispersal": post.get("show_dispersal") == "on", "year_start": post.get("year_start", "")[:9],
        "year_end": post.get("year_end", "")[:9], "period": post.get("period", "")[:9],
        "audio": post.get("audio", "")[:300], "captions": _lang_values(post, "captions"),
    }


def _values_of(step: Step) -> dict[str, Any]:
    return {
        "kind": step.kind, "text": _first(step.text), "canvas": step.canvas_id or "", "region": step.region,
        "canvas2": step.canvas2_id or "", "region2": step.region2, "first_line": step.first_line or "",
        "last_line": step.last_line or "", "places": [str(p) for p in step.places.values_list("pk", flat=True)],
        "show_dispersal": step.show_dispersal, "year_start": "" if step.year_start is None else step.year_start,
        "year_end": "" if step.year_end is None else step.year_end, "period": step.period_id or "",
        "audio": step.audio, "captions": {lang: step.captions.get(lang, "") for lang in LANGUAGES},
    }


def _step_page(request: HttpRequest, story: Story, step: Step | None, values: dict[str, Any], *,
               errors: dict[str, list[str]] | None = None, version: str | None = None,
               queries: dict[str, str] | None = None) -> HttpResponse:
    queries = queries or {}
    chosen = _chosen(request.user, values.get("canvas"))
    position = step.position if step is not None else story.steps.count() + 1
    context = {
        "story": story, "step": step, "values": values, "errors": errors or {}, "story_languages": LANGUAGES,
        "kinds": StepKind.choices, "version": version or services.version_of(story),
        "chosen": chosen, "chosen2": _chosen(request.user, values.get("canvas2")),
        "results": search_pages(request.user, queries.get("canvas", "")),
        "results2": search_pages(request.user, queries.get("canvas2", "")), "queries": queries,
        "lines": _lines(chosen["canvas"] if chosen else None), "number": position,
        "places": Place.objects.exclude(latitude=None).order_by("pid")[:500],
        "periods": Period.objects.order_by("year_start", "pid")[:300],
        "filled": [lang for lang in LANGUAGES if str(values.get("text", {}).get(lang, "")).strip()],
    }
    response = render(request, "stories/authoring/step.html", context,
                      status=_status(errors) if errors else 200)
    response["Cache-Control"] = "private, no-store"
    return response


def _step_post(request: HttpRequest, story: Story, step: Step | None) -> HttpResponse:
    if (throttled := _throttled(request)) is not None:
        return throttled
    post = request.POST
    values = _step_values(post)
    search = post.get("_search", "")
    if search in ("canvas", "canvas2"):  # the page search without JavaScript: nothing is saved
        query = post.get("q" if search == "canvas" else "q2", "")[:100]
        return _step_page(request, story, step, values, version=post.get("version"), queries={search: query})
    try:
        saved = services.save_step(request.user, story, values, step, version=post.get("version"))
    except ValidationError as exc:
        return _step_page(request, story, step, values, errors=_errors(exc), version=post.get("version"))
    messages.success(request, _("Step %(n)d was saved.") % {"n": saved.position})
    return redirect(_edit_url(story, saved))


@require_http_methods(["GET", "POST"])
def step_new(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    story = _story(request, slug)
    if request.method == "POST":
        return _step_post(request, story, None)
    kind = request.GET.get("kind", StepKind.IMAGE)
    values: dict[str, Any] = {"kind": kind if kind in StepKind.values else StepKind.IMAGE, "text": {}, "places": [],
                              "captions": {}}
    return _step_page(request, story, None, values)


def _step_of(story: Story, step_id: int) -> Step:
    step = story.steps.filter(pk=step_id).first()
    if step is None:
        raise Http404("No such step.")
    return step


@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    story = _story(request, slug)
    step = _step_of(story, step_id)
    if request.method == "POST":
        return _step_post(request, story, step)
    return _step_page(request, story, step, _values_of(step))


@require_GET
def canvases(request: HttpRequest, slug: str) -> HttpResponse:
    """The page search (an HTML fragment of choices) and a page's transcription lines (JSON)."""
    story = _story(request, slug)
    if "lines" in request.GET:
        chosen = _chosen(request.user, request.GET.get("lines"))
        return JsonResponse({"lines": _lines(chosen["canvas"] if chosen else None)})
    field = "canvas2" if request.GET.get("field") == "canvas2" else "canvas"
    results = search_pages(request.user, request.GET.get("q", ""))
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"items": [{
            "shelfmark": r["item"].shelfmark or r["item"].pid, "title": r["item"].label(),
            "holder": str(r["item"].institution),
            "pages": [{"id": p["canvas"].pk, "order": p["canvas"].order, "info": p["info"], "thumb": p["thumb"],
                       "width": p["canvas"].width, "height": p["canvas"].height} for p in r["pages"]],
        } for r in results]})
    return render(request, "stories/authoring/_pages.html", {
        "story": story, "results": results, "field": field, "selected": request.GET.get("selected", ""),
        "searched": True,
    })


def _respond(request: HttpRequest, story: Story, step: Step | None = None) -> HttpResponse:
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"version": services.version_of(story)})
    return redirect(_edit_url(story, step))


def _refused(request: HttpRequest, story: Story, exc: ValidationError) -> HttpResponse:
    errors = _errors(exc)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"errors": errors}, status=_status(errors))
    return _edit_with_errors(request, story, errors)


@require_POST
def step_reorder(request: HttpRequest, slug: str) -> HttpResponse:
    story = _story(request, slug)
    if (throttled := _throttled(request)) is not None:
        return throttled
    try:
        services.reorder(request.user, story, request.POST.getlist("order")[:1000], version=request.POST.get("version"))
    except ValidationError as exc:
        return _refused(request, story, exc)
    return _respond(request, story)


@require_POST
def step_move(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    story = _story(request, slug)
    step = _step_of(story, step_id)
    if (throttled := _throttled(request)) is not None:
        return throttled
    delta = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.move_step(request.user, story, step, delta, version=request.POST.get("version"))
    except ValidationError as exc:
        return _refused(request, story, exc)
    return _respond(request, story, step)


@require_POST
def step_delete(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    story = _story(request, slug)
    step = _step_of(story, step_id)
    if (throttled := _throttled(request)) is not None:
        return throttled
    try:
        services.delete_step(request.user, story, step, version=request.POST.get("version"))
    except ValidationError as exc:
        return _refused(request, story, exc)
    messages.success(request, _("The step was deleted."))
    return _respond(request, story)


# ---------------------------------------------------------------------------------------- review


def _transition(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    story = _story(request, slug, "publish" if action == "return" else action)
    if (throttled := _throttled(request)) is not None:
        return throttled
    version = request.POST.get("version")
    try:
        if action == "submit":
            services.submit(request.user, story, version=version)
            messages.success(request, _("The story was submitted for review."))
        elif action == "publish":
            services.publish(request.user, story, version=version)
            messages.success(request, _("The story is published."))
        else:
            services.return_to_draft(request.user, story, request.POST.get("reason", "")[:4000], version=version)
            messages.success(request, _("The story is back in draft."))
    except ValidationError as exc:
        return _edit_with_errors(request, story, _errors(exc), reason=request.POST.get("reason", "")[:4000])
    return redirect(_edit_url(story))


@require_POST
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    return _transition(request, slug, "submit")


@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    return _transition(request, slug, "publish")


@require_POST
def return_to_draft(request: HttpRequest, slug: str) -> HttpResponse:
    return _transition(request, slug, "return")
