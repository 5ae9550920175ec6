"""The periodic recomputation of priorities, registered with :mod:`mogao.core.periodic` (once per
``MOGAO_DIGITIZATION_RECOMPUTE_MINUTES`` across the cluster)."""

from __future__ import annotations

from django_tasks import task

from mogao.digitization import priority


@task(queue_name="periodic")
def recompute_task() -> int:
    """Recompute the priority of every open request (readers' searches and views change daily)."""
    return priority.recompute()

