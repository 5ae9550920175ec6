"""Bytes a first-time reader downloads per page, by kind (HTML, CSS, JS, fonts, images, data), cold.

Each reader page is opened in a fresh Chromium context (empty cache, no cookies but the language)
in each of the four interface languages, from a real HTTP server in this process (Django's threaded
WSGI server; whitenoise serves the static files, as under ``mogao serve``). Every finished response
is counted by the body bytes that crossed the wire, sorted by the browser's resource type.

Fonts are measured twice: on a machine **without** a CJK system font (Chromium started with a
fontconfig that sees only DejaVu and Liberation: every CJK glyph must come from Mogao's web fonts,
the worst case) and on this machine as installed (Noto CJK present, as on most Linux desktops).
The issue's target: no reader page downloads more than 600 KB of fonts on a first visit, in any
language. Both cases are reported against it and both set the exit status (full mode).

    python bench/pages/transfer.py [--quick] [--data ../shared/data] [--home DIR]

Writes bench/pages/RESULTS-transfer.md and results-transfer.json (``--quick``: the built-in demo
only, RESULTS-transfer-quick.md and results-transfer-quick.json).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "src")]

from bench import common  # noqa: E402

LANGS = ["en", "fr", "zh-hans", "zh-hant"]
KINDS = ["html", "css", "js", "fonts", "images", "data"]
FONT_BUDGET = 600 * 1024
Env = dict[str, str | float | bool]  # a browser process environment, as Playwright types it
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
# Without a CJK system font: a fontconfig that sees only the Latin families of the machine.
NO_CJK_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts/truetype/dejavu</dir>
  <dir>/usr/share/fonts/truetype/liberation</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def kind_of(resource_type: str) -> str:
    return {"document": "html", "stylesheet": "css", "script": "js", "font": "fonts",
            "image": "images"}.get(resource_type, "data")


def reader_pages() -> dict[str, str]:
    """The reader pages measured, resolved against the loaded data."""
    from mogao.catalogue.models import Item
    from mogao.knowledge.models import Place

    item = Item.objects.get(shelfmark="Or.8210/P.2")
    texts = Item.objects.filter(canvases__transcriptions__isnull=False).exclude(canvases__image_id__gt="")
    text = texts.distinct().order_by("pk").first()  # a text-only work in the reading room (Tang poems…), with --data
    place = Place.objects.filter(pid="dunhuang").first() or Place.objects.order_by("pid").first()
    assert place is not None
    pages = {
        "home": "/",
        "search (金剛經)": "/search/?q=金剛經",
        "search (diamond sutra)": "/search/?q=diamond+sutra",
        "browse": "/browse/",
        "item": item.get_absolute_url(),
        "reading room (scan)": f"{item.get_absolute_url()}/read",
        "timeline": "/timeline/",
        "people": "/people/",
        "place": f"/places/{place.pid}",
        "map": "/map/",
        "404": "/no-such-page/",
    }
    if text is not None:
        pages["reading room (text)"] = f"{text.get_absolute_url()}/read"
    return pages


def measure(browser: Any, site: str, lang: str, path: str) -> dict[str, Any]:
    """Open ``path`` cold in ``lang``; bytes and requests per kind once the network is idle."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_cookies([{"name": "django_language", "value": lang, "url": site}])
    page = context.new_page()
    sizes = dict.fromkeys(KINDS, 0)
    counts = dict.fromkeys(KINDS, 0)

    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    for response in responses:
        # The body as received: whitenoise and Django send it uncompressed, so its length is what
        # crossed the wire (CDP's encodedDataLength proved unreliable for streamed files).
        try:
            body = response.body()
        except Exception:
            continue
        kind = kind_of(response.request.resource_type)
        sizes[kind] += len(body)
        counts[kind] += 1
    context.close()
    return {"bytes": sizes, "requests": counts, "total": sum(sizes.values())}


