"""The cache contract (#19): locmem:// and a real Redis behave alike; the generation is shared across processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.checks import run_checks

from mogao.core import generation

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(params=["locmem", "redis"])
def cache(request):
    if request.param == "locmem":
        built = LocMemCache(f"contract-{request.node.name}", {})
    else:
        built = RedisCache(request.getfixturevalue("redis_url"), {})
    built.clear()
    yield built
    built.clear()
    built.close()


def test_set_get_delete(cache):
    assert cache.get("missing") is None and cache.get("missing", "dflt") == "dflt"
    cache.set("k", {"title": "大唐西域記", "pages": [1, 2]})
    assert cache.get("k") == {"title": "大唐西域記", "pages": [1, 2]}
    assert cache.has_key("k")
    assert cache.delete("k") and not cache.has_key("k")


def test_add_only_when_absent(cache):
    assert cache.add("a", 1) and not cache.add("a", 2)
    assert cache.get("a") == 1


def test_incr_is_atomic_and_refuses_missing_keys(cache):
    cache.set("n", 1, timeout=None)
    assert cache.incr("n") == 2 and cache.incr("n", 5) == 7 and cache.decr("n") == 6
    with pytest.raises(ValueError):
        cache.incr("absent")


def test_many_and_versions(cache):
    cache.set_many({"x": 1, "y": "二"})
    assert cache.get_many(["x", "y", "z"]) == {"x": 1, "y": "二"}
    cache.set("v", "one", version=1)
    cache.set("v", "two", version=2)
    assert cache.get("v", version=1) == "one" and cache.get("v", version=2) == "two"
    cache.delete_many(["x", "y"])
    assert cache.get_many(["x", "y"]) == {}


def test_zero_timeout_stores_nothing_and_none_keeps(cache):
    cache.set("gone", 1, timeout=0)
    assert cache.get("gone") is None
    cache.set("kept", 1, timeout=None)
    assert cache.get("kept") == 1


def test_non_ascii_keys(cache):
    cache.set("敦煌:P.2001", "ok")
    assert cache.get("敦煌:P.2001") == "ok"


def test_system_check_refuses_an_unknown_cache(settings):
    settings.CACHE_URL = "memcached://127.0.0.1:11211"
    errors = [e for e in run_checks() if e.id == "mogao.core.E002"]
    assert errors and "memcached" in errors[0].msg and "redis://" in errors[0].hint
    for url in ("locmem://", "redis://127.0.0.1:6379/0", "rediss://cache.example.org:6380/1"):
        settings.CACHE_URL = url
        assert not [e for e in run_checks() if e.id == "mogao.core.E002"], url


def test_settings_choose_the_backend_from_the_url(tmp_path):
    """Redis: the cache and the sessions (cached, written through to the database); locmem: database sessions."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    for url, backend, sessions in (("redis://127.0.0.1:6379/3", "RedisCache", "cached_db"),
                                   ("locmem://", "LocMemCache", "backends.db")):
        env = {**os.environ, "MOGAO_CACHE_URL": url, "MOGAO_HOME": str(tmp_path),
               "DJANGO_SETTINGS_MODULE": "mogao.site.settings", "PYTHONPATH": str(SRC)}
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                              timeout=120)
        chosen, engine = done.stdout.split()
        assert chosen.endswith(backend) and engine.endswith(sessions)


def test_generation_is_shared_across_processes_through_redis(redis_url, settings, tmp_path):
    """Two processes with MOGAO_CACHE_URL=redis://…: a bump in either is seen by the other (no database)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    env = {**os.environ, "MOGAO_CACHE_URL": redis_url, "MOGAO_HOME": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "mogao.site.settings", "PYTHONPATH": str(SRC)}

    def other(code: str) -> str:
        script = "import django; django.setup()\nfrom mogao.core import generation\n" + code
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                              check=True, timeout=120)
        return done.stdout.strip()

    start = generation.current()
    other("generation.bump(); generation.bump()")
    assert generation.current() == start + 2
    generation.bump()
    assert int(other("print(generation.current())")) == start + 3
