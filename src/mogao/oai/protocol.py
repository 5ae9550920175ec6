"""The OAI-PMH 2.0 protocol: argument checking, the six verbs and their error conditions.

:func:`handle` takes the request's arguments as a multi-valued mapping and returns the response
document; it never raises for bad input: every problem becomes an OAI-PMH ``<error>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from lxml import etree

from mogao.catalogue.models import Item
from mogao.core.urls import base_url as site_base_url
from mogao.oai import selectors, tokens
from mogao.oai.formats import FORMATS, MetadataFormat, schema_url
from mogao.oai.models import Tombstone
from mogao.oai.responses import base_url, datestamp, envelope, error_document, sub
from mogao.oai.sets import all_sets, item_set_specs

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
_VERBS: dict[str, tuple[set[str], set[str]]] = {
    # verb: (required arguments, optional arguments); resumptionToken is handled apart.
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
_RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}
_PREFIX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
_SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OAIError(Exception):
    """An OAI-PMH error condition.

    The protocol echoes the request's arguments in ``<request>`` except after badVerb or
    badArgument, whose arguments may not even be valid attribute values.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.echo = code not in {"badVerb", "badArgument"}


def page_size() -> int:
    """Records per response (setting ``OAI_PAGE_SIZE``, default 100)."""
    return max(1, int(getattr(settings, "OAI_PAGE_SIZE", 100)))


def sets_enabled() -> bool:
    """Setting ``OAI_SETS`` (default True); off, the repository declares no set hierarchy."""
    return bool(getattr(settings, "OAI_SETS", True))


def repository_id() -> str:
    return urlparse(site_base_url()).hostname or "mogao"


def oai_identifier(pid: str) -> str:
    return f"oai:{repository_id()}:{pid}"


def _pid_of(identifier: str) -> str | None:
    prefix = f"oai:{repository_id()}:"
    if not identifier.startswith(prefix):
        return None
    pid = identifier[len(prefix):]
    return pid if re.fullmatch(r"[-a-zA-Z0-9_]{1,120}", pid) else None


def handle(params: Mapping[str, Sequence[str]]) -> etree._Element:
    """Answer one OAI-PMH request given every argument and all its values."""
    verbs = list(params.get("verb", []))
    args = {k: list(v) for k, v in params.items() if k != "verb"}
    if len(verbs) != 1 or verbs[0] not in _VERBS:
        reason = "Missing verb." if not verbs else (
            "The verb is repeated." if len(verbs) > 1 else f"Illegal verb: {verbs[0]}."
        )
        return error_document("badVerb", reason)
    verb = verbs[0]
    try:
        single = _check_arguments(verb, args)
    except OAIError as err:
        return error_document(err.code, err.message)
    echo = {"verb": verb, **single}
    try:
        return _dispatch(verb, single, echo)
    except OAIError as err:
        return error_document(err.code, err.message, echo if err.echo else None)


