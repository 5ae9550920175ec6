"""A Mogao cluster on one machine under faults (#19): imports while readers read and nodes are killed.

    python bench/cluster/run.py            # 10,000 CSV records and 100 page images with OCR
    python bench/cluster/run.py --quick    # 500 records and 10 images (what the CI test runs)

Starts, each as its own process group on loopback: SeaweedFS (S3), two web nodes (`mogao serve`,
granian, each with its own MOGAO_HOME) behind nginx, two task workers (`mogao worker`); PostgreSQL
(a scratch database), RabbitMQ (queues of a prefix of this run) and Redis (cache, database 10 by
default, flushed) are the machine's own. A wrk load of readers (a bounded number of connections)
runs through nginx while a CSV import and an image import with OCR are queued the way the admin
does; once a quarter of the CSV is in, one web node and one worker are killed with SIGKILL and
started again. The run ends when both imports are done, every page has its OCR and the queues are
empty; then it counts records lost or duplicated, pages built and OCR'd other than once, the
readers' error rate, and compares what both nodes serve. The reader figures are given beside a
calm phase of the same run (no import, no kill) as the named peer.

Exit 77 (skipped) when nginx, wrk, weed, PostgreSQL or RabbitMQ is missing; exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path[:0] = [str(REPO), str(REPO / "src")]

from bench import common  # noqa: E402
from bench.cluster.report import report, verdict  # noqa: E402

from mogao.testing import s3  # noqa: E402

PG_URL = os.environ.get("MOGAO_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
AMQP_URL = os.environ.get("MOGAO_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
REDIS_URL = os.environ.get("MOGAO_BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
RECORDS, IMAGES = "CLREC", "CLIMG"
WORDS = ["sutra", "lotus", "dunhuang", "scroll", "prajna", "vinaya", "quokka", "mirror"]
FONTS = ["/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]
LUA = """
local paths = {PATHS}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d, "p50_ms": %.2f, "p99_ms": %.2f}\\n', summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


