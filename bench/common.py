"""What every benchmark writes with its results: the machine, the date, the command, the mode.

Every ``bench/*/RESULTS.md`` is written by its benchmark from its own measurements (never pasted):
a full run writes ``RESULTS.md`` and ``results.json``; a quick run (``--quick``, small sizes, what
``make bench`` does) writes ``RESULTS-quick.md`` and ``results-quick.json`` so it never overwrites
the figures of a full run.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MOGAO_SHARED_DATA", REPO.parent / "shared" / "data"))
SKIPPED = 77  # exit status of a benchmark whose prerequisites are missing (bench/run.py reports "skipped")


def machine() -> dict[str, Any]:
    """CPU, memory, Python and load average now (the machine is usually shared: say how busy it was)."""
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        info["cpu_model"] = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        info["memory_gb"] = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
    except (OSError, StopIteration, IndexError, ValueError):
        pass
    return info


def header(title: str, *, quick: bool, started: str, info: dict[str, Any]) -> list[str]:
    """The first lines of a RESULTS file: title, generator, command, mode, date and machine."""
    command = " ".join(shlex.quote(a) for a in ["python", os.path.relpath(sys.argv[0], REPO), *sys.argv[1:]])
    mode = ("**quick mode** (small sizes, a smoke run: figures are not comparable with the targets)"
            if quick else "full mode")
    return [
        f"# {title}",
        "",
        f"Written by `{command}` — {mode}; do not edit by hand, rerun instead.",
        "",
        f"- Date: {started}",
        f"- Machine: {info.get('cpu_model', platform.machine())}, {info['cpus']} CPUs, "
        f"{info.get('memory_gb', '?')} GB, Python {info['python']}, {info['platform']}; load average at start "
        f"{', '.join(str(x) for x in info['load_average'])} (the machine is shared, so wall-clock figures move).",
        "",
    ]


def now() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def write(here: Path, *, quick: bool, markdown: list[str], data: dict[str, Any], variant: str = "") -> Path:
    """Write RESULTS(.md|-quick.md) and results(.json|-quick.json) beside the benchmark; returns the report.

    ``variant`` names another configuration of the same benchmark (``-postgres``: RESULTS-postgres.md).
    """
    suffix = variant + ("-quick" if quick else "")
    (here / f"results{suffix}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n",
                                                encoding="utf-8")
    report = here / f"RESULTS{suffix}.md"
    report.write_text("\n".join(markdown).rstrip("\n") + "\n", encoding="utf-8")
    return report


def ratio(a: float, b: float) -> float | None:
    """``a / b`` rounded, or None when the peer measured nothing."""
    return round(a / b, 3) if b else None


def run_json(here: Path, script: str, *args: str) -> dict[str, Any]:
    """Run ``here/script … --json`` with this checkout's sources first; its last stdout line is the result."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, str(here / script), *args, "--json"], capture_output=True, text=True,
                          env=env, check=False)
    if done.returncode:
        raise SystemExit(f"{script} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def wrk_summary(cmd: list[str]) -> dict[str, Any]:
    """Run a wrk command whose Lua script prints ``WRKJSON {…}`` when done; that summary plus ``rps``."""
    import re

    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    match = re.search(r"WRKJSON (\{.*\})", out)
    if match is None:
        raise RuntimeError(f"wrk gave no summary:\n{out}")
    data: dict[str, Any] = json.loads(match[1])
    data["rps"] = round(data["requests"] / (data["duration_us"] / 1e6), 1)
    return data
