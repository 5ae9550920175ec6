"""Fixtures for the ingest tests: an institution, works, and writers of CSV files with planted errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from mogao.catalogue import services

HEADER = "identifier,institution,shelfmark,title@zh-Hant,title@en,languages,date,type,works,description@en"


@pytest.fixture
def institution(db):
    inst, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    return inst


@pytest.fixture
def diamond(db):
    work, _ = services.work_upsert(
        key=("taisho", "T0235"), title={"zh-Hant": ["金剛般若波羅蜜經"], "en": ["Diamond Sutra"]},
        identifiers={"taisho": "T0235"},
    )
    return work


def good_rows(n: int, start: int = 1) -> list[str]:
    return [
        f"Or.8210/S.{i},BL,Or.8210/S.{i},金剛經 {i},Diamond Sutra copy {i},lzh,{800 + i % 100},scroll,"
        f"taisho:T0235,A scroll"
        for i in range(start, start + n)
    ]


@pytest.fixture
def write_csv(tmp_path: Path):
    def write(lines: list[str] | bytes, name: str = "items.csv") -> Path:
        path = tmp_path / name
        if isinstance(lines, bytes):
            path.write_bytes(lines)
        else:
            path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def replay(shared_data, settings):
    """The recorded Zenodo OAI-PMH responses served from 127.0.0.1, which is allow-listed."""
    from .replay import ReplayServer

    settings.INGEST_ALLOW_HOSTS = ["127.0.0.1"]
    with ReplayServer(shared_data / "oai-pmh" / "zenodo_e-periodica_2026") as server:
        yield server


@pytest.fixture
def local_server(settings):
    """A bare local server (routes added by the test); 127.0.0.1 is NOT allow-listed."""
    from .replay import ReplayServer

    settings.INGEST_ALLOW_HOSTS = []
    with ReplayServer() as server:
        yield server
