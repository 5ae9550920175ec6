"""Admin for ingest: runs with their errors, an import form queuing a background run, live progress.

The progress view is polled by htmx every second and answers HTTP 286 (htmx's "stop polling")
once the run has finished; the template CSV is downloadable from the import form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from mogao.accounts import policy
from mogao.accounts.adminpolicy import PolicyAdmin, PolicyInline
from mogao.core.concurrency import ConcurrencyGuardAdmin
from mogao.ingest.forms import ImportForm
from mogao.ingest.models import HarvestedRecord, IngestError, IngestRun, Structure
from mogao.ingest.redact import hide_server_paths
from mogao.ingest.reports import template_csv
from mogao.ingest.services import ingest_enqueue
from mogao.ingest.uploads import uploads_save


class IngestErrorInline(PolicyInline, admin.TabularInline):
    model = IngestError
    extra = 0
    can_delete = False
    # Shown through hide_server_paths: the stored location and message hold server paths.
    fields = ("index", "record", "shown_location", "field", "shown_message", "is_warning")
    readonly_fields = fields
    max_num = 0
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("location"))
    def shown_location(self, obj: IngestError) -> str:
        return hide_server_paths(obj.location)

    @admin.display(description=_("message"))
    def shown_message(self, obj: IngestError) -> str:
        return hide_server_paths(obj.message)


_HIDDEN_RUN_FIELDS = {"source": "shown_source", "message": "shown_message"}


@admin.register(IngestRun)
class IngestRunAdmin(PolicyAdmin):
    list_display = ("id", "kind", "short_source", "status", "dry_run", "created_count", "updated_count",
                    "unchanged_count", "failed_count", "deleted_count", "seconds", "user", "created")
    list_filter = ("kind", "status", "dry_run")
    search_fields = ("source", "institution_code", "message")
    # Every field read-only; those holding server paths are shown through hide_server_paths.
    _shown: tuple[str, ...] = tuple(_HIDDEN_RUN_FIELDS.get(f.name, f.name) for f in IngestRun._meta.fields)
    fields = readonly_fields = _shown
    inlines = [IngestErrorInline]
    change_list_template = "ingest/admin/change_list.html"

    @admin.display(description=_("source"))
    def short_source(self, obj: IngestRun) -> str:
        source = hide_server_paths(obj.source)
        return source if len(source) <= 60 else "…" + source[-59:]

    @admin.display(description=_("source"))
    def shown_source(self, obj: IngestRun) -> str:
        return hide_server_paths(obj.source)

    @admin.display(description=_("message"))
    def shown_message(self, obj: IngestRun) -> str:
        return hide_server_paths(obj.message)

    @admin.display(description=_("seconds"))
    def seconds(self, obj: IngestRun) -> str:
        return "" if obj.duration is None else f"{obj.duration:.1f}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        own = [
            path("import/", self.admin_site.admin_view(self.import_view), name="ingest_import"),
            path("template.csv", self.admin_site.admin_view(self.template_view), name="ingest_template"),
            path("<int:pk>/progress/", self.admin_site.admin_view(self.progress_view), name="ingest_progress"),
        ]
        return own + super().get_urls()

    def _check(self, request: HttpRequest) -> None:
        if not policy.can(request.user, "import", None):
            raise PermissionDenied

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """The upload form; a valid submission queues a run and shows its progress."""
        self._check(request)
        form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            institution = data.get("institution")
            location = data.get("url") or ""
            options: dict[str, Any] = {}
            if data.get("uploads"):
                saved = uploads_save(data["uploads"])  # the folder, then each file, as storage: locations
                location = saved[0] if data["kind"] == "images" else saved[1]
            if data["kind"] == "images":
                options = {"mode": "filename", "ocr": data.get("ocr", False)}
            elif data["kind"] == "oai":
                options = {"prefix": data["oai_prefix"], "set": data.get("oai_set", ""),
                           "from": data["oai_from"].isoformat() if data.get("oai_from") else ""}
            elif data["kind"] == "iiif":
                options = {"follow": True}
            with transaction.atomic():
                run = ingest_enqueue(
                    kind=data["kind"], location=location, options=options, dry_run=data.get("dry_run", False),
                    institution_code=institution.code if institution else "", user=request.user,
                )
            messages.info(request, _("Import #%(id)s queued.") % {"id": run.pk})
            return redirect(reverse("admin:ingest_progress", args=[run.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "title": _("Import records"),
                   "opts": self.model._meta}
        return render(request, "ingest/admin/import.html", context)

    def progress_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The run's live counts; the htmx fragment alone when polled."""
        self._check(request)
        run = get_object_or_404(self.get_queryset(request), pk=pk)
        context = {
            **self.admin_site.each_context(request), "run": run, "opts": self.model._meta,
            "title": _("Import #%(id)s") % {"id": run.pk},
            "errors": run.errors.order_by("index", "id")[:100], "finished": run.finished is not None,
        }
        if request.htmx:  # type: ignore[attr-defined]  # set by mogao.core.htmx, which adds Vary
            response = render(request, "ingest/admin/_progress.html", context)
            if run.finished is not None:
                response.status_code = 286  # htmx: stop polling
            return response
        return render(request, "ingest/admin/progress.html", context)

    def template_view(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="mogao-items-template.csv"'
        return response


@admin.register(HarvestedRecord)
class HarvestedRecordAdmin(ConcurrencyGuardAdmin, PolicyAdmin):
    list_display = ("identifier", "endpoint", "datestamp", "deleted", "item")
    list_filter = ("deleted",)
    search_fields = ("identifier",)
    raw_id_fields = ("item",)


@admin.register(Structure)
class StructureAdmin(ConcurrencyGuardAdmin, PolicyAdmin):
    list_display = ("item", "source_url", "updated")
    raw_id_fields = ("item",)
