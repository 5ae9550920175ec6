"""The digests as a django-tasks task, for the periodic task layer (or ``mogao manage notify_digest``)."""

from __future__ import annotations

from django_tasks import task

from mogao.notify import services


@task(queue_name="mail")
def digest_task() -> dict[str, int]:
    """Send every registered digest; returns the mails queued per kind prefix."""
    return services.run_digests()
