"""The admin's import form: what to import (an upload or a URL), into which institution, how."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mogao.accounts import policy
from mogao.catalogue.models import Institution
from mogao.ingest.models import IngestRun

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
UPLOAD_SUFFIXES = {
    "csv": {".csv", ".tsv", ".txt"}, "json": {".json", ".jsonl", ".ndjson"}, "iiif": {".json", ".jsonld"},
    "images": {".tif", ".tiff", ".jpg", ".jpeg", ".png", ".jp2", ".webp"},
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field accepting several files (image uploads)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of source"), choices=IngestRun.Kind.choices)
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.all(), required=False,
        help_text=_("Required for IIIF, OAI-PMH and images; for CSV/JSON, used for rows without one."),
    )
    uploads = MultipleFileField(
        label=_("File(s)"), required=False,
        help_text=_("CSV, JSON / JSON Lines, a IIIF manifest, or page images (grouped by file name)."),
    )
    url = forms.URLField(
        label=_("Or a URL"), required=False, assume_scheme="https",
        help_text=_("A IIIF manifest or collection, or an OAI-PMH endpoint. Private addresses are refused."),
    )
    oai_set = forms.CharField(label=_("OAI-PMH set"), required=False, max_length=200)
    oai_prefix = forms.ChoiceField(
        label=_("OAI-PMH format"), choices=[("oai_dc", "oai_dc"), ("datacite", "datacite")], initial="oai_dc"
    )
    oai_from = forms.DateField(label=_("Changed since"), required=False)
    ocr = forms.BooleanField(label=_("Run OCR on new pages"), required=False)
    dry_run = forms.BooleanField(label=_("Dry run (validate and report only)"), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the institutions the user may import into (the policy's ``import``).
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = policy.scope(user, "import", Institution.objects.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, files, url = data.get("kind"), data.get("uploads") or [], data.get("url")
        if kind in ("iiif", "oai", "images") and not data.get("institution"):
            self.add_error("institution", _("Choose the institution that holds these records."))
        if kind == "oai" and not url:
            self.add_error("url", _("Give the OAI-PMH endpoint URL."))
        elif kind in ("csv", "json", "images") and not files:
            self.add_error("uploads", _("Upload the file(s) to import."))
        elif kind == "iiif" and not (files or url):
            self.add_error("url", _("Upload a manifest or give its URL."))
        for upload in files:
            suffix = Path(upload.name).suffix.lower()
            if kind in UPLOAD_SUFFIXES and suffix not in UPLOAD_SUFFIXES[kind]:
                raise ValidationError({"uploads": _("“%(name)s” is not a %(kind)s file.") % {
                    "name": upload.name, "kind": kind}})
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError({"uploads": _("“%(name)s” is larger than 200 MB.") % {"name": upload.name}})
        if kind != "images" and len(files) > 1:
            self.add_error("uploads", _("Upload one file for this kind of import."))
        return data
