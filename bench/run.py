"""Run every benchmark under bench/, in quick mode by default (what ``make bench`` does).

    python bench/run.py              # every bench, --quick: small sizes, seconds to a minute each
    python bench/run.py --full       # the full runs (long: search indexes 1,000,000 records)
    python bench/run.py --only pages,iiif
    python bench/run.py --list       # the benches and their commands, without running them

Each bench runs in its own process and writes its own results beside itself: ``RESULTS-quick.md``
and ``results-quick.json`` in quick mode, ``RESULTS.md`` and ``results.json`` in full mode (see
``bench/common.py``). A bench whose prerequisites are missing (the shared data set, wrk, …) exits
with status 77 and is reported as skipped; any other failure makes this command exit 1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SKIPPED = 77


@dataclass(frozen=True)
class Bench:
    name: str  # the directory under bench/
    script: str  # relative to the repository
    full: tuple[str, ...] = ()  # extra arguments of the full run

    @property
    def path(self) -> Path:
        return REPO / self.script

    @property
    def label(self) -> str:
        """The directory, and the script when it is not the directory's ``run.py`` (pages/transfer)."""
        return self.name if self.path.name == "run.py" else f"{self.name}/{self.path.stem}"

    def command(self, *, quick: bool) -> list[str]:
        return [sys.executable, self.script, *(("--quick",) if quick else self.full)]


BENCHES = (
    Bench("audience", "bench/audience/run.py"),
    Bench("cluster", "bench/cluster/run.py"),
    Bench("iiif", "bench/iiif/run.py"),
    Bench("iiif", "bench/iiif/storage.py"),  # tiles from object storage vs local disk (#19)
    Bench("ingest", "bench/ingest/run.py"),
    Bench("knowledge", "bench/knowledge/run.py"),
    Bench("ocr", "bench/ocr/bench_ocr.py"),
    Bench("pages", "bench/pages/run.py"),
    Bench("pages", "bench/pages/transfer.py"),
    Bench("readers", "bench/readers/run.py"),
    Bench("relevance", "bench/relevance/run.py"),
    Bench("search", "bench/search/run.py"),
    Bench("stories", "bench/stories/run.py"),
)


def bench_dirs() -> list[str]:
    """Every benchmark directory under bench/ (a directory holding Python files)."""
    return sorted(p.name for p in HERE.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")) and any(p.glob("*.py")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the full runs instead of quick mode")
    parser.add_argument("--only", default="", help="comma-separated bench names")
    parser.add_argument("--list", action="store_true", help="list the benches and their commands")
    args = parser.parse_args()
    quick = not args.full
    chosen = [b for b in BENCHES if not args.only or b.name in args.only.split(",")]
    unknown = set(filter(None, args.only.split(","))) - {b.name for b in BENCHES}
    if unknown:
        parser.error(f"unknown bench: {', '.join(sorted(unknown))}")
    if args.list:
        for b in chosen:
            print(f"{b.label:<15} {' '.join(b.command(quick=quick)[1:])}")
        return 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), str(REPO),
                                                                     os.environ.get("PYTHONPATH", "")]))}
    outcome: dict[str, str] = {}
    for b in chosen:
        command = b.command(quick=quick)
        print(f"[bench] {b.label}: {' '.join(command[1:])}", flush=True)
        started = time.monotonic()
        done = subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, check=False)
        seconds = time.monotonic() - started
        if done.returncode == 0:
            outcome[b.label] = f"ok ({seconds:.0f} s)"
        elif done.returncode == SKIPPED:
            outcome[b.label] = "skipped: " + (done.stdout.strip().splitlines() or ["prerequisite missing"])[-1]
        else:
            outcome[b.label] = f"FAILED (exit {done.returncode}, {seconds:.0f} s)"
            sys.stdout.write(done.stdout[-4000:])
        print(f"[bench] {b.label}: {outcome[b.label]}", flush=True)
    print("\n".join(f"{name:<15} {result}" for name, result in outcome.items()))
    return 1 if any(r.startswith("FAILED") for r in outcome.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
