"""Fixtures for catalogue tests: a couple of institutions and a work, made through the services."""

from __future__ import annotations

import pytest

from mogao.catalogue import services
from mogao.catalogue.models import Institution, Work


@pytest.fixture
def bl(db: None) -> Institution:
    inst, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    return inst


@pytest.fixture
def bnf(db: None) -> Institution:
    inst, _ = services.institution_upsert(code="BnF", name={"fr": ["Bibliothèque nationale de France"]})
    return inst


@pytest.fixture
def diamond(db: None) -> Work:
    work, _ = services.work_upsert(
        key=("taisho", "T0235"), title={"zh-Hant": ["金剛般若波羅蜜經"], "en": ["Diamond Sūtra"]},
        identifiers={"taisho": "T0235"},
    )
    return work