class Proc:
    """A process group started here, logged to a file; killed or stopped by its own id only."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], logs: Path) -> None:
        self.name, self.cmd, self.env, self.log = name, cmd, env, logs / f"{name}.log"
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Proc:
        with self.log.open("ab") as handle:
            self.popen = subprocess.Popen(self.cmd, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
                                          start_new_session=True)
        return self

    def kill(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=30)

    def stop(self, timeout: float = 20) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def missing_tools() -> list[str]:
    found = {"nginx": shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None),
             "wrk": shutil.which("wrk"), "weed": s3.weed_binary(), "pg_isready": shutil.which("pg_isready")}
    return [name for name, path in found.items() if not path]


def services_problem() -> str:
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=3).close()
    except Exception as exc:
        return f"PostgreSQL at {PG_URL}: {exc}"
    try:
        import kombu

        with kombu.Connection(AMQP_URL, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        return f"RabbitMQ: {exc}"
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:
        return f"Redis: {exc}"
    return ""


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql)


def http(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return int(exc.code), ""
    except OSError:
        return 0, ""


def wait_until(check: Any, timeout: float, what: str, interval: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise TimeoutError(what)


def write_csv(path: Path, count: int, prefix: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["identifier", "title@en", "title@zh-Hant", "shelfmark", "description@en"])
        for n in range(1, count + 1):
            word = WORDS[n % len(WORDS)]
            out.writerow([f"{prefix.lower()}-{n:05d}", f"Cluster {word} record {n}", f"敦煌寫本 第{n}號",
                          f"{prefix}.{n}", f"A {word} copied for the cluster run, number {n}."])


def draw_pages(folder: Path, count: int, per_item: int = 10) -> None:
    from PIL import Image, ImageDraw, ImageFont

    font_path = next((f for f in FONTS if Path(f).exists()), None)
    font = ImageFont.truetype(font_path, 44) if font_path else ImageFont.load_default()
    for n in range(count):
        item = folder / f"book-{n // per_item + 1:03d}"
        item.mkdir(parents=True, exist_ok=True)
        page = Image.new("RGB", (900, 640), (246, 240, 226))
        draw = ImageDraw.Draw(page)
        for line, text in enumerate([f"第{n + 1}頁 敦煌遺書", f"PAGE {n + 1} CLUSTER", "如是我聞 一時佛在"]):
            draw.text((60, 80 + 160 * line), text, fill=(20, 20, 20), font=font)
        page.save(item / f"{n % per_item + 1:04d}.png")


def parse_wrk(output: str) -> dict[str, Any]:
    line = next((x for x in output.splitlines() if x.startswith("WRK ")), "")
    if not line:
        return {"requests": 0, "errors": 0, "error_rate": None, "rps": 0.0, "raw": output[-1500:]}
    data: dict[str, Any] = json.loads(line[4:])
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    seconds = data["duration_us"] / 1e6
    data.update(errors=errors, error_rate=errors / data["requests"] if data["requests"] else None,
                rps=round(data["requests"] / seconds, 1) if seconds else 0.0, seconds=round(seconds, 1))
    return data


class Cluster:
    def __init__(self, root: Path, *, ocr_backend: str, workers: int, nice: int = 10) -> None:
        self.root, self.logs = root, root / "logs"
        self.logs.mkdir(parents=True)
        self.tag = uuid.uuid4().hex[:8]
        self.db = f"mogao_cluster_{self.tag}"
        self.procs: dict[str, Proc] = {}
        self.weed: subprocess.Popen[bytes] | None = None
        self.ports = dict(zip(["a", "b", "nginx"], s3.free_ports(3), strict=True))
        self.concurrency = workers
        self.nice = nice
        self.ocr_backend = ocr_backend
        self.env: dict[str, str] = {}

    # ---------------------------------------------------------------- services and processes
    def start_services(self) -> None:
        (self.root / "weed").mkdir()
        self.weed, endpoint = s3.start_weed(self.root / "weed")
        admin_sql(f'CREATE DATABASE "{self.db}"')
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        server = PG_URL.rsplit("/", 1)[0]
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("MOGAO_", "PYTEST", "DJANGO_"))},
            "MOGAO_DATABASE_URL": f"{server}/{self.db}", "MOGAO_SEARCH_URL": "postgres://",
            "MOGAO_STORAGE_URL": s3.storage_url(endpoint, prefix=f"cluster-{self.tag}"),
            "MOGAO_CACHE_URL": REDIS_URL, "MOGAO_TASKS_URL": f"{AMQP_URL}?queue_prefix=cluster{self.tag}.",
            "MOGAO_SECRET_KEY": f"cluster-bench-{self.tag}", "MOGAO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MOGAO_OCR_BACKEND": self.ocr_backend, "MOGAO_TASKS_RETRY_SECONDS": "1",
            "DJANGO_SETTINGS_MODULE": "mogao.site.settings",
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        }

    def node_env(self, name: str) -> dict[str, str]:
        home = self.root / f"home-{name}"
        home.mkdir(exist_ok=True)
        return {**self.env, "MOGAO_HOME": str(home)}

    def mogao(self, *args: str) -> list[str]:
        return [sys.executable, "-c", "from mogao.cli import main; main()", *args]

    def run(self, name: str, *args: str, timeout: float = 600) -> str:
        """A short-lived process of the cluster (admin home); its stdout, or an error with its log."""
        done = subprocess.run(list(args), env=self.node_env("admin"), capture_output=True, text=True,
                              timeout=timeout, check=False)
        (self.logs / f"{name}.log").open("a").write(done.stdout + done.stderr)
        if done.returncode:
            raise RuntimeError(f"{name} failed: {done.stderr[-3000:]}")
        return done.stdout

    def ops(self, *args: str) -> dict[str, Any]:
        out = self.run(f"ops-{args[0]}", sys.executable, str(HERE / "ops.py"), *args)
        result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        return result

    def web(self, name: str) -> Proc:
        cmd = self.mogao("serve", "--host", "127.0.0.1", "--port", str(self.ports[name]), "--workers", "1")
        self.procs[f"web-{name}"] = Proc(f"web-{name}", cmd, self.node_env(f"web-{name}"), self.logs).start()
        return self.procs[f"web-{name}"]

    def worker(self, name: str) -> Proc:
        cmd = ["nice", "-n", str(self.nice), *self.mogao(
            "worker", "--concurrency", str(self.concurrency), "--loglevel", "WARNING",
            "--hostname", f"{name}-{self.tag}@%h", *(["--no-beat"] if name != "a" else []))]
        self.procs[f"worker-{name}"] = Proc(f"worker-{name}", cmd, self.node_env(f"worker-{name}"), self.logs).start()
        return self.procs[f"worker-{name}"]

    def ready(self, name: str) -> bool:
        return http(f"http://127.0.0.1:{self.ports[name]}/readyz", timeout=5)[0] == 200

    def nginx(self) -> None:
        prefix = self.root / "nginx"
        (prefix / "tmp").mkdir(parents=True)
        user = "user root root;\n" if os.geteuid() == 0 else ""
        temp = "".join(f"  {kind}_temp_path {prefix}/tmp/{kind};\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        upstream = "".join(f"    server 127.0.0.1:{self.ports[n]} max_fails=1 fail_timeout=2s;\n" for n in "ab")
        (prefix / "nginx.conf").write_text(f"""{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log off;
{temp}  upstream mogao {{
{upstream}    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{self.ports['nginx']};
    location / {{
      proxy_pass http://mogao;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Request-ID $request_id;
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_connect_timeout 1s;
      proxy_read_timeout 60s;
    }}
  }}
}}
""")
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        cmd = [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
        self.procs["nginx"] = Proc("nginx", cmd, dict(os.environ), self.logs).start()
        wait_until(lambda: http(f"http://127.0.0.1:{self.ports['nginx']}/healthz")[0] == 200, 30, "nginx")

    def stop(self) -> None:
        for proc in reversed(list(self.procs.values())):
            proc.stop()
        try:
            self.run("queues-delete", sys.executable, "-c", DELETE_QUEUES, timeout=60)
        except Exception as exc:
            print(f"cluster: could not delete the run's queues: {exc}", file=sys.stderr)
        if self.weed is not None:
            s3.stop_weed(self.weed)
        if self.env:
            admin_sql(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()


DELETE_QUEUES = """
import contextlib, django
django.setup()
from mogao.core import taskqueue
app = taskqueue.celery_app()
with app.connection_for_write() as conn:
    channel = conn.default_channel
    for name in taskqueue.QUEUES:
        with contextlib.suppress(Exception):
            channel.queue_delete(taskqueue.broker_queue(name))
    with contextlib.suppress(Exception):
        channel.exchange_delete(taskqueue.broker_queue("default"))
