"""Copy the front-end libraries installed by npm into Mogao's static files (never committed).

Run by `make setup` after `npm ci`; the destination `src/mogao/site/static/vendor/` is gitignored.
Each entry names the files a page needs, so the static tree stays small.
"""

from __future__ import annotations

import json
import shutil
import subprocess
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
    # Annotorious (#15): only its CSS is copied; its script is built by build_annotorious() below.
    "annotorious": ("@annotorious/openseadragon/dist", ("annotorious-openseadragon.css",)),
}
#: The demo's classical texts (the chinese-poetry corpus, MIT): file name under src/mogao/demo/corpus/
#: -> file in node_modules/chinese-poetry/dist. Only these ~0.8 MB of the package's 350 MB are kept.
CORPUS_DIR = HERE.parent / "src" / "mogao" / "demo" / "corpus"
CORPUS = {
    "lunyu.json": "lunyu/lunyu.json",
    "mengzi.json": "sishuwujing/mengzi.json",
    "daxue.json": "sishuwujing/daxue.json",
    "zhongyong.json": "sishuwujing/zhongyong.json",
    "shijing.json": "shijing/shijing.json",
    "chuci.json": "chuci/chuci.json",
    "tangshi_300.json": "mengxue/tangshisanbaishou.json",
    "songci_300.json": "songci/宋词三百首.json",
}


def build_annotorious(dest: Path) -> int:
    """Bundle Annotorious with PixiJS's eval-free shader path (frontend/annotorious/, esbuild), so the
    annotation editor runs under the strict Content-Security-Policy (no 'unsafe-eval')."""
    out = dest / "annotorious" / "annotorious-openseadragon.js"
    out.parent.mkdir(parents=True, exist_ok=True)
    node = shutil.which("node") or "node"
    subprocess.run([node, str(HERE / "annotorious" / "build.mjs"), str(MODULES), str(out)], check=True)  # noqa: S603
    return 1


def copy_corpus(dest: Path) -> int:
    """Copy the demo texts of :data:`CORPUS`, the package's licence and its version (gitignored)."""
    package = MODULES / "chinese-poetry"
    dest.mkdir(parents=True, exist_ok=True)
    for name, source in CORPUS.items():
        shutil.copy2(package / "dist" / source, dest / name)
    shutil.copy2(package / "LICENSE", dest / "LICENSE.txt")
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    (dest / "SOURCE.txt").write_text(f"npm package chinese-poetry {version} (MIT)\n", encoding="utf-8")
    return len(CORPUS) + 2


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
    sys.path.insert(0, str(HERE))  # frontend/fonts.py, beside this script
    from fonts import copy_fonts

    copied += copy_fonts(VENDOR)
    copied += build_annotorious(VENDOR)
    copied += copy_corpus(CORPUS_DIR)
    print(f"front-end assets: {copied} files in {VENDOR.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
