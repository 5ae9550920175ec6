"""Operations (#19): /healthz and /readyz, the request id, JSON logs."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.http import HttpResponse
from django.test import RequestFactory

from mogao.core.requestid import HEADER, JsonFormatter, RequestIdFilter, RequestIdMiddleware, current
from mogao.core.storage import storage_backend

SRC = Path(__file__).resolve().parents[2] / "src"


def test_healthz_answers_without_the_database(client):
    """No django_db mark: any query would fail the test."""
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and response[HEADER]
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_reaches_every_part(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"] == {"database": "ok", "cache": "ok", "storage": "ok", "search": "ok"}


@pytest.mark.django_db
def test_readyz_names_what_failed(client, settings, s3_server, caplog):
    """A cache nobody answers and a bucket that does not exist: 503 naming both, no secrets in the body."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0"}}  # the discard port: refused
    missing = s3_server.replace("@mogao-test?", "@no-such-bucket?")
    settings.STORAGES = {**settings.STORAGES, "default": storage_backend(missing, settings.HOME)}
    try:
        with caplog.at_level(logging.WARNING, logger="mogao.core.health"):
            response = client.get("/readyz")
    finally:
        storages._storages.pop("default", None)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["failed"] == ["cache", "storage"]
    assert body["checks"]["database"] == "ok" and body["checks"]["search"] == "ok"
    assert body["checks"]["cache"].startswith("error: ")
    assert "mogao-secret" not in response.content.decode() and "127.0.0.1" not in response.content.decode()
    assert any("storage" in r.getMessage() for r in caplog.records)


def test_request_id_is_kept_or_made(client):
    sent = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert sent[HEADER] == "lb-7f3a.42"
    made = client.get("/healthz")
    other = client.get("/healthz")
    assert len(made[HEADER]) == 32 and made[HEADER] != other[HEADER]
    for bad in ("has space", "x" * 129, "<script>", "é"):
        answered = client.get("/healthz", HTTP_X_REQUEST_ID=bad)[HEADER]
        assert answered != bad and len(answered) == 32


def test_log_records_carry_the_request_id():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("mogao.test.requestid")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def view(request):
        logger.info("reading %s", "P.2001 大唐")
        return HttpResponse("ok")

    try:
        response = RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="abc-123"))
        logger.info("after the request")
    finally:
        logger.removeHandler(handler)
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert response[HEADER] == "abc-123"
    assert inside["request_id"] == "abc-123" and inside["message"] == "reading P.2001 大唐"
    assert inside["level"] == "INFO" and inside["logger"] == "mogao.test.requestid" and "T" in inside["time"]
    assert outside["request_id"] == "-" and current() == "-"


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_log_format_setting(log_format, tmp_path):
    code = ("import django, logging; django.setup()\n"
            "logging.getLogger('mogao.x').warning('hello %s', 'world')\n"
            "try:\n    1/0\nexcept ZeroDivisionError:\n    logging.getLogger('mogao.x').exception('failed')\n")
    env = {**os.environ, "MOGAO_LOG_FORMAT": log_format, "MOGAO_HOME": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "mogao.site.settings", "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                          timeout=120)
    if log_format == "json":
        lines = [json.loads(line) for line in done.stderr.splitlines()]
        assert [(r["level"], r["message"], r["request_id"]) for r in lines] == [
            ("WARNING", "hello world", "-"), ("ERROR", "failed", "-")]
        assert "ZeroDivisionError" in lines[1]["exception"]
    else:
        assert "WARNING mogao.x [-] hello world" in done.stderr
