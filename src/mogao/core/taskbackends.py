"""A django-tasks backend that sends tasks to Celery (RabbitMQ or Redis), chosen by MOGAO_TASKS_URL (#19).

Why not a published backend: on Django 5.2, ``django-tasks-celery`` needs Django 6, and
``django-tasks-fennel`` had one 0.1 release; neither sets late acknowledgement, per-task queues or the
retry policy Mogao needs. This one is small: :meth:`CeleryBackend.enqueue` publishes the generic
``mogao.run`` message of :mod:`mogao.core.taskqueue` on the task's queue, and returns at once.
"""

from __future__ import annotations

from typing import Any, ParamSpec, TypeVar

from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id, normalize_json

from mogao.core import taskqueue

T = TypeVar("T")
P = ParamSpec("P")


class CeleryBackend(BaseTaskBackend):
    """Enqueue django-tasks on the Celery broker; ``mogao worker`` runs them."""

    supports_defer = True
    supports_async_task = False
    supports_get_result = False
    supports_priority = False

    def enqueue(self, task: Task[P, T], args: Any, kwargs: Any) -> TaskResult[T]:
        self.validate_task(task)
        result_id = get_random_id()
        args = normalize_json(list(args))
        kwargs = normalize_json(dict(kwargs))
        queue = taskqueue.broker_queue(task.queue_name)
        options: dict[str, Any] = {"queue": queue, "routing_key": queue, "task_id": result_id}
        if task.run_after is not None:
            options["eta"] = task.run_after
        taskqueue.celery_app().send_task("mogao.run", args=[task.module_path, args, kwargs], **options)
        result: TaskResult[T] = TaskResult(
            task=task, id=result_id, status=TaskResultStatus.READY, enqueued_at=None, started_at=None,
            last_attempted_at=None, finished_at=None, args=args, kwargs=kwargs, backend=self.alias,
            errors=[], worker_ids=[],
        )
        task_enqueued.send(type(self), task_result=result)
        return result
