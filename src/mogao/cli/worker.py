"""`mogao worker` (a Celery worker on the broker of MOGAO_TASKS_URL) and `mogao beat` (the periodic scheduler)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import click

from mogao.cli import django_setup, main


def default_concurrency() -> int:
    """Worker processes when not told: one per core (tasks are CPU-bound: OCR, pyramids)."""
    return max(1, os.cpu_count() or 1)


def parse_queues(text: str) -> list[str]:
    """The comma-separated queue names of ``--queues``, each checked against the known queues."""
    from mogao.core.taskqueue import QUEUES

    names = [q.strip() for q in text.split(",") if q.strip()]
    unknown = [q for q in names if q not in QUEUES]
    if unknown or not names:
        raise click.BadParameter(f"unknown queue(s) {', '.join(unknown) or '(none)'}; known: {', '.join(QUEUES)}")
    return names


@main.command()
@click.option("--queues", "-Q", default=None,
              help="Comma-separated queues to take tasks from (default: all of them).")
@click.option("--concurrency", "-c", default=0, type=click.IntRange(min=0),
              help="Worker processes (default: one per core).")
@click.option("--beat/--no-beat", default=True, show_default=True,
              help="Also run the periodic scheduler (`mogao beat`; safe on every worker: each period fires once).")
@click.option("--hostname", "-n", default=None, help="Worker name (default: mogao@<host>.<pid>).")
@click.option("--loglevel", "-l", default="INFO", show_default=True)
def worker(queues: str | None, concurrency: int, beat: bool, hostname: str | None, loglevel: str) -> None:
    """Run a task worker on the broker of MOGAO_TASKS_URL (RabbitMQ or Redis, through Celery)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mogao.site.settings")
    django_setup()
    from django.conf import settings
    from django.core import checks

    from mogao.core import taskqueue

    url = str(settings.TASKS_URL)
    errors = [e for e in checks.run_checks(tags=None) if e.id in {"mogao.core.E003", "mogao.core.E004"}]
    if errors:
        raise click.ClickException(str(errors[0].msg))
    if not taskqueue.is_broker(url):
        raise click.ClickException(
            f"MOGAO_TASKS_URL is {taskqueue.masked(url)!r}: `mogao worker` needs a broker "
            "(amqp://… or redis://…); with database:// `mogao serve` runs the worker itself.")
    names = parse_queues(queues) if queues else list(taskqueue.QUEUES)
    app = taskqueue.celery_app()
    scheduler = None
    if beat:  # a process of its own: the pool forks from this one, which then holds no scheduler thread
        scheduler = subprocess.Popen(
            [sys.executable, "-c", "from mogao.cli import main; main()", "beat"])
    broker_queues = ",".join(taskqueue.broker_queue(n) for n in names)
    argv = ["worker", "--queues", broker_queues, "--concurrency", str(concurrency or default_concurrency()),
            "--loglevel", loglevel, "--without-gossip", "--without-mingle", "--pool", "prefork"]
    if hostname:
        argv += ["--hostname", hostname]
    click.echo(f"Mogao worker on {taskqueue.masked(url)}, queues {', '.join(names)}")
    try:
        app.worker_main(argv)
    finally:
        if scheduler is not None:
            scheduler.terminate()
            scheduler.wait(timeout=30)


@main.command()
@click.option("--interval", default=0.0, type=click.FloatRange(min=0),
              help="Seconds between looks (default: a tenth of the shortest period, 0.2-30 s).")
def beat(interval: float) -> None:
    """Run the periodic scheduler: enqueue each registered periodic task once per period, cluster-wide."""
    django_setup()
    from mogao.core import periodic

    names = ", ".join(p.name for p in periodic.registered()) or "(none registered)"
    click.echo(f"Mogao periodic scheduler: {names}")
    stop = threading.Event()

    def _stop(*_: object) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, _stop), signal.signal(signal.SIGINT, _stop)
    try:
        periodic.run_scheduler(stop, interval or None)
    finally:  # a process that forks later must not inherit these handlers
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
