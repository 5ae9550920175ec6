"""Background ingest: runs created by the admin execute here, reporting progress on the run row."""

from __future__ import annotations

from django_tasks import task

from mogao.ingest.models import IngestRun
from mogao.ingest.services import ingest_execute


@task(queue_name="ingest")
def ingest_run_task(run_id: int) -> str:
    """Execute the pending run ``run_id``; returns its final status."""
    run = IngestRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    if run.status in (IngestRun.Status.DONE, IngestRun.Status.FAILED):
        return str(run.status)  # a re-delivered message of a run that already ended (#19)
    return str(ingest_execute(kind=run.kind, location=run.source, run=run).status)
