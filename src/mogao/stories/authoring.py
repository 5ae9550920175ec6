"""Story authoring pages for curators (#16): stub routes, filled in below this commit."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


new = edit = details = canvases = step_new = step_reorder = step_edit = step_move = step_delete = _todo
submit = publish = return_to_draft = _todo