"""


def wrk(cluster: Cluster, paths: list[str], seconds: int, connections: int) -> subprocess.Popen[str]:
    script = cluster.root / "readers.lua"
    script.write_text(LUA.replace("{PATHS}", "{" + ", ".join(json.dumps(p) for p in paths) + "}"))
    cmd = [shutil.which("wrk") or "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
           "-s", str(script), f"http://127.0.0.1:{cluster.ports['nginx']}"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(reader: subprocess.Popen[str]) -> dict[str, Any]:
    if reader.poll() is None:
        reader.send_signal(signal.SIGINT)  # wrk stops and prints its summary
    output = reader.communicate(timeout=60)[0]
    return parse_wrk(output)


class Readers(threading.Thread):
    """wrk in consecutive windows of ``window`` seconds until stopped: errors can be placed in time."""

    def __init__(self, cluster: Cluster, paths: list[str], connections: int, window: int) -> None:
        super().__init__(daemon=True)
        self.cluster, self.paths, self.connections, self.window = cluster, paths, connections, window
        self.started = time.monotonic()
        self.windows: list[dict[str, Any]] = []
        self.current: subprocess.Popen[str] | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            begin = time.monotonic() - self.started
            self.current = wrk(self.cluster, self.paths, self.window, self.connections)
            result = finish_after(self.current, self.window)
            result.update(start_s=round(begin, 1), end_s=round(time.monotonic() - self.started, 1))
            self.windows.append(result)

    def stop(self) -> dict[str, Any]:
        self.stopping.set()
        if self.current is not None and self.current.poll() is None:
            self.current.send_signal(signal.SIGINT)
        self.join(timeout=120)
        return summarize(self.windows)


def summarize(windows: list[dict[str, Any]], since: float = -1.0, until: float = 1e12) -> dict[str, Any]:
    """The windows overlapping [since, until] added up (latency: median p50 and worst p99 of the windows)."""
    chosen = [w for w in windows if w.get("end_s", 0) >= since and w.get("start_s", 0) <= until and w["requests"]]
    keys = ("requests", "connect", "read", "write", "status", "timeout", "errors")
    total: dict[str, Any] = {k: sum(w.get(k, 0) for w in chosen) for k in keys}
    seconds = sum(w.get("seconds", 0) for w in chosen)
    p50s = sorted(w["p50_ms"] for w in chosen)
    total.update(windows=len(chosen), seconds=round(seconds, 1),
                 rps=round(total["requests"] / seconds, 1) if seconds else 0.0,
                 error_rate=total["errors"] / total["requests"] if total["requests"] else None,
                 p50_ms=p50s[len(p50s) // 2] if p50s else None,
                 p99_ms=max((w["p99_ms"] for w in chosen), default=None))
    return total


def node_view(cluster: Cluster, node: str, pids: list[str], images: list[str]) -> dict[str, Any]:
    """What one web node serves, straight from its port: item pages, search results, image info."""
    base = f"http://127.0.0.1:{cluster.ports[node]}"
    pages = {}
    for pid in pids:
        status, html = http(f"{base}/items/{pid}", timeout=30)
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        pages[pid] = [status, re.sub(r"\s+", " ", h1.group(1)).strip() if h1 else ""]
    searches = {}
    for word in (*WORDS[:4], "cluster", "敦煌"):
        status, html = http(f"{base}/search/?q={urllib.parse.quote(word)}", timeout=30)
        searches[word] = [status, re.findall(r'href="/items/([^"/?#]+)', html)]
    infos = {}
    for ident in images:
        status, body = http(f"{base}/iiif/3/{ident}/info.json", timeout=30)
        data = json.loads(body) if status == 200 else {}
        infos[ident] = [status, data.get("width"), data.get("height"), len(data.get("sizes", []))]
    return {"pages": pages, "search": searches, "images": infos}


def scenario(cluster: Cluster, args: argparse.Namespace) -> dict[str, Any]:
    data = cluster.root / "data"
    (data / "pages").mkdir(parents=True)
    write_csv(data / "seed.csv", 40, "CLSEED")
    write_csv(data / "records.csv", args.records, RECORDS)
    draw_pages(data / "pages", args.images)
    cluster.run("migrate", *cluster.mogao("manage", "migrate", "--no-input", "-v", "0"), timeout=900)
    for name in "ab":
        cluster.worker(name)
        cluster.web(name)
    wait_until(lambda: cluster.ready("a") and cluster.ready("b"), 180, "web nodes ready")
    cluster.nginx()
    cluster.run("seed", *cluster.mogao("import", "csv", str(data / "seed.csv"), "--institution", "CLSEED",
                                       "--institution-name", "Cluster seed"))
    seed = cluster.ops("verify", str(data / "seed.csv"), "CLSEED", IMAGES, "0")["sample_pids"]
    wait_until(lambda: len(node_view(cluster, "a", [], [])["search"]["sutra"][1]) > 0, 120, "seed indexed")
    paths = ["/", "/search/?q=sutra", "/search/?q=lotus", *[f"/items/{pid}" for pid in seed[:10]]]

    calm = finish_after(wrk(cluster, paths, args.calm, args.readers), args.calm)  # the peer: no import, no kill
    upload = cluster.ops("upload", str(data / "pages"), f"uploads/cluster-{cluster.tag}")
    reader = Readers(cluster, paths, args.readers, args.window)
    reader.start()
    started = reader.started
    csv_run = cluster.ops("enqueue", "csv", str(data / "records.csv"), RECORDS)["run"]
    img_run = cluster.ops("enqueue", "images", upload["location"], IMAGES, args.ocr_backend)["run"]
    kill: dict[str, Any] = {}
    status: dict[str, Any] = {}
    calm_polls = 0
    deadline = started + args.timeout
    while time.monotonic() < deadline:
        status = cluster.ops("status", str(csv_run), str(img_run))
        runs = {r["id"]: r for r in status["runs"]}
        position = runs[csv_run]["position"]
        if not kill and (position >= args.records // 4 or runs[csv_run]["status"] in ("done", "failed")):
            kill = {"at_s": round(time.monotonic() - started, 1), "csv_position": position,
                    "csv_status": runs[csv_run]["status"], "images_status": runs[img_run]["status"],
                    "pages_ocr_before": status["ocr"]}
            cluster.procs["web-a"].kill()
            cluster.procs["worker-a"].kill()
            time.sleep(args.down)
            cluster.web("a")
            cluster.worker("a")
            kill["restarted_after_s"] = args.down
            wait_until(lambda: cluster.ready("a"), 180, "web node a back")
            kill["back_s"] = round(time.monotonic() - started, 1)
        finished = (all(r["status"] in ("done", "failed") for r in runs.values()) and status["ocr"] >= args.images
                    and status["canvases"] >= args.images and kill
                    and isinstance(status["queues"].get("ocr"), int) and not any(status["queues"].values()))
        calm_polls = calm_polls + 1 if finished else 0
        if calm_polls >= 3:  # the index tasks queued last have been taken and run
            break
        time.sleep(1)
    elapsed = round(time.monotonic() - started, 1)
    wait_until(lambda: cluster.ready("a"), 120, "web node a back")
    time.sleep(2)
    load = reader.stop()
    if kill:  # the windows from the kill until 30 s after both killed processes were back
        kill["back_s"] = kill.get("back_s") or round(time.monotonic() - started, 1)
        load["around_kill"] = summarize(reader.windows, kill["at_s"], kill["back_s"] + 30)
    load["per_window"] = reader.windows
    check = cluster.ops("verify", str(data / "records.csv"), RECORDS, IMAGES, str(args.images))
    images = json.loads(cluster.run("image-ids", sys.executable, "-c", IMAGE_IDS, IMAGES).strip().splitlines()[-1])
    sample = check["sample_pids"][:10] + check["image_item_pids"][:3] + seed[:2]
    views = {node: node_view(cluster, node, sample, images[:5]) for node in "ab"}
    return {"status": status, "kill": kill, "elapsed_s": elapsed, "calm": calm, "load": load, "check": check,
            "nodes_agree": views["a"] == views["b"], "views": views, "timed_out": calm_polls < 3,
            "records": args.records, "images": args.images}


IMAGE_IDS = """
import django, json, sys
django.setup()
from mogao.catalogue.models import Canvas
print(json.dumps(list(Canvas.objects.filter(item__institution__code=sys.argv[1]).order_by("pk")
                      .values_list("image_id", flat=True))))
