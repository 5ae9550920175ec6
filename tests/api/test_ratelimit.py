"""The anonymous rate limit (fault 15): keyed on the trusted client address, shared by every
process, and never applied to token holders (docs/api.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

URL = "/api/v1/institutions"
SRC = Path(__file__).resolve().parents[2] / "src"


def _codes(client: Client, n: int, **headers: str) -> list[int]:
    return [client.get(URL, headers=headers).status_code for _ in range(n)]


@pytest.mark.django_db
def test_rotating_x_forwarded_for_does_not_escape_the_limit(catalogue, settings) -> None:
    settings.API_ANON_RATE = "3/day"
    settings.PROXY_DEPTH = 0  # no proxy: the header is the client's own words
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = [client.get(URL, headers={"x-forwarded-for": f"10.0.0.{n}"}).status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_behind_one_proxy_only_the_address_the_proxy_saw_counts(catalogue, settings) -> None:
    settings.API_ANON_RATE = "3/day"
    settings.PROXY_DEPTH = 1
    proxy = Client(REMOTE_ADDR="127.0.0.1")  # every request arrives from the proxy itself
    # the client prepends made-up addresses; the proxy appends the one it saw (203.0.113.5)
    codes = [proxy.get(URL, headers={"x-forwarded-for": f"1.2.3.{n}, 203.0.113.5"}).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert proxy.get(URL, headers={"x-forwarded-for": "203.0.113.6"}).status_code == 200, "another client"


@pytest.mark.django_db
def test_token_holders_reads_are_not_limited(catalogue, admin_token, settings) -> None:
    settings.API_ANON_RATE = "2/day"
    client = Client()
    assert _codes(client, 5, authorization=f"Bearer {admin_token}") == [200] * 5
    # a made-up token does not buy an exemption
    assert _codes(client, 3, authorization="Bearer mogao_not-a-real-token") == [200, 200, 429]


_CHILD = """
import json, os, sys
import django
django.setup()
from django.conf import settings
from django.db import connection
settings.DATABASES["default"]["NAME"] = sys.argv[1]
connection.settings_dict["NAME"] = sys.argv[1]
settings.API_ANON_RATE = "3/day"
from django.test import Client
client = Client(REMOTE_ADDR="198.51.100.9")
print(json.dumps([client.get("/api/v1/institutions").status_code for _ in range(2)]))
"""


@pytest.mark.django_db(transaction=True)
def test_the_limit_is_shared_by_every_process(catalogue, settings) -> None:
    """Two requests here and two in another process (another worker) use one budget of three."""
    settings.API_ANON_RATE = "3/day"
    client = Client(REMOTE_ADDR="198.51.100.9")
    assert _codes(client, 2) == [200, 200]
    env = {**os.environ, "PYTHONPATH": str(SRC), "DJANGO_SETTINGS_MODULE": "mogao.site.settings"}
    name = str(connection.settings_dict["NAME"])
    run = subprocess.run([sys.executable, "-c", _CHILD, name], env=env, capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout.strip().splitlines()[-1]) == [200, 429]
