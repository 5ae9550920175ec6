"""A validator of the W3C Web Annotation Data Model, written from the Recommendation (2017).

It checks what the model requires of an Annotation and of the forms Mogao serves (raising
``AssertionError`` with the path of the fault): the JSON-LD ``@context``, ``id`` (an IRI),
``type`` Annotation, at least one ``target`` (an IRI or a SpecificResource with ``source`` and
selectors of a known form), and bodies (an IRI, a TextualBody with ``value`` and a valid
``language``/``purpose``, or a SpecificResource). AnnotationPage and AnnotationCollection
are checked too (``type``, ``items``, ``partOf``/``first``/``last``).
"""

from __future__ import annotations

import re
from typing import Any

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
IRI = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", re.I)
BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
               "identifying", "linking", "moderating", "questioning", "replying", "tagging"}
XYWH = re.compile(r"^xywh=(pixel:|percent:)?\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?$")


def _iri(value: Any, where: str) -> None:
    assert isinstance(value, str) and IRI.match(value), f"{where}: not an IRI: {value!r}"


def _context(data: dict[str, Any], where: str) -> None:
    ctx = data.get("@context")
    assert ctx is not None, f"{where}: @context is required"
    if isinstance(ctx, list):
        assert len(ctx) > 1, f"{where}: a single @context must be a string"
        assert ANNO_CONTEXT in ctx, f"{where}: @context must include {ANNO_CONTEXT}"
    else:
        assert ctx == ANNO_CONTEXT, f"{where}: @context must be {ANNO_CONTEXT}"


def _motivation(value: Any, where: str) -> None:
    for m in value if isinstance(value, list) else [value]:
        assert m in MOTIVATIONS, f"{where}: unknown motivation {m!r}"


def _selector(sel: Any, where: str) -> None:
    assert isinstance(sel, dict), f"{where}: a selector is an object"
    kind = sel.get("type")
    if kind == "FragmentSelector":
        assert isinstance(sel.get("value"), str), f"{where}.value is required"
        if sel["value"].startswith("xywh="):
            assert XYWH.match(sel["value"]), f"{where}.value: malformed xywh {sel['value']!r}"
        if "conformsTo" in sel:
            _iri(sel["conformsTo"], f"{where}.conformsTo")
    elif kind == "TextPositionSelector":
        start, end = sel.get("start"), sel.get("end")
        assert isinstance(start, int) and isinstance(end, int), f"{where}: start and end are integers"
        assert 0 <= start <= end, f"{where}: 0 <= start <= end"
    elif kind == "TextQuoteSelector":
        assert isinstance(sel.get("exact"), str), f"{where}.exact is required"
    elif kind == "SvgSelector":
        assert "value" in sel or "id" in sel, f"{where}: an SvgSelector has value or id"
    else:
        raise AssertionError(f"{where}: unknown selector type {kind!r}")


def _target(target: Any, where: str) -> None:
    if isinstance(target, str):
        _iri(target, where)
        return
    assert isinstance(target, dict), f"{where}: a target is an IRI or an object"
    if "source" not in target:  # an External Web Resource with its own id
        _iri(target.get("id"), f"{where}.id")
        return
    _iri(target["source"], f"{where}.source")
    if "selector" in target:
        selectors = target["selector"] if isinstance(target["selector"], list) else [target["selector"]]
        assert selectors, f"{where}.selector is empty"
        for i, sel in enumerate(selectors):
            _selector(sel, f"{where}.selector[{i}]")


def _body(body: Any, where: str) -> None:
    if isinstance(body, str):
        _iri(body, where)
        return
    assert isinstance(body, dict), f"{where}: a body is an IRI or an object"
    kind = body.get("type")
    if kind == "TextualBody":
        assert isinstance(body.get("value"), str), f"{where}.value is required for a TextualBody"
        if "language" in body:
            assert isinstance(body["language"], str) and BCP47.match(body["language"]), f"{where}.language"
        if "format" in body:
            assert re.match(r"^[a-z]+/[a-z0-9.+-]+$", body["format"]), f"{where}.format"
    elif kind == "SpecificResource":
        _iri(body.get("source"), f"{where}.source")
    else:
        _iri(body.get("id"), f"{where}.id")
    if "purpose" in body:
        _motivation(body["purpose"], f"{where}.purpose")


def validate_annotation(data: Any, *, embedded: bool = False, where: str = "annotation") -> None:
    assert isinstance(data, dict), f"{where}: an annotation is an object"
    if not embedded:
        _context(data, where)
    _iri(data.get("id"), f"{where}.id")
    kinds = data.get("type") if isinstance(data.get("type"), list) else [data.get("type")]
    assert "Annotation" in kinds, f"{where}.type must be Annotation"
    assert "target" in data, f"{where}.target is required"
    targets = data["target"] if isinstance(data["target"], list) else [data["target"]]
    assert targets, f"{where}.target is empty"
    for i, t in enumerate(targets):
        _target(t, f"{where}.target[{i}]")
    if "body" in data:
        bodies = data["body"] if isinstance(data["body"], list) else [data["body"]]
        for i, b in enumerate(bodies):
            _body(b, f"{where}.body[{i}]")
    if "motivation" in data:
        _motivation(data["motivation"], f"{where}.motivation")
    for stamp in ("created", "modified"):
        if stamp in data:
            stamp_re = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"
            assert re.match(stamp_re, data[stamp]), f"{where}.{stamp}"


def validate_page(data: Any, *, embedded: bool = False, where: str = "page") -> int:
    """Validate an AnnotationPage; returns how many full annotations it held."""
    assert isinstance(data, dict) and data.get("type") == "AnnotationPage", f"{where}.type must be AnnotationPage"
    if not embedded:
        _context(data, where)
    _iri(data.get("id"), f"{where}.id")
    assert isinstance(data.get("items"), list), f"{where}.items is a list"
    count = 0
    for i, item in enumerate(data["items"]):
        if isinstance(item, str):
            _iri(item, f"{where}.items[{i}]")
        else:
            validate_annotation(item, embedded=True, where=f"{where}.items[{i}]")
            count += 1
    for link in ("next", "prev"):
        if link in data:
            _iri(data[link], f"{where}.{link}")
    return count


def validate_collection(data: Any, where: str = "collection") -> None:
    assert isinstance(data, dict), f"{where}: an object"
    _context(data, where)
    kinds = data.get("type") if isinstance(data.get("type"), list) else [data.get("type")]
    assert "AnnotationCollection" in kinds, f"{where}.type must include AnnotationCollection"
    _iri(data.get("id"), f"{where}.id")
    assert isinstance(data.get("total"), int), f"{where}.total"
    if data["total"]:
        assert "first" in data and "last" in data, f"{where}: first and last are required when not empty"
        if isinstance(data["first"], dict):
            validate_page(data["first"], embedded=True, where=f"{where}.first")
        else:
            _iri(data["first"], f"{where}.first")
        _iri(data["last"], f"{where}.last")
