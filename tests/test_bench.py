"""The benchmarks are runnable and honest: one entry point lists every bench, each has a quick mode,
every RESULTS file is written by code, and the knowledge benchmark does not score "found nothing" as
perfect precision. No benchmark is run here (they measure time; tests assert behaviour)."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"


def _bench_directories() -> set[str]:
    return {p.name for p in BENCH.iterdir() if p.is_dir() and not p.name.startswith((".", "_")) and any(p.glob("*.py"))}


def _listed() -> dict[str, list[str]]:
    """``bench/run.py --list``: bench name -> its quick-mode command (script and arguments)."""
    done = subprocess.run([sys.executable, str(BENCH / "run.py"), "--list"], capture_output=True, text=True,
                          cwd=REPO, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    return {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines() if line.strip()}


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_test_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_run_lists_every_bench_directory() -> None:
    # a directory may hold a second bench, listed as "dir/script" (pages/transfer)
    assert {name.split("/")[0] for name in _listed()} == _bench_directories()


def test_every_bench_runs_in_quick_mode_from_an_entry_point_with_a_quick_flag() -> None:
    for name, command in _listed().items():
        script = REPO / command[0]
        assert script.is_file(), f"{name}: {script} does not exist"
        assert script.parent == BENCH / name.split("/")[0], f"{name}: its entry point is not in bench/{name}/"
        assert "--quick" in command, f"{name}: run.py does not call it with --quick"
        tree = ast.parse(script.read_text(encoding="utf-8"))
        options = {
            arg.value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument"
            for arg in node.args if isinstance(arg, ast.Constant)
        }
        assert "--quick" in options, f"{name}: {command[0]} has no --quick option"


def test_every_results_file_is_written_by_code() -> None:
    """Each RESULTS*.md under bench/<name>/ says which command wrote it (hand-written ones live in history/)."""
    results = sorted(p for p in BENCH.glob("*/RESULTS*.md"))
    assert results
    for path in results:
        head = "\n".join(path.read_text(encoding="utf-8").splitlines()[:4])
        assert "Written by `python bench/" in head and "do not edit by hand" in head, path


def test_make_bench_runs_bench_run_py_in_quick_mode() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    assert "bench/run.py" in recipe and "--full" not in recipe
    assert (BENCH / "run.py").is_file()


def test_zero_predictions_are_not_perfect_precision() -> None:
    extraction = _load(BENCH / "knowledge" / "bench_extraction.py")
    assert extraction.score(0, 0, 25) == (None, 0.0)  # found nothing: precision undefined, recall 0
    assert extraction.score(29, 1, 31) == (29 / 30, 29 / 60)
    assert extraction.score(0, 3, 25)[0] == 0.0
    assert extraction.score(0, 0, 0) == (None, None)
    row = {"threshold": 0.6, "source": "text", "labelled": 25, "predicted": 0, "correct": 0,
           "precision": None, "recall": 0.0}
    line = extraction.table([row])[-1]
    assert "n/a (no predictions)" in line
    assert "1.000" not in line


@pytest.mark.django_db
def test_knowledge_bench_default_threshold_is_the_one_mogao_uses() -> None:
    from mogao.knowledge.extraction import MIN_CONFIDENCE

    assert _load(BENCH / "knowledge" / "bench_extraction.py").DEFAULT_THRESHOLD == MIN_CONFIDENCE


def test_iiif_bench_measures_the_django_stack_and_the_fast_path_under_their_own_names() -> None:
    """The app labelled Django must be the Django stack, not the fast-path wrapper ``mogao serve`` runs."""
    import mogao.site.wsgi as wsgi
    from mogao.iiif.web import fast_path

    source = (BENCH / "iiif" / "run.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    apps = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(isinstance(e, ast.Constant) for e in node.elts):
            label, target = (e.value for e in node.elts)
            if isinstance(label, str) and label.startswith("mogao-") and ":" in str(target):
                apps[label] = target
    assert set(apps) == {"mogao-django", "mogao-fastpath"}
    module, _, attr = apps["mogao-django"].partition(":")
    assert module == "mogao.site.wsgi"
    django_app = getattr(wsgi, attr)
    assert django_app.__class__.__name__ == "WSGIHandler"  # Django's own handler: every middleware
    assert apps["mogao-fastpath"] == "mogao.site.wsgi:application"
    assert wsgi.application.__qualname__ == fast_path(django_app).__qualname__  # the fast_path wrapper
