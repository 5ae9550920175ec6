"""The task layer's operations (#19): settings, the system check, the CLI, orphaned tasks, periodic claims, /metrics."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core import checks
from django.test import RequestFactory

from mogao.cli import main
from mogao.cli.serve import default_workers
from mogao.cli.worker import parse_queues
from mogao.core import metrics, periodic, taskqueue
from mogao.core.checks import tasks_url_check
from mogao.testing import tasks as probe


def test_tasks_url_chooses_the_backend(monkeypatch):
    import mogao.site.settings as module

    for url, backend in [
        ("database://", "django_tasks_db.DatabaseBackend"),
        ("immediate://", "django_tasks.backends.immediate.ImmediateBackend"),
        ("amqp://guest:guest@127.0.0.1:5672//", "mogao.core.taskbackends.CeleryBackend"),
        ("redis://127.0.0.1:6379/3", "mogao.core.taskbackends.CeleryBackend"),
    ]:
        monkeypatch.setattr(module, "TASKS_URL", url)
        tasks = module._tasks()
        assert tasks["BACKEND"] == backend
        assert tasks["QUEUES"] == list(taskqueue.QUEUES)


@pytest.mark.parametrize("url", ["database://", "immediate://", "dummy://", "amqp://guest:guest@h:5672//",
                                 "redis://127.0.0.1:6379/0", "rediss://h:6380/1"])
def test_check_accepts_known_task_urls(settings, url):
    settings.TASKS_URL = url
    assert tasks_url_check() == []


@pytest.mark.parametrize("url", ["rabbit://h", "sqs://key:secret@h", "redis+sentinel://h", "http://h"])
def test_check_refuses_unknown_task_urls_without_the_secret(settings, url):
    settings.TASKS_URL = url
    errors = tasks_url_check()
    assert [e.id for e in errors] == ["mogao.core.E003"]
    assert "secret" not in errors[0].msg
    assert errors[0].level == checks.ERROR


def test_broker_options_take_mogao_parameters_out_of_the_url():
    url, options, prefix = taskqueue.broker_options("redis://h:6379/2?visibility_timeout=30&queue_prefix=a.")
    assert url == "redis://h:6379/2" and prefix == "a."
    assert options["visibility_timeout"] == 30 and options["global_keyprefix"] == "a."
    url, options, prefix = taskqueue.broker_options("amqp://u:p@h:5672/v")
    assert url == "amqp://u:p@h:5672/v" and options == {} and prefix == ""
    assert taskqueue.broker_options("redis://h/0")[1]["visibility_timeout"] == taskqueue.REDIS_VISIBILITY_TIMEOUT
    assert taskqueue.masked("amqp://user:pw@h//") == "amqp://user:***@h//"


def test_every_mogao_task_has_its_queue():
    from mogao.audience.tasks import rollup_task
    from mogao.iiif.tasks import build_pyramid_task
    from mogao.ingest.tasks import ingest_run_task
    from mogao.ocr.tasks import ocr_canvas_task
    from mogao.search.tasks import index_documents_task, index_rebuild_task

    assert {t.queue_name for t in (index_documents_task, index_rebuild_task)} == {"index"}
    assert ingest_run_task.queue_name == "ingest" and build_pyramid_task.queue_name == "images"
    assert ocr_canvas_task.queue_name == "ocr" and rollup_task.queue_name == "periodic"


def test_worker_queue_option():
    assert parse_queues("ocr, images") == ["ocr", "images"]
    import click

    with pytest.raises(click.BadParameter):
        parse_queues("ocr,nope")


def test_worker_refuses_the_embedded_queue(settings):
    settings.TASKS_URL = "database://"
    result = CliRunner().invoke(main, ["worker"])
    assert result.exit_code != 0 and "needs a broker" in result.output


def test_cli_help_names_the_options():
    runner = CliRunner()
    assert "--concurrency" in runner.invoke(main, ["worker", "--help"]).output
    assert "--queues" in runner.invoke(main, ["worker", "--help"]).output
    assert "one per core" in runner.invoke(main, ["serve", "--help"]).output


def test_serve_workers_follow_the_cores():
    assert default_workers(1) == 1 and default_workers(2) == 2 and default_workers(64) == 8
    assert default_workers() >= 1


@pytest.mark.django_db(transaction=True)
def test_orphaned_database_tasks_are_requeued(settings, tmp_path):
    from django_tasks_db.models import DBTaskResult

    from mogao.core.tasks import requeue_orphaned_db_tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(taskqueue.QUEUES)}}
    result = probe.effect_task.enqueue(str(tmp_path), "orphan")
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING")  # a worker killed mid-task
    assert requeue_orphaned_db_tasks() == 1
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
    assert probe.effects(tmp_path) == {"orphan"}
    assert requeue_orphaned_db_tasks() == 0


@pytest.mark.django_db(transaction=True)
def test_periodic_claims(monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": list(taskqueue.QUEUES)}}
    monkeypatch.setattr(periodic, "_registry", {})
    name = f"probe.claims.{uuid.uuid4().hex[:8]}"  # the claims table outlives transactional tests
    entry = periodic.register(name, probe.periodic_probe_task, every=60)
    assert entry.task.queue_name == "periodic"
    assert periodic.tick(600.0) == [name]
    assert periodic.tick(601.0) == []  # same period
    assert periodic.tick(660.0) == [name]
    assert periodic.claim(name, 11) is False
    with pytest.raises(ValueError):
        periodic.register("x", probe.periodic_probe_task, every=0)
    assert periodic.tick_interval() == 6.0


def test_audience_rollup_is_registered():
    assert "audience.rollup" in {p.name for p in periodic.registered()}


# /metrics ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_from_loopback(client, settings):
    settings.METRICS_TOKEN = ""
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "mogao_http_request_duration_seconds_bucket" in body and 'view="healthz"' in body
    assert "mogao_task_queue_depth" in body and "mogao_task_failures_total" in body
    assert "mogao_iiif_cache_lookups_total" in body or "mogao_iiif_cache_lookups" in body
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_metrics_refused_elsewhere(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 404
    # a request relayed by a proxy on the same machine is not "from loopback"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 404


@pytest.mark.django_db
def test_metrics_with_a_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION="Bearer nope").status_code == 404
    ok = client.get("/metrics", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert ok.status_code == 200


@pytest.mark.django_db
def test_metrics_count_database_queue_and_failures(settings, tmp_path):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(taskqueue.QUEUES)}}
    settings.TASKS_URL = "database://"
    probe.effect_task.enqueue(str(tmp_path), "waiting")
    failed = probe.index_effect_task.enqueue(str(tmp_path), "failed")
    DBTaskResult.objects.filter(pk=failed.id).update(status="FAILED")
    request = RequestFactory().get("/metrics", REMOTE_ADDR="127.0.0.1")
    body = metrics.metrics_view(request).content.decode()
    assert 'mogao_task_queue_depth{queue="ingest"} 1.0' in body
    assert 'mogao_task_failures_total{queue="index"} 1.0' in body
    assert "mogao_task_broker_up 1.0" in body


def test_tile_cache_lookups_are_counted(tmp_path):
    from mogao.iiif.image.cache import DerivativeCache

    assert DerivativeCache.observer is metrics.observe_iiif_cache
    cache = DerivativeCache(Path(tmp_path), 1024 * 1024)
    hits = metrics.IIIF_CACHE.labels("hit")._value.get()
    misses = metrics.IIIF_CACHE.labels("miss")._value.get()
    assert cache.get("tile") is None
    cache.put("tile", b"x" * 10)
    assert cache.get("tile") == b"x" * 10
    assert metrics.IIIF_CACHE.labels("miss")._value.get() == misses + 1
    assert metrics.IIIF_CACHE.labels("hit")._value.get() == hits + 1


def test_check_names_a_missing_celery(settings, monkeypatch):
    from importlib import metadata

    real = metadata.version

    def version(name: str) -> str:
        if name == "celery":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(metadata, "version", version)
    settings.TASKS_URL = "redis://127.0.0.1:6379/5"
    assert [e.id for e in tasks_url_check()] == ["mogao.core.E004"]


@pytest.mark.django_db
def test_readyz_reaches_the_broker(client, settings):
    """A broker nobody answers makes the node unready, named without its address."""
    settings.TASKS_URL = "redis://127.0.0.1:9/0?queue_prefix=readyz."  # the discard port: refused
    taskqueue.reset_app()
    try:
        response = client.get("/readyz")
    finally:
        taskqueue.reset_app()
    assert response.status_code == 503
    assert "broker" in response.json()["failed"]
    assert "127.0.0.1" not in response.content.decode()
