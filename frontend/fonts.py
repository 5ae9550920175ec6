"""Install the Noto Serif CJK web fonts: fontsource's unicode-range subsets plus one interface subset.

Google's slicing (which fontsource ships) cuts the font into ~100 files of ~190 characters by
frequency, so the ~300 distinct characters of a Chinese page touch 15–30 files of ~40 KB each.
The interface's own characters (every ideograph of the zh_Hans or zh_Hant catalogue, the brand mark
and the language names) are the same on every page: they are merged here into a single
``interface-<hash>.woff2`` declared last in ``400-interface.css``, so it wins for its characters
(CSS tries the faces of a family from the last declared) and is fetched once, then cached.
``400.css``, for the interfaces in Latin script, declares a tiny subset of the brand mark and the
language names instead. Text of the records still comes from the regular subsets.

Used by install_assets.py (``make setup``); needs fontTools with brotli (the dev extras).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
LOCALE = HERE.parent / "src" / "mogao" / "site" / "locale"

# folder under vendor/fonts -> (npm package, catalogue whose characters make the interface subset)
FONTS = {
    "noto-serif-tc": ("@fontsource/noto-serif-tc", "zh_Hant"),
    "noto-serif-sc": ("@fontsource/noto-serif-sc", "zh_Hans"),
}
# On every page in every language: the brand mark and the names of the languages in the switcher.
EVERY_PAGE = "莫高简体中文繁體中文"
FACE = re.compile(r"@font-face\{[^}]*src:url\(\./([^)]+\.woff2)\)[^}]*unicode-range:([^}]+)\}")


def copy_fonts(dest: Path) -> int:
    """Copy the regular (400) weight: a compact stylesheet, its woff2 subsets and the interface subset.

    Files go to ``files-<package version>/`` so that their URLs change when the package does:
    whitenoise then lets browsers keep them for good (WHITENOISE_IMMUTABLE_FILE_TEST), while the
    stylesheet, whose name never changes, is revalidated.
    """
    copied = 0
    for name, (package, catalogue) in FONTS.items():
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
        for file in sorted(set(re.findall(rf"\./{re.escape(files)}/([^)]+\.woff2)", css))):
            shutil.copy2(src / "files" / file, out / files / file)
            copied += 1
        # 400.css for an interface in Latin script (only the brand and language names in CJK);
        # 400-interface.css for the Chinese interface of the font's script.
        every_page = {ord(c) for c in EVERY_PAGE}
        (out / "400.css").write_text(css + interface_face(out, files, css, every_page, family=name), encoding="utf-8")
        ours = interface_characters(catalogue)
        (out / "400-interface.css").write_text(css + interface_face(out, files, css, ours, family=name),
                                               encoding="utf-8")
        copied += 2
    return copied


def compact_css(css: str) -> str:
    """The stylesheet without comments and layout whitespace (it is render-blocking)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s*([{};:,])\s*", r"\1", css)
    return css.replace(";}", "}").strip() + "\n"


def is_ideograph(code: int) -> bool:
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3134F


def interface_characters(catalogue: str) -> set[int]:
    """Every ideograph the interface can show in ``catalogue``'s language, and those of every page."""
    po = LOCALE / catalogue / "LC_MESSAGES" / "django.po"
    return {ord(c) for c in EVERY_PAGE + po.read_text(encoding="utf-8") if is_ideograph(ord(c))}


def parse_range(text: str) -> set[int]:
    codes: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().removeprefix("U+").partition("-")
        codes.update(range(int(first, 16), int(last or first, 16) + 1))
    return codes


def format_range(codes: set[int]) -> str:
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return ",".join(f"U+{a:x}" if a == b else f"U+{a:x}-{b:x}" for a, b in runs)


def interface_face(out: Path, files: str, css: str, wanted: set[int], *, family: str) -> str:
    """Merge the glyphs of ``wanted`` from the subsets holding them into one woff2; its @font-face."""
    from fontTools import subset
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    family_name = re.search(r"font-family:'([^']+)'", css)
    assert family_name, f"no font-family in the {family} stylesheet"
    parts: list[str] = []
    covered: set[int] = set()
    with tempfile.TemporaryDirectory(prefix="mogao-fonts-") as tmp:
        for file, ranges in FACE.findall(css):
            need = wanted & parse_range(ranges)
            if not need:
                continue
            font = TTFont(out / file)
            options = subset.Options()
            # Ideographs only: no layout features (punctuation and its vertical forms stay in the
            # regular subsets, which keep them), outlines and vertical metrics kept.
            options.layout_features = []
            options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "STAT"]
            options.hinting = False
            options.name_IDs = ["*"]
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=need)
            subsetter.subset(font)
            font.flavor = None
            part = str(Path(tmp) / f"{len(parts)}.ttf")
            font.save(part)
            parts.append(part)
            covered |= need
        merged = Merger().merge(parts)
    merged.flavor = "woff2"
    digest = hashlib.sha256(format_range(covered).encode()).hexdigest()[:10]
    name = f"interface-{digest}.woff2"
    merged.save(out / files / name)
    return (f"@font-face{{font-family:'{family_name.group(1)}';font-style:normal;font-display:swap;"
            f"font-weight:400;src:url(./{files}/{name}) format('woff2');unicode-range:{format_range(covered)}}}\n")
