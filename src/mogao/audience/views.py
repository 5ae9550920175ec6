"""Dashboard for managers and curators, and the open statistics page (#18)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mogao.accounts import policy
from mogao.audience import selectors
from mogao.catalogue.models import Institution
from mogao.core.langnames import language_name

MAX_DAYS = 731
SECTIONS = ("languages", "zero", "items", "works", "reactions", "stories", "requests", "clients")


def _date(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _range(request: HttpRequest, allowed: list[Institution], everything: bool) -> tuple[selectors.Range, str]:
    today = timezone.localdate()
    end = min(_date(request.GET.get("end"), today), today)
    start = _date(request.GET.get("start"), end - timedelta(days=29))
    start = max(min(start, end), end - timedelta(days=MAX_DAYS))
    chosen = request.GET.get("institution", "")
    ids = {i.pk for i in allowed}
    if chosen.isdigit() and int(chosen) in ids:
        return selectors.Range(start, end, frozenset({int(chosen)})), chosen
    return selectors.Range(start, end, None if everything else frozenset(ids)), ""


def _action_link(row: dict[str, Any]) -> tuple[str, str]:
    q = urlencode({"q": row["query"]})
    if row["action"] == "alias":
        return _("Add an alias"), reverse("admin:search_titlealias_add") + "?" + urlencode({"text": row["query"]})
    if row["action"] == "translate":
        return _("Translate a title"), reverse("admin:catalogue_work_changelist") + "?" + q
    return _("Catalogue or digitize"), reverse("admin:catalogue_item_changelist") + "?" + q


def _title(obj: Any, pk: int) -> str:
    if obj is None:
        return f"#{pk}"
    label = getattr(obj, "label", None)
    return str(label(get_language() or "en")) if callable(label) else str(obj)


#: Interface language codes as the language-name table spells them.
_TAGS = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


def language_label(code: str) -> str:
    """The name of an interface-language bucket in the reader's language (``fr`` → « français »)."""
    if not code:
        return _("none (machines)")
    return language_name(_TAGS.get(code.lower(), code), get_language())


def cached_sections(r: selectors.Range) -> dict[str, dict[str, Any]]:
    """:func:`sections`, cached per filters, interface language and rollup generation (a rollup clears it)."""
    from django.core.cache import cache

    from mogao.audience.rollup import generation

    institutions = "all" if r.institutions is None else ",".join(str(i) for i in sorted(r.institutions))
    key = f"mogao:audience:sections:{generation()}:{get_language()}:{r.start}:{r.end}:{institutions}"
    data = cache.get(key)
    if data is None:
        data = sections(r)
        cache.set(key, data, timeout=600)
    return dict(data)


