"""Copy the front-end libraries installed by npm into Mogao's static files (never committed).

Run by `make setup` after `npm ci`; the destination `src/mogao/site/static/vendor/` is gitignored.
Each entry names the files a page needs, so the static tree stays small.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
VENDOR = HERE.parent / "src" / "mogao" / "site" / "static" / "vendor"

# destination folder -> (source folder in node_modules, glob patterns)
ASSETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "htmx": ("htmx.org/dist", ("htmx.min.js",)),
    "openseadragon": ("openseadragon/build/openseadragon", ("openseadragon.min.js", "images/*")),
    "mirador": ("mirador/dist", ("mirador.min.js",)),
    "leaflet": ("leaflet/dist", ("leaflet.js", "leaflet.css", "images/*")),
    "world-atlas": ("world-atlas", ("countries-110m.json", "land-110m.json", "countries-50m.json")),
    "topojson-client": ("topojson-client/dist", ("topojson-client.min.js",)),
    "echarts": ("echarts/dist", ("echarts.min.js",)),
    "axe-core": ("axe-core", ("axe.min.js",)),
}
FONTS = {"noto-serif-tc": "@fontsource/noto-serif-tc", "noto-serif-sc": "@fontsource/noto-serif-sc"}


def copy_fonts(dest: Path) -> int:
    """Copy the regular (400) weight: a compact copy of its CSS and the woff2 subsets it names.

    The subsets go to ``files-<package version>/`` so that their URLs change when the package
    does: whitenoise may then let browsers keep them for a year (mogao.site.static_headers), while
    the stylesheet, whose name never changes, is revalidated.
    """
    copied = 0
    for name, package in FONTS.items():
        src = MODULES / package
        version = json.loads((src / "package.json").read_text(encoding="utf-8"))["version"]
        files = f"files-{version}"
        css = (src / "400.css").read_text(encoding="utf-8")
        # Keep only woff2 sources: every browser that matters reads them.
        css = re.sub(r",\s*url\(\./files/[^)]+\.woff\) format\('woff'\)", "", css)
        css = compact_css(css).replace("url(./files/", f"url(./{files}/")
        out = dest / "fonts" / name
        shutil.rmtree(out, ignore_errors=True)  # no subsets of an older version left behind
        (out / files).mkdir(parents=True)
        (out / "400.css").write_text(css, encoding="utf-8")
        for file in sorted(set(re.findall(rf"\./{re.escape(files)}/([^)]+\.woff2)", css))):
            shutil.copy2(src / "files" / file, out / files / file)
            copied += 1
    return copied


def compact_css(css: str) -> str:
    """The stylesheet without comments and layout whitespace (it is render-blocking: 100 KB → ~80 KB)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s*([{};:,])\s*", r"\1", css)
    return css.replace(";}", "}").strip() + "\n"


def main() -> int:
    if not MODULES.is_dir():
        print("frontend/node_modules is missing: run `npm ci` in frontend/ first", file=sys.stderr)
        return 1
    VENDOR.mkdir(parents=True, exist_ok=True)
    copied = 0
    for dest, (folder, patterns) in ASSETS.items():
        src = MODULES / folder
        for pattern in patterns:
            matches = sorted(src.glob(pattern))
            if not matches:
                print(f"missing {folder}/{pattern}", file=sys.stderr)
                return 1
            for path in matches:
                target = VENDOR / dest / path.relative_to(src)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                copied += 1
    copied += copy_fonts(VENDOR)
    print(f"front-end assets: {copied} files in {VENDOR.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
