"""Model fields shared by the apps: the language-map JSON field and integer year bounds."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from mogao.core import langmap


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Writes text as UTF-8 rather than ``\\uXXXX`` escapes.

    SQLite stores JSON as text: with escapes, a search for 金剛 inside a title (the admin's search
    box, ``icontains`` lookups) could never match. PostgreSQL's jsonb is unaffected either way.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


#: Language maps of running prose: the admin edits them in textareas, not one-line inputs.
MULTILINE_FIELDS = frozenset({"description", "notes", "provenance", "evidence", "biography"})


class LanguageMapField(models.JSONField):
    """A JSONField holding a language map, validated and normalized on clean."""

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        self.required = required
        kwargs.setdefault("encoder", UnicodeJSONEncoder)
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", not required)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.required:
            kwargs["required"] = True
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: Any) -> None:
        langmap.clean(value, field=str(self.verbose_name), required=self.required)

    def formfield(self, **kwargs: Any) -> Any:
        from mogao.core.forms import LanguageMapFormField

        return LanguageMapFormField(
            required=self.required, label=self.verbose_name.capitalize(), help_text=self.help_text,
            multiline=self.name in MULTILINE_FIELDS,
        )


def coordinate_errors(latitude: float | None, longitude: float | None) -> dict[str, str]:
    """Field-level messages for coordinates out of range (empty when they are fine or absent)."""
    errors: dict[str, str] = {}
    if latitude is not None and not -90 <= latitude <= 90:
        errors["latitude"] = str(_("Latitude must lie between -90 and 90."))
    if longitude is not None and not -180 <= longitude <= 180:
        errors["longitude"] = str(_("Longitude must lie between -180 and 180."))
    return errors


def check_year_bounds(year_start: int | None, year_end: int | None) -> None:
    """Raise a field-level ValidationError when a year range is impossible."""
    errors: dict[str, str] = {}
    for name, year in (("year_start", year_start), ("year_end", year_end)):
        if year is not None and not -5000 <= year <= 2200:
            errors[name] = str(_("Years must lie between 5000 BCE (-5000) and 2200."))
    if year_start is not None and year_end is not None and year_start > year_end:
        errors["year_end"] = str(
            _("The end year (%(end)s) is before the start year (%(start)s).")
            % {"end": year_end, "start": year_start}
        )
    if errors:
        raise ValidationError(errors)


class DatedMixin(models.Model):
    """Original date expression plus normalized integer bounds (BCE negative) and a period."""

    date_expression = models.CharField(
        _("date as written"), max_length=200, blank=True,
        help_text=_("The date as the source gives it, e.g. 咸通九年四月十五日 or ‘8th–9th century’."),
    )
    year_start = models.IntegerField(_("from year"), null=True, blank=True, help_text=_("Negative for BCE."))
    year_end = models.IntegerField(_("to year"), null=True, blank=True, help_text=_("Negative for BCE."))

    class Meta:
        abstract = True

    def clean_dates(self) -> None:
        check_year_bounds(self.year_start, self.year_end)