def sections(r: selectors.Range) -> dict[str, dict[str, Any]]:
    """Every section of the dashboard: a chart spec, table headers and rows (also the CSV)."""
    with selectors.prefetched(r), selectors.prefetched_candidates(r):
        langs = selectors.languages_table(r)
        zero = selectors.zero_results(r)
        items = selectors.top_items(r)
        works = selectors.top_works(r)
        reacts = selectors.reactions(r)
        clients = selectors.clients(r)
        stories = selectors.story_funnel(r)
        requests = selectors.digitization_requests(r)
    name = language_label
    for row in zero:
        row["action_label"], row["action_url"] = _action_link(row)
    return {
        "languages": {
            "title": _("Visits and searches by interface language"),
            "headers": [_("Language"), _("Visits"), _("Searches"), _("Searches with results shown"), _("Clicks"),
                        _("Click-through (%)"), _("Visits with a search"), _("…that went on to read"),
                        _("Search-to-read conversion (%)"), _("Reads")],
            "rows": [[name(x["language"]), x["visits"], x["search"], x["search_shown"], x["click"],
                      x["click_through"], x["search_visits"], x["search_reads"], x["conversion"], x["reads"]]
                     for x in langs],
            "chart": {"categories": [name(x["language"]) for x in langs],
                      "series": [{"name": _("Visits"), "data": [x["visits"] for x in langs]},
                                 {"name": _("Searches"), "data": [x["search"] for x in langs]},
                                 {"name": _("Reads"), "data": [x["reads"] for x in langs]}]},
        },
        "zero": {
            "title": _("Searches that found nothing"),
            "headers": [_("Query (folded)"), _("Count"), _("Languages"), _("Suggested action")],
            "rows": [[x["query"], x["count"], ", ".join(name(lang) for lang in x["languages"]), x["action_label"]]
                     for x in zero],
            "links": {3: [x["action_url"] for x in zero]},
            "chart": {"categories": [x["query"] for x in zero[:10]],
                      "series": [{"name": name(lang), "data": [x["per_language"].get(lang, 0) for x in zero[:10]]}
                                 for lang in selectors.LANGUAGES]},
        },
        "items": {
            "title": _("Most-read items per language"),
            "headers": [_("Language"), _("Item"), _("Reads")],
            "rows": [[name(x["language"]), _title(x["item"], x["item_id"]), x["count"]] for x in items],
            "chart": _per_language_chart([(name(x["language"]), _title(x["item"], x["item_id"]), x["count"])
                                          for x in items]),
        },
        "works": {
            "title": _("Most-read works per language"),
            "headers": [_("Language"), _("Work"), _("Reads")],
            "rows": [[name(x["language"]), _title(x["work"], x["work_id"]), x["count"]] for x in works],
            "chart": _per_language_chart([(name(x["language"]), _title(x["work"], x["work_id"]), x["count"])
                                          for x in works]),
        },
        "reactions": {
            "title": _("Reactions by language and item"),
            "headers": [_("Language"), _("Item"), _("Reaction"), _("Count")],
            "rows": [[name(x["language"]), _title(x["item"], x["item_id"]), _reaction(x["kind"]), x["count"]]
                     for x in reacts],
            "chart": _per_language_chart([(name(x["language"]), _title(x["item"], x["item_id"]), x["count"])
                                          for x in reacts]),
        },
        "stories": _stories_section(stories),
        "requests": _requests_section(requests),
        "clients": {
            "title": _("API and OAI-PMH requests by client type"),
            "headers": [_("Channel"), _("Client type"), _("Requests")],
            "rows": [[x["channel"], x["client"], x["count"]] for x in clients],
            "chart": {"categories": [f"{x['channel']} · {x['client']}" for x in clients],
                      "series": [{"name": _("Requests"), "data": [x["count"] for x in clients]}]},
        },
    }


def _stories_section(stories: list[dict[str, Any]]) -> dict[str, Any]:
    """The story completion funnel: readers reaching each step, and finishing, per story and language."""
    rows: list[list[Any]] = []
    per_step: dict[tuple[str, str], int] = {}
    labels: list[str] = []
    for x in stories:
        title = _title(x["story"], x["story_id"])
        lang = language_label(x["language"])
        for step, n in x["steps"]:
            rows.append([lang, title, _("Step %(n)s") % {"n": step}, n])
            label = _("Step %(n)s") % {"n": step}
            per_step[(lang, label)] = per_step.get((lang, label), 0) + n
            if label not in labels:
                labels.append(label)
        rows.append([lang, title, _("Finished"), x["done"]])
        per_step[(lang, _("Finished"))] = per_step.get((lang, _("Finished")), 0) + x["done"]
    labels.append(_("Finished"))
    langs = list(dict.fromkeys(row[0] for row in rows))
    return {
        "title": _("Story completion funnel"),
        "headers": [_("Language"), _("Story"), _("Step"), _("Readers")],
        "rows": rows,
        "chart": {"categories": labels if rows else [],
                  "series": [{"name": lang, "data": [per_step.get((lang, label), 0) for label in labels]}
                             for lang in langs]},
    }


