"""Many readers asking at the same moment are each counted exactly once (threads against PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections

from mogao.digitization import services, states
from mogao.digitization.models import Request, RequestReader, Status

from .conftest import make_lib

pytestmark = [pytest.mark.django_db(transaction=True)]
READERS = 16


def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (MOGAO_DATABASE_URL); SQLite serialises writers")


def _run_at_once(jobs: list[Any]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = jobs[index]()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_concurrent_joins_count_each_reader_once(settings: Any) -> None:
    _postgres_only()
    lib = make_lib(settings)
    users = [get_user_model().objects.create_user(f"dg-crowd-{i}") for i in range(READERS)]
    item = lib.items["a"]
    jobs = [lambda u=u: services.request_digitization(user=u, item=item, purpose="research") for u in users]
    # and the first reader clicking twice more at the same moment
    jobs += [lambda: services.request_digitization(user=users[0], item=item, purpose="teaching")] * 2
    results = _run_at_once(jobs)
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, ValidationError) and "already asked" in " ".join(e.messages) for e in errors), errors
    assert len(errors) == 2
    assert Request.objects.filter(item=item).count() == 1
    req = Request.objects.get(item=item)
    assert RequestReader.objects.filter(request=req).count() == READERS
    assert sum(1 for r in results if not isinstance(r, Exception) and r[1]) == 1  # one created, the rest joined
    assert services.readers_count(req) == READERS


def test_two_curators_moving_one_request_at_once_move_it_once(settings: Any) -> None:
    _postgres_only()
    lib = make_lib(settings)
    req = services.request_digitization(user=lib.users["reader"], item=lib.items["a"], purpose="research")[0]
    jobs = [lambda: states.transition(req.pk, Status.ACCEPTED, lib.users["curator_a"]),
            lambda: states.transition(req.pk, Status.ACCEPTED, lib.users["admin"])]
    results = _run_at_once(jobs)
    assert sum(isinstance(r, states.Refused) for r in results) == 1
    assert req.transitions.filter(to_status=Status.ACCEPTED).count() == 1
