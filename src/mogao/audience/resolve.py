"""Turn buffered events into rows: public ids to database ids, queries folded (at flush time)."""

from __future__ import annotations

from typing import Any

MAX_QUERY = 200


def resolve(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events ready for :class:`~mogao.audience.models.Event` (ids resolved in three queries at most)."""
    from mogao.catalogue.models import Canvas, Item, Work
    from mogao.search.expand import fold_text

    item_pids = {e["item_pid"] for e in batch if e.get("item_pid")}
    work_pids = {e["work_pid"] for e in batch if e.get("work_pid")}
    canvas_ids = {e["target_id"] for e in batch if e.get("target_type") == "canvas" and e.get("target_id")}
    item_ids = {e["target_id"] for e in batch if e.get("target_type") == "item" and e.get("target_id")}
    items: dict[str, tuple[int, int]] = {}
    if item_pids:
        items = {pid: (pk, inst) for pk, pid, inst in
                 Item.objects.filter(pid__in=item_pids).values_list("pk", "pid", "institution_id")}
    by_id: dict[int, int] = {}
    if item_ids:
        by_id = dict(Item.objects.filter(pk__in=item_ids).values_list("pk", "institution_id"))
    works: dict[str, int] = {}
    if work_pids:
        works = dict(Work.objects.filter(pid__in=work_pids).values_list("pid", "pk"))
    canvases: dict[int, tuple[int, int]] = {}
    if canvas_ids:
        canvases = {pk: (item, inst) for pk, item, inst in
                    Canvas.objects.filter(pk__in=canvas_ids).values_list("pk", "item_id", "item__institution_id")}
    out = []
    for e in batch:
        e = dict(e)
        pid = e.pop("item_pid", None)
        wpid = e.pop("work_pid", None)
        if pid is not None:
            if pid not in items:
                continue  # an item that does not exist (a 404 page): nothing to count
            e["item_id"], e["institution_id"] = items[pid]
            e.setdefault("target_type", "item")
            e.setdefault("target_id", e["item_id"])
        if wpid is not None:
            if wpid not in works:
                continue
            e.setdefault("target_type", "work")
            e.setdefault("target_id", works[wpid])
        if e.get("target_type") == "canvas" and e.get("target_id") in canvases:
            e["item_id"], e["institution_id"] = canvases[e["target_id"]]
        if e.get("target_type") == "item" and e.get("target_id") in by_id and not e.get("institution_id"):
            e["item_id"] = e["target_id"]
            e["institution_id"] = by_id[e["target_id"]]
        if e.get("query"):
            e["query"] = fold_text(str(e["query"]))[:MAX_QUERY]
        for name in ("detail", "stage", "language", "target_type"):
            if name in e:
                e[name] = str(e[name])[:24 if name == "detail" else 16 if name == "target_type" else 12]
        out.append(e)
    return out
