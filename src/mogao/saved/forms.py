"""Forms of saved collections: every bad field answers with an error naming it."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mogao.saved.models import DESCRIPTION_MAX, NAME_MAX, NOTE_MAX, ReaderCollection, SavedEntry, Sharing
from mogao.saved.text import plain_text

XYWH = re.compile(r"^\s*(\d{1,7})\s*,\s*(\d{1,7})\s*,\s*(\d{1,7})\s*,\s*(\d{1,7})\s*$")
NEW = "new"


class _Plain(forms.CharField):
    """A plain-text field (see :mod:`mogao.saved.text`)."""

    def __init__(self, *, multiline: bool = True, **kwargs: Any) -> None:
        self.multiline = multiline
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        raw = super().clean(value)
        text = plain_text(raw, multiline=self.multiline)
        if self.required and not text:
            raise forms.ValidationError(_("Write a name (text, not only markup)."), code="required")
        return text


class CollectionForm(forms.Form):
    name = _Plain(label=_("Name"), max_length=NAME_MAX, multiline=False)
    description = _Plain(label=_("Description"), max_length=DESCRIPTION_MAX, required=False,
                         widget=forms.Textarea(attrs={"rows": 3}))
    sharing = forms.ChoiceField(label=_("Who can see it"), choices=Sharing.choices, initial=Sharing.PRIVATE,
                                widget=forms.RadioSelect)


class NoteForm(forms.Form):
    note = _Plain(label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SaveForm(forms.Form):
    """Save an item, one of its pages, or a region of a page, to a collection (or a new one)."""

    target = forms.ChoiceField(label=_("What to save"), choices=SavedEntry.Kind.choices,
                               initial=SavedEntry.Kind.ITEM, widget=forms.RadioSelect)
    collection = forms.ChoiceField(label=_("Collection"))
    new_name = _Plain(label=_("Name of the new collection"), max_length=NAME_MAX, required=False, multiline=False)
    page = forms.IntegerField(label=_("Page number"), min_value=0, max_value=10**6, required=False)
    xywh = forms.CharField(label=_("Region (x,y,width,height in pixels)"), max_length=40, required=False)
    note = _Plain(label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, collections: list[ReaderCollection], item: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.collections = {c.pid: c for c in collections}
        choices = [(c.pid, c.name) for c in collections] + [(NEW, _("A new collection…"))]
        field = self.fields["collection"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        self.fields["collection"].initial = collections[0].pid if collections else NEW

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        pid = data.get("collection")
        if pid == NEW:
            if not data.get("new_name") and "new_name" not in self.errors:
                self.add_error("new_name", _("Name the new collection."))
            data["collection_obj"] = None
        elif pid is not None:
            data["collection_obj"] = self.collections[pid]
        target = data.get("target")
        data["canvas"] = None
        data["region"] = None
        if target in (SavedEntry.Kind.CANVAS, SavedEntry.Kind.REGION):
            data["canvas"] = self._canvas(data.get("page"))
        if target == SavedEntry.Kind.REGION and data["canvas"] is not None:
            data["region"] = self._region(data.get("xywh") or "", data["canvas"])
        return data

    def _canvas(self, order: int | None) -> Any:
        if order is None:
            if "page" not in self.errors:
                self.add_error("page", _("Say which page (its number)."))
            return None
        from mogao.iiif.presentation.selectors import presentable_canvas_qs

        canvas = presentable_canvas_qs().filter(item=self.item, order=order).first()
        if canvas is None:
            self.add_error("page", _("This item has no page %(n)s with an image.") % {"n": order})
        return canvas

    def _region(self, raw: str, canvas: Any) -> tuple[int, int, int, int] | None:
        match = XYWH.match(raw)
        if not match:
            self.add_error("xywh", _("A region is four whole numbers: x,y,width,height."))
            return None
        x, y, w, h = (int(v) for v in match.groups())
        if w < 1 or h < 1 or x + w > canvas.width or y + h > canvas.height:
            self.add_error("xywh", _("The region must lie within the page (%(w)s × %(h)s pixels).")
                           % {"w": canvas.width, "h": canvas.height})
            return None
        return x, y, w, h
