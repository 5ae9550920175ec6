"""Run a source through validate -> load -> commit, one savepoint per record, batches per commit.

Each batch of records is loaded inside one database transaction, each record inside its own
savepoint: a bad record rolls back alone, and the run's counts and resume ``position`` are saved
in the same transaction as the records they describe. A SIGKILL therefore loses at most the
uncommitted batch, never half a record, and :func:`run_source` with ``resume=True`` continues from
the last committed position. Side effects (derivatives, OCR, indexing) are queued by loaders with
``enqueue_after_commit`` and run only once their batch commits (never in a dry run).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from mogao.accounts import policy
from mogao.catalogue.models import Institution
from mogao.ingest.models import IngestError, IngestRun
from mogao.ingest.records import Problem, Record, Source, SourceError

log = logging.getLogger(__name__)

ProgressCallback = Callable[[IngestRun], None]
DEFAULT_BATCH = 200


class _DryRunRollback(Exception):
    """Raised inside a record's savepoint in a dry run so nothing it wrote survives."""


def validation_messages(exc: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a ValidationError, field '' for non-field errors."""
    if hasattr(exc, "error_dict"):
        return [
            ("" if name == "__all__" else name, msg)
            for name, errors in exc.message_dict.items()
            for msg in errors
        ]
    return [("", msg) for msg in exc.messages]


def run_start(
    *, kind: str, source: str, institution_code: str = "", options: dict[str, Any] | None = None,
    dry_run: bool = False, resume: bool = False, user: Any = None,
) -> IngestRun:
    """Create a run, or with ``resume`` reopen the latest unfinished run of the same source."""
    if resume:
        previous = (
            IngestRun.objects.filter(
                kind=kind, source=source, institution_code=institution_code, dry_run=dry_run,
                status__in=[IngestRun.Status.RUNNING, IngestRun.Status.FAILED, IngestRun.Status.PENDING],
            ).order_by("-id").first()
        )
        if previous is not None:
            return previous
    return IngestRun.objects.create(
        kind=kind, source=source, institution_code=institution_code, options=options or {},
        dry_run=dry_run, user=user if getattr(user, "pk", None) else None,
    )


def _save_problem(run: IngestRun, problem: Problem, record: Record | None) -> None:
    IngestError.objects.create(
        run=run, index=record.index if record else None, record=(record.key if record else "")[:200],
        location=problem.location[:500], field=problem.field[:100], message=problem.message,
        is_warning=problem.warning,
    )


def _load_many(source: Source, batch: list[Record], run: IngestRun) -> dict[int, str]:
    """Outcomes a source decided for a whole batch at once (its optional ``load_many``).

    Runs in one savepoint; any database or validation error rolls it back and every record of
    the batch then goes through the per-record path, so the bulk path can only be faster, never
    less precise.
    """
    load_many = getattr(source, "load_many", None)
    if load_many is None:
        return {}
    outcomes: dict[int, str] = {}
    try:
        with transaction.atomic():
            outcomes = dict(load_many([r for r in batch if not r.failed]))
            if run.dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    except (DatabaseError, ValidationError, SourceError) as exc:
        log.info("bulk load of a batch fell back to single records: %s", exc)
        reset = getattr(source, "reset_caches", None)
        if reset is not None:
            reset()
        return {}
    return outcomes


def _load_one(source: Source, record: Record, run: IngestRun, bulk: dict[int, str]) -> str:
    """Load ``record`` in a savepoint; returns the outcome or 'failed' (errors are saved)."""
    for problem in record.problems:
        _save_problem(run, problem, record)
    if record.failed:
        return "failed"
    if record.index in bulk:
        return bulk[record.index]
    outcome = "failed"
    try:
        with transaction.atomic():
            outcome = source.load(record)
            if run.dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    except ValidationError as exc:
        for name, msg in validation_messages(exc):
            _save_problem(run, Problem(msg, record.location, name), record)
        return "failed"
    except SourceError as exc:
        _save_problem(run, Problem(str(exc), record.location), record)
        return "failed"
    return outcome


class _ImportGuard:
    """Refuses (as a row error) every record a run's user may not import: the policy's ``import``.

    A record is written into the institution it names (its ``institution`` value, or the source's):
    rows naming an institution the user does not curate would create, rewrite or withdraw another
    institution's records. Runs without a user (command line, system loads) are not restricted.
    """

    def __init__(self, run: IngestRun, source: Source) -> None:
        self.user = run.user if run.user_id else None
        self.source = source
        self.decided: dict[int, bool] = {}

    def check(self, record: Record) -> None:
        if self.user is None or record.failed:
            return
        target: Any = record.data.get("institution") or getattr(self.source, "institution", None)
        if isinstance(target, str):
            target = Institution.objects.filter(code=target).first() if target else None
        if not isinstance(target, Institution):
            return
        allowed = self.decided.get(target.pk)
        if allowed is None:
            allowed = self.decided[target.pk] = policy.can(self.user, "import", target)
        if not allowed:
            record.error(
                f"you may not import into “{target.code}”: only curators of that institution may create or "
                "change its records; this row is skipped", field="institution",
            )


def _count(run: IngestRun, outcome: str) -> None:
    attr = f"{outcome}_count"
    setattr(run, attr, getattr(run, attr) + 1)


def run_source(
    source: Source, run: IngestRun, *, batch_size: int = DEFAULT_BATCH,
    progress: ProgressCallback | None = None,
) -> IngestRun:
    """Read every record of ``source`` and load those after ``run.position``; returns the run.

    The run ends ``done`` (even when some records failed: see ``failed_count``) or ``failed``
    when the source itself could not be read, with the reason in ``message``.
    """
    run.status = IngestRun.Status.RUNNING
    run.started = run.started or timezone.now()
    run.finished = None
    run.save()
    start = run.position
    state = dict(run.state)
    batch: list[Record] = []
    seen = 0
    guard = _ImportGuard(run, source)

    def flush() -> None:
        nonlocal batch
        if not batch:
            return
        with transaction.atomic():
            bulk = _load_many(source, batch, run)
            for record in batch:
                _count(run, _load_one(source, record, run, bulk))
            run.position = batch[-1].index + 1
            run.total = max(run.total, run.position)
            run.state = state
            run.save()
        batch = []
        if progress:
            progress(run)

    try:
        for item in source.records(state):
            if isinstance(item, Problem):
                # Source-level problems are reported once, on the first pass over the source.
                if start == 0 or not IngestError.objects.filter(
                    run=run, index=None, message=item.message
                ).exists():
                    _save_problem(run, item, None)
                continue
            seen = item.index + 1
            if item.index < start:
                continue
            guard.check(item)
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
        flush()
    except SourceError as exc:
        flush()
        run.status = IngestRun.Status.FAILED
        run.message = str(exc)
        _save_problem(run, Problem(str(exc), run.source), None)
    else:
        run.status = IngestRun.Status.DONE
    run.total = max(run.total, seen)
    run.state = state
    run.finished = timezone.now()
    run.save()
    log.info("ingest run %s %s: %s", run.pk, run.status, run.counts())
    return run