def _requests_section(data: dict[str, Any]) -> dict[str, Any]:
    """Digitization requests per language and purpose, with the time to publish when it is known."""
    requests = data["requests"]
    publish = data["publish"]
    note = ""
    if publish.get("published"):
        note = _("%(n)s requested items published in this period; median time to publish: %(days)s days.") % {
            "n": publish["published"], "days": publish.get("median_days", "—")}
    elif requests:
        note = _("The time to publish is not known for this period.")
    totals: dict[str, int] = {}
    for x in requests:
        totals[language_label(x["language"])] = totals.get(language_label(x["language"]), 0) + x["count"]
    return {
        "title": _("Digitization requests and time to publish"),
        "headers": [_("Language"), _("Purpose"), _("Digitization requests")],
        "rows": [[language_label(x["language"]), x["purpose"] or "—", x["count"]] for x in requests],
        "note": note,
        "chart": {"categories": list(totals),
                  "series": [{"name": _("Digitization requests"), "data": list(totals.values())}]},
    }


def _reaction(kind: str) -> str:
    from mogao.community.models import ReactionKind

    return str(ReactionKind(kind).label) if kind in ReactionKind.values else kind


def _per_language_chart(rows: list[tuple[str, str, int]]) -> dict[str, Any]:
    names = list(dict.fromkeys(name for _lang, name, _n in rows))[:15]
    langs = list(dict.fromkeys(lang for lang, _name, _n in rows))
    totals: dict[tuple[str, str], int] = {}
    for lang, name, n in rows:
        totals[(lang, name)] = totals.get((lang, name), 0) + n
    return {"categories": names,
            "series": [{"name": lang, "data": [totals.get((lang, name), 0) for name in names]} for lang in langs]}


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text  # no formula injection


def _csv(name: str, section: dict[str, Any], r: selectors.Range) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mogao-{name}-{r.start}-{r.end}.csv"'
    writer = csv.writer(response)
    writer.writerow([_csv_cell(h) for h in section["headers"]])
    for row in section["rows"]:
        writer.writerow([_csv_cell(v) for v in row])
    return response


def dashboard(request: HttpRequest) -> HttpResponse:
    """``/dashboard/``: managers see everything; curators their institutions' items (language figures are site-wide)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not policy.can(request.user, "dashboard"):
        raise PermissionDenied(_("The audience dashboard is for managers and curators."))
    allowed = list(policy.scope(request.user, "dashboard", Institution.objects.order_by("code")))
    everything = policy.is_manager(request.user)
    r, chosen = _range(request, allowed, everything)
    data = cached_sections(r)
    export = request.GET.get("export", "")
    if export in data:
        return _csv(export, data[export], r)
    query = {k: v for k, v in (("start", r.start.isoformat()), ("end", r.end.isoformat()),
                               ("institution", chosen)) if v}
    for name, section in data.items():
        section["name"] = name
        section["csv"] = "?" + urlencode({**query, "export": name})
        links = section.get("links", {})
        section["table"] = [[(v, links[i][n] if i in links else "") for i, v in enumerate(row)]
                            for n, row in enumerate(section["rows"])]
    return render(request, "audience/dashboard.html", {
        "range": r, "sections": list(data.values()), "charts": {n: s["chart"] for n, s in data.items()},
        "institutions": allowed, "chosen": chosen, "everything": everything,
    })


def statistics(request: HttpRequest) -> HttpResponse:
    """``/statistics/``: the open statistics (last 30 days): what is read, in which languages."""
    stats = selectors.public_statistics()
    lang = get_language() or "en"
    for row in stats["languages"]:
        row["name"] = language_label(row["language"])
    for row in stats["items"]:
        row["title"] = _title(row["item"], row["item_id"])
        row["name"] = language_label(row["language"])
    for row in stats["works"]:
        row["title"] = _title(row["work"], row["work_id"])
        row["name"] = language_label(row["language"])
    chart = {"categories": [x["name"] for x in stats["languages"]],
             "series": [{"name": _("Visits"), "data": [x["visits"] for x in stats["languages"]]},
                        {"name": _("Searches"), "data": [x["searches"] for x in stats["languages"]]},
                        {"name": _("Reads"), "data": [x["reads"] for x in stats["languages"]]}]}
    return render(request, "audience/statistics.html", {"stats": stats, "chart": chart, "lang": lang})