"""


def finish_after(reader: subprocess.Popen[str], seconds: int) -> dict[str, Any]:
    try:
        output = reader.communicate(timeout=seconds + 60)[0]
    except subprocess.TimeoutExpired:
        return finish(reader)
    return parse_wrk(output)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 records and 10 images (the CI test's size)")
    parser.add_argument("--records", type=int, default=0)
    parser.add_argument("--images", type=int, default=0)
    parser.add_argument("--readers", type=int, default=4, help="wrk connections (the bound on the load)")
    parser.add_argument("--concurrency", type=int, default=1, help="task processes per worker")
    parser.add_argument("--ocr-backend", default="rapidocr")
    parser.add_argument("--window", type=int, default=10, help="seconds of each wrk window during the imports")
    parser.add_argument("--nice", type=int, default=10, help="CPU niceness of the workers (readers first)")
    parser.add_argument("--calm", type=int, default=0, help="seconds of the calm (peer) reader phase")
    parser.add_argument("--down", type=float, default=3.0, help="seconds the killed node and worker stay down")
    parser.add_argument("--timeout", type=float, default=0, help="seconds the imports may take")
    parser.add_argument("--out", type=Path, default=HERE, help="where RESULTS.md and results.json go")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line at the end")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args()
    args.records = args.records or (500 if args.quick else 10_000)
    args.images = args.images or (10 if args.quick else 100)
    args.calm = args.calm or (8 if args.quick else 20)
    args.timeout = args.timeout or (240 if args.quick else 1800)
    missing = missing_tools()
    problem = f"missing: {', '.join(missing)}" if missing else services_problem()
    if problem:
        print(f"cluster: skipped ({problem})", file=sys.stderr)
        return common.SKIPPED
    started, info = common.now(), common.machine()
    root = Path(tempfile.mkdtemp(prefix="mogao-cluster-"))
    cluster = Cluster(root, ocr_backend=args.ocr_backend, workers=args.concurrency, nice=args.nice)
    try:
        cluster.start_services()
        result = scenario(cluster, args)
    except Exception:
        print(f"cluster: failed; logs in {root}/logs", file=sys.stderr)
        for log in sorted((root / "logs").glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-2500:]}", file=sys.stderr)
        args.keep = True
        raise
    finally:
        cluster.stop()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    result.update(readers=args.readers, concurrency=args.concurrency, nice=args.nice, window=args.window,
                  ocr_backend=args.ocr_backend,
                  machine=info, verdict=verdict(result), load_average_end=os.getloadavg())
    args.out.mkdir(parents=True, exist_ok=True)
    common.write(args.out, quick=args.quick, markdown=report(result, quick=args.quick, started=started, info=info),
                 data=result)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "views"}, default=str))
    return 0 if all(result["verdict"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
