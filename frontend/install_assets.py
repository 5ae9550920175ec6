"""Copy the front-end libraries installed by npm into Mogao's static files (never committed).

Run by `make setup` after `npm ci`; the destination `src/mogao/site/static/vendor/` is gitignored.
Each entry names the files a page needs, so the static tree stays small.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fonts import copy_fonts

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
