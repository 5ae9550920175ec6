"""Forms of the digitization pages: field checks only; the services decide and write."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mogao.digitization.models import NOTE_MAX, REASON_MAX, Pledge, Purpose, Risk, Status


def range_value(first: int, last: int) -> str:
    return f"{first}-{last}"


class RequestForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    note = forms.CharField(label=_("Note (optional, any language)"), required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}), strip=False)
    pages = forms.CharField(label=_("Pages"), required=False, max_length=40, initial="0-0")

    def __init__(self, *args: Any, ranges: list[tuple[int, int]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ranges = ranges or [(0, 0)]
        if ranges != [(0, 0)]:
            self.fields["pages"] = forms.ChoiceField(
                label=_("Missing pages"), choices=[(range_value(a, b), f"{a}–{b}" if a != b else str(a))
                                                   for a, b in ranges])
        else:
            self.fields["pages"].widget = forms.HiddenInput()

    def clean_pages(self) -> tuple[int, int]:
        value = self.cleaned_data.get("pages") or "0-0"
        match = re.fullmatch(r"(\d{1,6})-(\d{1,6})", str(value))
        if not match:
            raise forms.ValidationError(_("Choose one of the missing page ranges."))
        return int(match[1]), int(match[2])


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))
    expected_month = forms.CharField(label=_("Expected month (YYYY-MM)"), required=False, max_length=7)
    merged_into = forms.IntegerField(label=_("Duplicate of request number"), required=False, min_value=1)

    def clean_expected_month(self) -> datetime.date | None:
        value = (self.cleaned_data.get("expected_month") or "").strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2027-03."))
        return datetime.date(int(match[1]), int(match[2]), 1)


class InputsForm(forms.Form):
    conservation_risk = forms.TypedChoiceField(label=_("Conservation risk"), choices=Risk.choices, coerce=int)
    estimated_pages = forms.IntegerField(label=_("Estimated pages"), required=False, min_value=0,
                                         max_value=1_000_000)
    override_score = forms.FloatField(label=_("Override score"), required=False, min_value=-1000,
                                      max_value=1000)
    override_reason = forms.CharField(label=_("Reason for the override"), required=False, max_length=REASON_MAX)
    clear_override = forms.BooleanField(label=_("Remove the override"), required=False)


class PledgeForm(forms.Form):
    institution = forms.TypedChoiceField(label=_("Institution"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Support"), choices=Pledge.Kind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, institutions: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = institutions or []  # type: ignore[attr-defined]
