"""Install Mogao without any extras in a fresh virtualenv, load the demo and serve two pages.

    python3 .ci/test_install.py [--keep]

Proves that a production install (``pip install .``, no ``dev`` or ``ocr`` extras) can load the demo
and serve: every module imported when the URLconf loads must be a runtime dependency. Steps:

1. ``python -m venv`` in a temporary directory, then ``pip install .`` (quiet; takes minutes);
2. ``MOGAO_HOME=<temporary> mogao demo --no-serve``;
3. ``mogao serve --port <free port>`` in the background, ``GET /`` and ``GET /items/<a demo pid>``
   must answer 200; then the server is stopped (SIGTERM to the process started here).

Uses only the standard library; exits non-zero with the failing step's output otherwise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PID_SCRIPT = (
    "import django; django.setup();"
    "from mogao.catalogue.models import Item;"
    "item = Item.objects.filter(visibility='public').order_by('pk').first() or Item.objects.order_by('pk').first();"
    "print(item.pid if item else '')"
)


def step(title: str, cmd: list[str], env: dict[str, str], log: Path) -> None:
    """Run ``cmd``; on failure print its output and exit."""
    print(f"test-install: {title}", flush=True)
    with log.open("ab") as fh:
        done = subprocess.run(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT, check=False)  # noqa: S603 (our argv)
    if done.returncode:
        sys.stderr.write(log.read_text(errors="replace")[-6000:])
        sys.exit(f"test-install: FAILED at {title} (exit {done.returncode})")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (an http URL built here)
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def demo_pid(python: Path, env: dict[str, str]) -> str:
    """The pid of a demo item, asked of the installed package (public first)."""
    done = subprocess.run([str(python), "-c", PID_SCRIPT], env=env, capture_output=True, text=True,  # noqa: S603
                          check=False)
    pid = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode or not pid:
        sys.stderr.write(done.stderr[-4000:])
        sys.exit("test-install: FAILED: no demo item found after `mogao demo --no-serve`")
    return pid


def serve_and_fetch(mogao: Path, python: Path, env: dict[str, str], log: Path) -> None:
    port = free_port()
    pid = demo_pid(python, env)
    urls = [f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/items/{pid}"]
    print(f"test-install: mogao serve --port {port}; GET {' and '.join(urls)}", flush=True)
    with log.open("ab") as fh:
        server = subprocess.Popen([str(mogao), "serve", "--port", str(port)], env=env, stdout=fh,  # noqa: S603
                                  stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        statuses: dict[str, int | str] = {}
        for url in urls:
            while True:
                if server.poll() is not None:
                    sys.stderr.write(log.read_text(errors="replace")[-6000:])
                    sys.exit(f"test-install: FAILED: `mogao serve` exited with {server.returncode}")
                try:
                    statuses[url] = get(url)
                    break
                except OSError as exc:  # not listening yet
                    statuses[url] = str(exc)
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.5)
        bad = {url: status for url, status in statuses.items() if status != 200}
        if bad:
            sys.stderr.write(log.read_text(errors="replace")[-6000:])
            sys.exit(f"test-install: FAILED: {bad}")
        print("test-install: " + ", ".join(f"{url} {status}" for url, status in statuses.items()), flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary venv and home (prints where)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter that creates the venv")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="mogao-test-install-"))
    venv, home, log = root / "venv", root / "home", root / "log.txt"
    home.mkdir()
    # A clean environment: no PYTHONPATH pointing at a source tree, no settings from the caller.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOGAO_", "PYTHON", "VIRTUAL_ENV", "DJANGO_"))}
    env.update(MOGAO_HOME=str(home), DJANGO_SETTINGS_MODULE="mogao.site.settings", PIP_DISABLE_PIP_VERSION_CHECK="1")
    bin_ = venv / "bin"
    env["PATH"] = f"{bin_}{os.pathsep}{env.get('PATH', '')}"
    started = time.monotonic()
    try:
        step("python -m venv", [args.python, "-m", "venv", str(venv)], env, log)
        # pip builds in the source tree (egg-info, build/): build from a copy so the checkout stays clean.
        # The copy follows symlinks (the vendored front-end assets may be one) and skips local state.
        source = root / "source"
        shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "node_modules", "artifacts", "build", "dist", "*.egg-info", "__pycache__",
            ".mypy_cache", ".ruff_cache", ".pytest_cache", "tests", "bench"))
        step("pip install . (no extras)", [str(bin_ / "pip"), "install", "--quiet", str(source)], env, log)
        step("mogao demo --no-serve", [str(bin_ / "mogao"), "demo", "--no-serve"], env, log)
        serve_and_fetch(bin_ / "mogao", bin_ / "python", env, log)
    finally:
        if args.keep:
            print(f"test-install: kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    print(f"test-install: passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