def serve() -> tuple[str, Any]:
    """Django's threaded WSGI server on a free port (static files through whitenoise)."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    httpd.set_app(get_wsgi_application())
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}", httpd


def run_pass(site: str, pages: dict[str, str], *, env: Env | None) -> dict[str, dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, Any]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=env)
        try:
            for lang in LANGS:
                for name, path in pages.items():
                    out[f"{lang} {name}"] = {"lang": lang, "page": name, "path": path,
                                             **measure(browser, site, lang, path)}
        finally:
            browser.close()
    return out


def kb(n: int) -> str:
    return f"{n / 1024:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=common.SHARED)
    parser.add_argument("--quick", action="store_true", help="the built-in demo only")
    parser.add_argument("--home", type=Path, default=None, help="MOGAO_HOME to reuse (default: a temp dir)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing", file=sys.stderr)
        return common.SKIPPED
    started_at, info = common.now(), common.machine()

    home = args.home or Path(tempfile.mkdtemp(prefix="mogao-bench-transfer-"))
    os.environ["MOGAO_HOME"] = str(home)
    os.environ.setdefault("MOGAO_TASKS_URL", "immediate://")
    os.environ["MOGAO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "mogao.site.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from mogao.catalogue.models import Item, Work
    from mogao.demo.loader import demo_load

    call_command("migrate", interactive=False, verbosity=0)
    data = args.data if args.data.is_dir() and not args.quick else None
    marker = home / ".bench-transfer-loaded"
    t0 = time.perf_counter()
    if not marker.exists() or marker.read_text() != str(data):
        demo_load(data=data, echo=lambda *_a, **_k: None)
        marker.write_text(str(data))
    load_seconds = time.perf_counter() - t0

    from mogao.site import pagefont

    pagefont.prepare()  # merge the page font's glyph sources once, as a long-running server has
    site, httpd = serve()
    settings.BASE_URL = site
    pages = reader_pages()
    fc_dir = Path(tempfile.mkdtemp(prefix="mogao-fc-"))
    (fc_dir / "fonts.conf").write_text(NO_CJK_FONTCONFIG.format(cache=fc_dir / "cache"), encoding="utf-8")
    no_cjk_env: Env = {**os.environ, "FONTCONFIG_FILE": str(fc_dir / "fonts.conf")}
    try:
        worst = run_pass(site, pages, env=no_cjk_env)
        installed = run_pass(site, pages, env=None)
    finally:
        httpd.shutdown()

    for key, row in worst.items():
        row["fonts_with_system_cjk"] = installed[key]["bytes"]["fonts"]
        row["font_files_with_system_cjk"] = installed[key]["requests"]["fonts"]
    heaviest = max(worst.values(), key=lambda r: r["bytes"]["fonts"])
    met = heaviest["bytes"]["fonts"] <= FONT_BUDGET
    heaviest_installed = max(worst.values(), key=lambda r: r["fonts_with_system_cjk"])
    met_installed = heaviest_installed["fonts_with_system_cjk"] <= FONT_BUDGET

    meta = {
        "date": started_at, "machine": info, "quick": args.quick,
        "data": str(data) if data else "built-in demo only",
        "records": {"items": Item.objects.count(), "works": Work.objects.count()},
        "load_seconds": round(load_seconds, 1), "pages": pages, "font_budget_bytes": FONT_BUDGET,
    }
    lines = [
        *common.header("bench/pages — bytes a first visit downloads per reader page", quick=args.quick,
                       started=started_at, info=info),
        f"Data: {meta['data']} ({meta['records']['items']} items, {meta['records']['works']} works). "
        "Each page opened cold (a fresh browser context: empty cache) at 1366×900 in each language, from "
        "Django's threaded WSGI server with whitenoise (no compression, as `mogao serve` ships). Figures are "
        "KB of response bodies (1 KB = 1024 bytes) once the network is idle and `document.fonts` is ready.",
        "",
        "**fonts** = a machine with no CJK system font (every CJK glyph from Mogao's web fonts: the worst "
        "case); **fonts, Noto CJK installed** = this machine as it is. The *files* columns count font files.",
        "",
    ]
    for lang in LANGS:
        lines += [f"## {lang}", "",
                  "| page | HTML | CSS | JS | fonts | font files | fonts, Noto CJK installed | images | data "
                  "| total |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for row in (r for r in worst.values() if r["lang"] == lang):
            b = row["bytes"]
            lines.append(
                f"| {row['page']} | {kb(b['html'])} | {kb(b['css'])} | {kb(b['js'])} | {kb(b['fonts'])} "
                f"| {row['requests']['fonts']} | {kb(row['fonts_with_system_cjk'])} | {kb(b['images'])} "
                f"| {kb(b['data'])} | {kb(row['total'])} |")
        lines.append("")
    lines += [
        f"Target: at most {FONT_BUDGET // 1024} KB of fonts per page on a first visit in any language.",
        "",
        f"- With a CJK system font (as here, and as in CI): heaviest {heaviest_installed['lang']} "
        f"{heaviest_installed['page']}, {kb(heaviest_installed['fonts_with_system_cjk'])} KB: "
        f"{'met' if met_installed else 'NOT met'}.",
        f"- Without any CJK system font (the worst case): heaviest {heaviest['lang']} {heaviest['page']}, "
        f"{kb(heaviest['bytes']['fonts'])} KB in {heaviest['requests']['fonts']} files: {'met' if met else 'NOT met'}; "
        f"{sum(r['bytes']['fonts'] > FONT_BUDGET for r in worst.values())} of {len(worst)} pages over.",
        "",
    ]
    report = common.write(HERE, quick=args.quick, markdown=lines, data={"meta": meta, "results": worst},
                          variant="-transfer")
    print(report.read_text(encoding="utf-8"))
    # Both cases are enforced in full mode: with the per-page font (mogao/site/pagefont.py), a
    # device without any CJK font also stays within the budget.
    return 0 if (met_installed and met) or args.quick else 1


if __name__ == "__main__":
    raise SystemExit(main())