def _check_arguments(verb: str, args: dict[str, list[str]]) -> dict[str, str]:
    required, optional = _VERBS[verb]
    for name, values in args.items():
        if len(values) != 1:
            raise OAIError("badArgument", f"The argument {name} is repeated.")
    single = {k: v[0] for k, v in args.items()}
    allowed = required | optional | ({"resumptionToken"} if verb in _RESUMABLE else set())
    unknown = sorted(set(single) - allowed)
    if unknown:
        raise OAIError("badArgument", f"Illegal argument for {verb}: {', '.join(unknown)}.")
    if "resumptionToken" in single:
        if len(single) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
        return single
    missing = sorted(required - set(single))
    if missing:
        raise OAIError("badArgument", f"Missing required argument: {', '.join(missing)}.")
    if "metadataPrefix" in single and not _PREFIX.match(single["metadataPrefix"]):
        raise OAIError("badArgument", "metadataPrefix has illegal characters.")
    if "set" in single and not _SET_SPEC.match(single["set"]):
        raise OAIError("badArgument", "set is not a valid setSpec.")
    for name in ("from", "until"):
        if name in single and not (_DAY.match(single[name]) or _SECOND.match(single[name])):
            raise OAIError("badArgument", f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")
    return single


def _parse_bound(value: str, *, upper: bool) -> datetime:
    """The instant a from/until value names; ``until`` becomes an exclusive bound."""
    try:
        if _DAY.match(value):
            moment = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
            return moment + timedelta(days=1) if upper else moment
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise OAIError("badArgument", f"{'until' if upper else 'from'} is not a real date.") from exc
    return moment + timedelta(seconds=1) if upper else moment


def _dispatch(verb: str, args: dict[str, str], echo: dict[str, str]) -> etree._Element:
    if verb == "Identify":
        return _identify(echo)
    if verb == "ListMetadataFormats":
        return _list_metadata_formats(args, echo)
    if verb == "ListSets":
        return _list_sets(args, echo)
    if verb == "GetRecord":
        return _get_record(args, echo)
    return _list(verb, args, echo)


def _format(prefix: str) -> MetadataFormat:
    fmt = FORMATS.get(prefix)
    if fmt is None:
        raise OAIError("cannotDisseminateFormat", f"The metadata format {prefix} is not supported.")
    return fmt


def _identify(echo: dict[str, str]) -> etree._Element:
    root = envelope(echo)
    ident = sub(root, "Identify")
    sub(ident, "repositoryName", getattr(settings, "OAI_REPOSITORY_NAME", "Mogao library"))
    sub(ident, "baseURL", base_url())
    sub(ident, "protocolVersion", "2.0")
    sub(ident, "adminEmail", getattr(settings, "OAI_ADMIN_EMAIL", "") or f"admin@{repository_id()}.invalid")
    earliest = selectors.earliest_datestamp() or timezone.now()
    sub(ident, "earliestDatestamp", datestamp(earliest))
    sub(ident, "deletedRecord", "persistent")
    sub(ident, "granularity", GRANULARITY)
    return root


def _list_metadata_formats(args: dict[str, str], echo: dict[str, str]) -> etree._Element:
    if "identifier" in args:
        record = _lookup(args["identifier"])
        if isinstance(record, Tombstone):
            raise OAIError("noMetadataFormats", "The record is deleted: no metadata is disseminated.")
    root = envelope(echo)
    container = sub(root, "ListMetadataFormats")
    for fmt in FORMATS.values():
        el = sub(container, "metadataFormat")
        sub(el, "metadataPrefix", fmt.prefix)
        sub(el, "schema", schema_url(fmt))
        sub(el, "metadataNamespace", fmt.namespace)
    return root


def _list_sets(args: dict[str, str], echo: dict[str, str]) -> etree._Element:
    if not sets_enabled():
        raise OAIError("noSetHierarchy", "This repository does not support sets.")
    if "resumptionToken" in args:
        # Every set fits on one page, so no token is ever issued for ListSets.
        raise OAIError("badResumptionToken", "ListSets issues no resumption tokens.")
    root = envelope(echo)
    container = sub(root, "ListSets")
    for oai_set in all_sets():
        el = sub(container, "set")
        sub(el, "setSpec", oai_set.spec)
        sub(el, "setName", oai_set.name)
    return root


def _lookup(identifier: str) -> Item | Tombstone:
    pid = _pid_of(identifier)
    record = selectors.record_lookup(pid) if pid else None
    if record is None:
        raise OAIError("idDoesNotExist", f"No record has the identifier {identifier}.")
    return record


def _header(parent: etree._Element, pid: str, stamp: datetime, specs: list[str], *, deleted: bool) -> None:
    header = sub(parent, "header", status="deleted") if deleted else sub(parent, "header")
    sub(header, "identifier", oai_identifier(pid))
    sub(header, "datestamp", datestamp(stamp))
    if sets_enabled():
        for spec in specs:
            sub(header, "setSpec", spec)


def _record(parent: etree._Element, record: Item | Tombstone, fmt: MetadataFormat | None) -> None:
    if isinstance(record, Tombstone):
        _header(parent, record.pid, record.deleted_at, record.set_specs, deleted=True)
        return
    _header(parent, record.pid, record.updated, item_set_specs(record), deleted=False)
    if fmt is not None:
        fmt.render(record, sub(parent, "metadata"))


def _get_record(args: dict[str, str], echo: dict[str, str]) -> etree._Element:
    fmt = _format(args["metadataPrefix"])
    record = _lookup(args["identifier"])
    root = envelope(echo)
    _record(sub(sub(root, "GetRecord"), "record"), record, fmt)
    return root


def _start_state(verb: str, args: dict[str, str]) -> tokens.Resumption:
    fmt = _format(args["metadataPrefix"])
    start = _parse_bound(args["from"], upper=False) if "from" in args else None
    stop = _parse_bound(args["until"], upper=True) if "until" in args else None
    if "from" in args and "until" in args and len(args["from"]) != len(args["until"]):
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if start and stop and start >= stop:
        raise OAIError("badArgument", "from is later than until.")
    if "set" in args and not sets_enabled():
        raise OAIError("noSetHierarchy", "This repository does not support sets.")
    # Freeze the harvest: records changed after this instant belong to the next harvest.
    now = timezone.now() + timedelta(microseconds=1)
    snapshot = min(stop, now) if stop else now
    query = selectors.HarvestQuery(start=start, stop=snapshot, set_spec=args.get("set", ""))
    return tokens.Resumption(
        verb=verb, prefix=fmt.prefix, set_spec=query.set_spec,
        start=start.isoformat() if start else None, stop=snapshot.isoformat(),
        after_stamp="", after_pid="", cursor=0, size=selectors.header_count(query),
    )


def _resume(verb: str, token: str) -> tokens.Resumption:
    try:
        state = tokens.decode(token)
    except tokens.TokenError as exc:
        raise OAIError("badResumptionToken", f"The resumption token is {exc}.") from exc
    if state.verb != verb:
        raise OAIError("badResumptionToken", "The resumption token belongs to another verb.")
    return state


def _list(verb: str, args: dict[str, str], echo: dict[str, str]) -> etree._Element:
    state = _resume(verb, args["resumptionToken"]) if "resumptionToken" in args else _start_state(verb, args)
    fmt = _format(state.prefix)
    query = selectors.HarvestQuery(
        start=datetime.fromisoformat(state.start) if state.start else None,
        stop=datetime.fromisoformat(state.stop), set_spec=state.set_spec,
    )
    after = (datetime.fromisoformat(state.after_stamp), state.after_pid) if state.after_pid else None
    limit = page_size()
    rows = selectors.header_page(query, after=after, limit=limit + 1)
    if not rows:
        if "resumptionToken" in args:
            raise OAIError("badResumptionToken", "The resumption token points past the end of the list.")
        raise OAIError("noRecordsMatch", "No records match the request.")
    more, rows = len(rows) > limit, rows[:limit]
    root = envelope(echo)
    container = sub(root, verb)
    items = selectors.items_by_pid([r.pid for r in rows if not r.deleted])
    tombs = {t.pid: t for t in Tombstone.objects.filter(pid__in=[r.pid for r in rows if r.deleted])}
    for row in rows:
        record: Item | Tombstone | None = tombs.get(row.pid) if row.deleted else items.get(row.pid)
        if record is None:  # changed between the two reads; the next harvest will carry it
            continue
        if verb == "ListIdentifiers":
            specs = record.set_specs if isinstance(record, Tombstone) else item_set_specs(record)
            _header(container, row.pid, row.stamp, specs, deleted=row.deleted)
        else:
            _record(sub(container, "record"), record, fmt)
    cursor = state.cursor + len(rows)
    if more:
        last = rows[-1]
        nxt = tokens.Resumption(
            verb=verb, prefix=state.prefix, set_spec=state.set_spec, start=state.start, stop=state.stop,
            after_stamp=last.stamp.isoformat(), after_pid=last.pid, cursor=cursor, size=state.size,
        )
        sub(container, "resumptionToken", tokens.encode(nxt), cursor=str(state.cursor),
            completeListSize=str(max(state.size, cursor + 1)), expirationDate=datestamp(tokens.expiry()))
    elif state.cursor:
        # The last page of a resumed list carries an empty token, as the protocol asks.
        sub(container, "resumptionToken", cursor=str(state.cursor),
            completeListSize=str(max(state.size, cursor)))
    return root
