"""IIIF image benchmark, one command: pyramid build time, then Mogao vs iipsrv vs nginx under wrk.

    nice .venv/bin/python bench/iiif/run.py [--duration 8] [--work /tmp/mogao-bench-iiif]
    .venv/bin/python bench/iiif/run.py --quick     # in process, no servers, a few seconds

1. Makes a 12000x9000 JPEG (a real page scan from ../shared/data resized, or synthetic) and times
   the pyramid build (the same code as ``image_build_pyramid``).
2. Exports level-0 static tiles (``mogao iiif export`` code) for nginx.
3. Serves the same pyramid through Mogao under granian WSGI twice: ``mogao.site.wsgi:application``
   (what ``mogao serve`` runs: ``/iiif/3/`` answered by the image core *before* Django's middleware,
   the "fast path") and ``mogao.site.wsgi:django_application`` (the Django stack: every middleware,
   URL resolution and the ``image_api`` view); iipsrv behind lighttpd (FastCGI on loopback), and
   nginx over the static tiles; wrk (-t2 -c4) requests random 256-px tiles cold (no derivative
   cache anywhere) and warm (Mogao cache filled; nginx static), random 1000-px views and info.json.
4. Writes ``bench/iiif/RESULTS.md`` and ``bench/iiif/results.json``.

``--quick`` needs neither wrk nor the peer servers: it builds a 3000x2250 pyramid and calls both WSGI
applications in this process (no network) for random cold tiles, 1000-px views and info.json,
reporting the fast path against the Django stack as the named peer; writes ``RESULTS-quick.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))

import peers  # noqa: E402
import pyvips  # noqa: E402

from mogao.iiif.image.export import export_image, tile_paths  # noqa: E402
from mogao.iiif.image.info import level_sizes  # noqa: E402
from mogao.iiif.image.pipeline import Limits  # noqa: E402
from mogao.iiif.image.store import ImageStore  # noqa: E402

WIDTH, HEIGHT = 12000, 9000
IDENT = "page"
LIMITS = Limits(6000, 6000, 16_000_000)  # the defaults of MOGAO_IIIF_MAX_*
SHARED = Path(os.environ.get("MOGAO_SHARED_DATA", REPO.parent / "shared" / "data"))
SHARED_SCAN = SHARED / "images" / "book6_v01_023.jpg"


def make_source(path: Path) -> str:
    """Write the 12000x9000 test JPEG; returns a description of where its pixels came from."""
    if SHARED_SCAN.exists():
        scan = pyvips.Image.new_from_file(str(SHARED_SCAN))
        image = scan.resize(WIDTH / scan.width, vscale=HEIGHT / scan.height)
        origin = f"real scan {SHARED_SCAN.name} ({scan.width}x{scan.height}) resized"
    else:
        noise = pyvips.Image.gaussnoise(WIDTH, HEIGHT, mean=200, sigma=25)
        image = noise.bandjoin([noise, noise])
        origin = "synthetic noise (../shared/data not found)"
    image = image.cast("uchar").copy(interpretation="srgb")
    image.jpegsave(str(path), Q=90)
    return origin


def wrk(base: str, paths: list[str], work: Path, name: str, duration: int, connections: int = 4, *,
        in_order: bool = False) -> dict[str, Any]:
    """Run wrk -t2 -c``connections`` over random ``paths`` (``in_order``: each once, in their order) against
    ``base``; returns req/s and latency percentiles."""
    listing = work / f"{name}.paths"
    listing.write_text("\n".join(paths) + "\n")
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(HERE / "random_urls.lua"),
           base, "--", str(listing), *(["in-order"] if in_order else [])]
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from bench import common

    return common.wrk_summary(cmd)


def fetch_all(base: str, paths: list[str]) -> int:
    """GET every path once over one keep-alive connection (fills a cache); returns non-200 count."""
    host = base.split("//", 1)[1].split("/", 1)[0]
    conn = http.client.HTTPConnection(host, timeout=30)
    bad = 0
    for path in paths:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        bad += response.status != 200
    conn.close()
    return bad


def check(base: str, path: str, kind: str) -> None:
    """Fail early when a server does not answer a sample path with ``kind`` content."""
    host = base.split("//", 1)[1].split("/", 1)[0]
    conn = http.client.HTTPConnection(host, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200 or kind not in (response.getheader("Content-Type") or ""):
        raise RuntimeError(f"{host}{path}: {response.status} {response.getheader('Content-Type')} {body[:200]!r}")


def peer_versions() -> dict[str, str]:
    """Installed versions of the peer servers and the load generator (Debian packages)."""
    versions = {}
    for package in ("iipimage-server", "lighttpd", "nginx", "wrk"):
        found = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True,
                               check=False)
        versions[package] = found.stdout.strip() or "not installed"
    return versions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="in process, small image, no wrk and no peer servers")
    parser.add_argument("--publish", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/mogao-bench-iiif"))
    parser.add_argument("--workers", type=int, default=2, help="worker processes per server")
    parser.add_argument("--threads", type=int, default=1, help="granian blocking threads per Mogao worker")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; medians are reported")
    args = parser.parse_args()
    if args.publish:
        os.environ.update(MOGAO_HOME=str(args.publish), MOGAO_TASKS_URL="immediate://",
                          MOGAO_SEARCH_URL="memory://", DJANGO_SETTINGS_MODULE="mogao.site.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        _publish(IDENT, WIDTH, HEIGHT)
        return
    if args.quick:
        raise SystemExit(quick())
    for tool in ("wrk",):
        if shutil.which(tool) is None:
            print(f"skipped: {tool} is required (apt-get install -y wrk)")
            raise SystemExit(77)  # bench.common.SKIPPED
    work: Path = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    work.chmod(0o755)
    home = work / "home"
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "loadavg_at_start": os.getloadavg(), "python": platform.python_version(),
                    "libvips": f"{pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}"},
        "wrk": {"threads": 2, "connections": 4, "duration_s": args.duration},
        "servers": {"workers": args.workers, "mogao_threads": args.threads, "rounds": args.rounds},
        "runs": {},
        "peers": peer_versions(),
    }

    source = work / "page-12000x9000.jpg"
    results["source"] = make_source(source)
    store = ImageStore(home / "images", max_pixels=400_000_000)
    store.register(source, IDENT)
    builds = []
    for _ in range(2):
        start = time.perf_counter()
        info = store.build_pyramid(IDENT, force=True)
        builds.append(round(time.perf_counter() - start, 2))
    results["pyramid_build_s"] = builds
    results["pyramid_levels"] = [list(level) for level in info.levels]
    print(f"pyramid build: {builds} s, levels {info.levels}", flush=True)
    # The servers' database: migrated, the image on a public item's canvas (as an import leaves it).
    subprocess.run([sys.executable, __file__, "--publish", str(home)], check=True)

    static = work / "static"
    start = time.perf_counter()
    exported = export_image(store, IDENT, static, "http://127.0.0.1/iiif/3", LIMITS)
    results["static_export"] = {"files": exported.files, "bytes": exported.bytes,
                                "seconds": round(time.perf_counter() - start, 1)}
    print(f"static export: {results['static_export']}", flush=True)
    iip = work / "iip"
    iip.mkdir()
    (iip / f"{IDENT}.tif").symlink_to(store.pyramid_path(IDENT))

    scale_factors = [2**k for k in range(len(level_sizes(info)))]
    tiles = [f"{region}/{size}/0/default.jpg" for region, size in tile_paths(WIDTH, HEIGHT, scale_factors)]
    rng = random.Random(4)
    views = []
    for _ in range(300):
        w = rng.randint(1500, 6000)
        h = w * 3 // 4
        x, y = rng.randint(0, WIDTH - w), rng.randint(0, HEIGHT - h)
        views.append(f"{x},{y},{w},{h}/1000,/0/default.jpg")
    results["urls"] = {"tiles": len(tiles), "views": len(views)}

    # All servers run at once and the (server, scenario) pairs are measured in a shuffled order,
    # several short rounds each: on a shared machine the load drifts, and interleaving spreads
    # that drift over every server instead of penalising whichever ran during a busy minute.
    pairs: list[tuple[str, str, str, list[str], str]] = []  # label, scenario, wrk base, paths, kind
    log = work / "granian.log"
    with contextlib.ExitStack() as stack:
        # What `mogao serve` runs (the fast path in front of Django) and the Django stack without it.
        apps = (("mogao-django", "mogao.site.wsgi:django_application"),
                ("mogao-fastpath", "mogao.site.wsgi:application"))
        for label, app in apps:
            for cache_mb, scenarios in ((0, ("tiles-cold", "views-1000", "info.json")), (2048, ("tiles-cached",))):
                base = stack.enter_context(peers.mogao(
                    home, app=app, cache_mb=cache_mb, workers=args.workers, threads=args.threads, log=log))
                peers.wait_http(f"{base}/iiif/3/{IDENT}/info.json")
                prefix = f"/iiif/3/{IDENT}/"
                if cache_mb:
                    bad = fetch_all(base, [prefix + t for t in tiles])
                    if bad:
                        raise RuntimeError(f"{bad} tiles failed while filling the cache")
                for scenario in scenarios:
                    paths = {"tiles-cold": tiles, "tiles-cached": tiles, "views-1000": views,
                             "info.json": ["info.json"]}[scenario]
                    pairs.append((label, scenario, base, [prefix + x for x in paths], "json" if "info" in scenario
                                  else "image/jpeg"))
        iip_base = stack.enter_context(peers.iipsrv(iip, work, cache_mb=0, procs=args.workers))
        if iip_base is None:
            results["runs"]["iipsrv"] = "not installed (apt-get install -y iipimage-server lighttpd)"
        else:
            root = iip_base.split("/fcgi-bin", 1)[0]
            prefix = f"/fcgi-bin/iipsrv.fcgi?IIIF={IDENT}.tif/"
            peers.wait_http(f"{root}{prefix}info.json")
            pairs.append(("iipsrv", "tiles-cold", root, [prefix + t for t in tiles], "image/jpeg"))
            pairs.append(("iipsrv", "views-1000", root, [prefix + v for v in views], "image/jpeg"))
            pairs.append(("iipsrv", "info.json", root, [prefix + "info.json"], "json"))
        nginx_base = stack.enter_context(peers.nginx(static, work, workers=args.workers))
        if nginx_base is None:
            results["runs"]["nginx"] = "not installed (apt-get install -y nginx)"
        else:
            root = nginx_base.removesuffix("/iiif/3/")
            prefix = f"/iiif/3/{IDENT}/"
            peers.wait_http(f"{root}{prefix}info.json")
            pairs.append(("nginx", "tiles-cached", root, [prefix + t for t in tiles], "image/jpeg"))
            pairs.append(("nginx", "info.json", root, [prefix + "info.json"], "json"))

        for label, scenario, base, paths, kind in pairs:
            check(base, paths[0], kind)
            wrk(base, paths, work, f"{label}-{scenario}-warmup", 2)
        samples: dict[tuple[str, str], list[dict[str, Any]]] = {}
        results["loadavg_per_round"] = []
        order = random.Random(7)
        for round_no in range(args.rounds):
            results["loadavg_per_round"].append(os.getloadavg())
            print(f"round {round_no + 1}/{args.rounds}, load average {os.getloadavg()}", flush=True)
            for label, scenario, base, paths, _kind in order.sample(pairs, len(pairs)):
                data = wrk(base, paths, work, f"{label}-{scenario}", args.duration)
                samples.setdefault((label, scenario), []).append(data)
                print(f"{label:>15} {scenario:<12} {data['rps']:>8} req/s  p50 {data['p50_ms']:.2f}  "
                      f"p95 {data['p95_ms']:.2f}  p99 {data['p99_ms']:.2f} ms  errors {data['errors']}", flush=True)

    # Per pair: median throughput and median percentiles over the rounds.
    for (label, scenario), datas in samples.items():
        merged = {key: statistics.median(d[key] for d in datas)
                  for key in ("rps", "p50_ms", "p95_ms", "p99_ms")}
        merged["errors"] = sum(d["errors"] for d in datas)
        merged["rps_all_rounds"] = [d["rps"] for d in datas]
        results["runs"].setdefault(label, {})[scenario] = merged
    report(results)


def _ratio(results: dict[str, Any], a: tuple[str, str], b: tuple[str, str]) -> float | None:
    try:
        return round(results["runs"][a[0]][a[1]]["rps"] / results["runs"][b[0]][b[1]]["rps"], 3)
    except (KeyError, TypeError, ZeroDivisionError):
        return None


def report(results: dict[str, Any]) -> None:
    """Write results.json and RESULTS.md (tables, ratios against the targets)."""
    ratios = {
        "django_cold_vs_iipsrv": _ratio(results, ("mogao-django", "tiles-cold"), ("iipsrv", "tiles-cold")),
        "fastpath_cold_vs_iipsrv": _ratio(results, ("mogao-fastpath", "tiles-cold"), ("iipsrv", "tiles-cold")),
        "django_cached_vs_nginx": _ratio(results, ("mogao-django", "tiles-cached"), ("nginx", "tiles-cached")),
        "fastpath_cached_vs_nginx": _ratio(results, ("mogao-fastpath", "tiles-cached"), ("nginx", "tiles-cached")),
    }
    results["ratios"] = ratios
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    lines = [
        "# IIIF image benchmark",
        "",
        "Written by `python bench/iiif/run.py` — full mode; do not edit by hand, rerun instead.",
        "",
        f"- Date: {results.get('date', '?')}",
        f"- Machine: {results['machine']['cpus']} CPUs shared with other work (load average at start "
        f"{', '.join(f'{x:.1f}' for x in results['machine']['loadavg_at_start'])}), Python "
        f"{results['machine']['python']}, libvips {results['machine']['libvips']}.",
        f"- Source: 12000x9000 JPEG from {results['source']}.",
        "- Peers (Debian packages): " + ", ".join(f"{k} {v}" for k, v in results["peers"].items()) + ".",
        f"- Pyramid build (256-px JPEG tiles, Q85): **{results['pyramid_build_s']} s** (two runs; target <= 3 s).",
        f"- Static level-0 export: {results['static_export']['files']} files, "
        f"{results['static_export']['bytes']:,} bytes in {results['static_export']['seconds']} s.",
        f"- Servers: {results['servers']['workers']} worker processes each (Mogao: granian WSGI, "
        f"{results['servers']['mogao_threads']} thread per worker), all running at once; "
        f"{results['servers']['rounds']} rounds over every (server, scenario) pair in shuffled order, "
        "medians reported (every round's req/s in results.json).",
        f"- Load: wrk -t2 -c4, {results['wrk']['duration_s']} s per run (after one 2 s warm-up), random URLs from "
        f"{results['urls']['tiles']} tiles (all levels) and {results['urls']['views']} 1000-px views.",
        "",
        "| server | scenario | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for server, runs in results["runs"].items():
        if isinstance(runs, str):
            lines.append(f"| {server} | {runs} | | | | | |")
            continue
        for name, d in runs.items():
            lines.append(f"| {server} | {name} | {d['rps']:.0f} | {d['p50_ms']:.2f} | {d['p95_ms']:.2f} | "
                         f"{d['p99_ms']:.2f} | {d['errors']} |")
    lines += ["", "| ratio | value | target |", "|---|---:|---:|"]
    targets = {"django_cold_vs_iipsrv": ">= 0.90", "fastpath_cold_vs_iipsrv": ">= 0.90",
               "django_cached_vs_nginx": ">= 0.50", "fastpath_cached_vs_nginx": ">= 0.50"}
    for key, value in ratios.items():
        lines.append(f"| {key} | {value if value is not None else 'n/a'} | {targets[key]} |")
    for server in ("mogao-django", "mogao-fastpath"):
        run = results["runs"].get(server, {}).get("tiles-cold")
        if run:
            lines.append(f"| {server} cold-tile p95 ms | {run['p95_ms']:.2f} | <= 25 |")
    lines.append(f"| pyramid build s (best) | {min(results['pyramid_build_s'])} | <= 3 |")
    lines += [
        "",
        "Notes:",
        "- *cold* means no derivative cache anywhere: Mogao runs with `MOGAO_IIIF_CACHE_MB=0`, iipsrv with "
        "`MAX_IMAGE_CACHE_SIZE=0`; both read the same pyramidal TIFF (the OS page cache is warm after the "
        "warm-up) and both answer an exact interior-tile request with the JPEG tile stored in the TIFF; "
        "edge tiles are decoded and re-encoded.",
        "- *cached* means Mogao's derivative cache was filled with every tile first (disk cache plus the "
        "per-process memory layer); nginx serves the level-0 files written by `mogao iiif export`.",
        "- *mogao-django* is the Django stack: `mogao.site.wsgi:django_application` (every middleware, URL "
        "resolution, the `image_api` view); *mogao-fastpath* is `mogao.site.wsgi:application`, what `mogao serve` "
        "runs: the same Django app wrapped by `mogao.iiif.web.fast_path`, which answers `/iiif/3/` from the image "
        "core before Django's middleware (Host checked against `ALLOWED_HOSTS`).",
        "- iipsrv 1.1 (Debian) speaks IIIF Image API 2; the same region/size/rotation/quality URLs were used.",
        "- The machine is shared with other engineers' test runs (see the load averages), so absolute numbers "
        "move between runs by a factor of two or more; compare servers within one run.",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))

QUICK_W, QUICK_H = 3000, 2250


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _call(app: Any, path: str) -> tuple[int, float]:
    """One GET through a WSGI ``app`` in process; (status, milliseconds)."""
    from wsgiref.util import setup_testing_defaults

    environ: dict[str, Any] = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "127.0.0.1",
                               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80"}
    setup_testing_defaults(environ)
    status: list[str] = []
    started = time.perf_counter()
    body = app(environ, lambda s, _h, _e=None: status.append(s))
    for _chunk in body:
        pass
    if hasattr(body, "close"):
        body.close()
    return int(status[0].split()[0]), (time.perf_counter() - started) * 1000


def quick() -> int:
    """Fast path vs Django stack in process, cold cache, small image: a smoke run of the image server."""
    sys.path.insert(0, str(REPO))
    from bench import common

    started_at, info_machine = common.now(), common.machine()
    work = Path(tempfile.mkdtemp(prefix="mogao-bench-iiif-quick-"))
    os.environ.update(MOGAO_HOME=str(work / "home"), MOGAO_IIIF_CACHE_MB="0", MOGAO_TASKS_URL="immediate://",
                      MOGAO_SEARCH_URL="memory://", MOGAO_ALLOWED_HOSTS="127.0.0.1,localhost",
                      DJANGO_SETTINGS_MODULE="mogao.site.settings")
    (work / "home").mkdir(parents=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    source = work / "page.jpg"
    noise = pyvips.Image.gaussnoise(QUICK_W, QUICK_H, mean=200, sigma=25)
    noise.bandjoin([noise, noise]).cast("uchar").copy(interpretation="srgb").jpegsave(str(source), Q=90)
    store = ImageStore(Path(settings.IMAGE_ROOT), max_pixels=settings.IMAGE_MAX_PIXELS)
    store.register(source, IDENT)
    t0 = time.perf_counter()
    pyramid = store.build_pyramid(IDENT, force=True)
    build_s = time.perf_counter() - t0
    _publish(IDENT, QUICK_W, QUICK_H)

    from mogao.site.wsgi import application, django_application

    apps = {"mogao-fastpath": application, "mogao-django": django_application}
    scale_factors = [2**k for k in range(len(level_sizes(pyramid)))]
    tiles = [f"/iiif/3/{IDENT}/{r}/{z}/0/default.jpg" for r, z in tile_paths(QUICK_W, QUICK_H, scale_factors)]
    rng = random.Random(4)
    views = []
    for _ in range(20):
        w = rng.randint(1200, QUICK_W)
        h = w * 3 // 4
        views.append(f"/iiif/3/{IDENT}/{rng.randint(0, QUICK_W - w)},{rng.randint(0, QUICK_H - h)},{w},{h}"
                     "/1000,/0/default.jpg")
    scenarios = {"tiles-cold": tiles, "views-1000": views, "info.json": [f"/iiif/3/{IDENT}/info.json"] * 100}
    for app in apps.values():  # warm both apps (imports, templates, the image server) before timing
        for paths in scenarios.values():
            status, _ms = _call(app, paths[0])
            if status != 200:
                raise SystemExit(f"{paths[0]}: {status} (the benchmark image is not served)")
    samples: dict[tuple[str, str], list[float]] = {}
    rounds = 3
    for _round in range(rounds):  # interleaved, so drift in the machine's load hits both apps alike
        for scenario, paths in scenarios.items():
            for label, app in apps.items():
                for path in paths:
                    status, ms = _call(app, path)
                    if status != 200:
                        raise SystemExit(f"{label} {path}: {status}")
                    samples.setdefault((label, scenario), []).append(ms)
    runs: dict[str, dict[str, dict[str, float]]] = {}
    for (label, scenario), ms in samples.items():
        runs.setdefault(label, {})[scenario] = {
            "requests": len(ms), "rps": round(len(ms) / (sum(ms) / 1000), 1), "p50_ms": round(_percentile(ms, 0.5), 2),
            "p95_ms": round(_percentile(ms, 0.95), 2), "p99_ms": round(_percentile(ms, 0.99), 2)}
    ratios = {scenario: common.ratio(runs["mogao-fastpath"][scenario]["rps"], runs["mogao-django"][scenario]["rps"])
              for scenario in scenarios}
    lines = common.header("IIIF image benchmark", quick=True, started=started_at, info=info_machine)
    lines += [
        f"- Source: {QUICK_W}x{QUICK_H} synthetic JPEG; pyramid build (256-px JPEG tiles, Q85) {build_s:.2f} s "
        f"(levels {[list(level) for level in pyramid.levels]}).",
        "- In process, one thread, no network and no server: each request is a call of the WSGI application, so "
        "the figures are server time only. No derivative cache (`MOGAO_IIIF_CACHE_MB=0`): every tile is read "
        "from the pyramidal TIFF.",
        f"- {rounds} interleaved rounds over {len(tiles)} tiles (all levels), {len(views)} 1000-px views and "
        "100 info.json requests per app and round.",
        "- *mogao-fastpath*: `mogao.site.wsgi:application`, what `mogao serve` runs — `mogao.iiif.web.fast_path` "
        "answers `/iiif/3/` from the image core before Django's middleware. *mogao-django* (the named peer): "
        "`mogao.site.wsgi:django_application`, the Django stack (every middleware, URL resolution, the "
        "`image_api` view) on the same image server.",
        "- The full run (`python bench/iiif/run.py`: granian servers under wrk, iipsrv and nginx as peers) "
        "writes `RESULTS.md`.",
        "",
        "| app | scenario | requests | req/s (one thread) | p50 ms | p95 ms | p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, by_scenario in runs.items():
        for scenario, d in by_scenario.items():
            lines.append(f"| {label} | {scenario} | {d['requests']} | {d['rps']:.0f} | {d['p50_ms']:.2f} | "
                         f"{d['p95_ms']:.2f} | {d['p99_ms']:.2f} |")
    lines += ["", "| ratio: fast path / Django stack (req/s) | value |", "|---|---:|"]
    lines += [f"| {scenario} | {value} |" for scenario, value in ratios.items()]
    common.write(HERE, quick=True, markdown=lines, data={
        "date": started_at, "machine": info_machine, "quick": True, "source": f"{QUICK_W}x{QUICK_H} synthetic",
        "pyramid_build_s": round(build_s, 2), "rounds": rounds, "runs": runs, "fastpath_vs_django": ratios})
    print("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)
    return 0


def _publish(identifier: str, width: int, height: int) -> None:
    """Attach the image to a public item's canvas, as an import would (servers may refuse orphan images)."""
    from mogao.catalogue.models import Canvas, Institution, Item

    holder = Institution.objects.create(code="BENCH", pid="bench", name={"en": ["Bench library"]})
    item = Item.objects.create(pid="bench-page", institution=holder, shelfmark="Bench.1", title={"en": ["Bench page"]})
    Canvas.objects.create(item=item, order=0, width=width, height=height, image_id=identifier)


if __name__ == "__main__":
    main()
