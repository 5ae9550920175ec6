"""Fault #3 of issue 12: the catalogue generation behind the page caches is shared by every process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from mogao.catalogue import services
from mogao.core import generation
from mogao.knowledge.models import Place
from mogao.knowledge.services import entity_upsert

SRC = Path(__file__).resolve().parents[2] / "src"


def _database_url() -> str:
    """The test database, as MOGAO_DATABASE_URL for another process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _in_another_process(code: str, tmp_path: Path) -> None:
    env = {**os.environ, "MOGAO_DATABASE_URL": _database_url(), "MOGAO_HOME": str(tmp_path / "worker-home"),
           "DJANGO_SETTINGS_MODULE": "mogao.site.settings", "PYTHONPATH": str(SRC)}
    (tmp_path / "worker-home").mkdir()
    script = "import django; django.setup()\n" + code
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=300)


def _context_section(html: str) -> str:
    found = re.search(r'<section aria-labelledby="kn-context-h".*?</section>', html, re.S)
    assert found, "the item page has no cached context fragment"
    return found.group(0)


@pytest.mark.django_db(transaction=True)
def test_a_write_in_another_process_invalidates_this_process_page_cache(
    client: Client, tmp_path: Path, settings: Any
) -> None:
    place, _ = entity_upsert(model=Place, pid="quokka-cave", name={"en": ["Quokka Cave"]},
                             latitude=40.04, longitude=94.80)
    holder, _ = services.institution_upsert(code="QK", name={"en": ["Quokka Library"]},
                                            latitude=51.5, longitude=-0.13)
    item, _ = services.item_upsert(institution=holder, shelfmark="Q.1", title={"en": ["Quokka scroll"]},
                                   find_place=place)
    before = generation.current()
    assert "Quokka Cave" in _context_section(client.get(item.get_absolute_url()).content.decode())

    # the task worker (another process, with its own local-memory cache) renames the place
    _in_another_process(
        "from mogao.knowledge.models import Place\n"
        "place = Place.objects.get(pid='quokka-cave')\n"
        "place.name = {'en': ['Wombat Grotto']}\n"
        "place.save()\n",
        tmp_path,
    )

    assert Place.objects.get(pid="quokka-cave").name == {"en": ["Wombat Grotto"]}
    section = _context_section(client.get(item.get_absolute_url()).content.decode())
    assert "Wombat Grotto" in section and "Quokka Cave" not in section, "stale fragment served from the cache"
    assert generation.current() > before
