"""The periodic rollup as a django-tasks task (registered in :mod:`mogao.core.periodic`, or `mogao audience rollup`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from mogao.audience import rollup


@task(queue_name="periodic")
def rollup_task() -> dict[str, Any]:
    """Roll up today, yesterday and any day not yet rolled up; delete raw events past retention."""
    return rollup.run()
