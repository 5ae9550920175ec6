"""Test configuration: shared data, artefacts, translation hygiene and the browser fixtures.

Browser tests share one Playwright (one per xdist worker): Debian's Chromium, never
`playwright install`; use the ``page`` fixture and ``axe(page)`` for the accessibility check.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from django.utils import translation

# MOGAO_HOME, MOGAO_TASKS_URL and MOGAO_SEARCH_URL are set per run (and per xdist worker) by the
# plugin mogao.testing.pytest_plugin, loaded with -p before pytest-django reads the settings.

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("MOGAO_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()
ARTIFACTS = REPO / "artifacts"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real third-party data set; tests that need it skip when it is absent (never in CI)."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"../shared/data is missing at {SHARED_DATA}; CI must have it")
        pytest.skip(f"../shared/data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _clear_item_page_cache() -> None:
    """A rolled-back test database repeats generations: no test may get a page cached by another (#19)."""
    from mogao.catalogue import pagecache

    pagecache.clear()


@pytest.fixture(autouse=True)
def _reset_language() -> Iterator[None]:
    """A test that activates a language must not leak it into the next test of the worker."""
    yield
    translation.deactivate()


# ---------------------------------------------------------------------------- browser tests

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "src" / "mogao" / "site" / "static" / "vendor" / "axe-core" / "axe.min.js"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; Django must allow ORM use beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run must install the chromium package")
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def axe() -> Any:
    """The axe-core check as a fixture: ``axe(page)`` lists serious and critical violations."""
    return axe_violations


def axe_violations(page: Any, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core on the current page; return the violations of the given impacts."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `make setup` (copies axe-core from npm)")
    if page.url.startswith("http"):
        # from the site itself: the Content-Security-Policy refuses inline scripts (add_script_tag(path=))
        page.add_script_tag(url=urljoin(page.url, "/static/vendor/axe-core/axe.min.js"))
    else:
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"] if v["impact"] in impacts
    ]
