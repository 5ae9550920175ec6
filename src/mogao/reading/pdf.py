"""The item as a PDF with an invisible, selectable and searchable text layer over each page image.

The page images come from the Presentation app's cached image PDF
(:func:`mogao.iiif.presentation.downloads.item_pdf`); this module adds, on every page that has a
transcription, each line as invisible text (render mode 3) placed on the line's box, as OCR tools
do. The font is a glyph-less CID font whose codes are numbered per document and mapped back to
Unicode by a ``ToUnicode`` CMap, so any character (including ones outside the BMP) copies and
searches as itself. Vertical lines are written as text rotated 90° clockwise, running down
the column.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import pikepdf
from django.conf import settings

from mogao.catalogue.models import Canvas, Item
from mogao.iiif.presentation import downloads
from mogao.reading.layout import VERTICAL, Line, union

Pages = list[tuple[Canvas, list[Line], str]]


def _hex16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(codes: dict[str, int]) -> bytes:
    pairs = sorted(codes.items(), key=lambda kv: kv[1])
    out = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start:start + 100]
        out.append(f"{len(chunk)} beginbfchar")
        out.extend(f"<{code:04X}> <{_hex16(ch)}>" for ch, code in chunk)
        out.append("endbfchar")
    out += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(out).encode("ascii")


def _font(pdf: pikepdf.Pdf, codes: dict[str, int]) -> pikepdf.Dictionary:
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/GlyphLessFont"), Flags=5,
        FontBBox=[0, -200, 1000, 800], ItalicAngle=0, Ascent=800, Descent=-200, CapHeight=800, StemV=80,
    )
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name("/GlyphLessFont"),
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                         Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor), DW=1000, CIDToGIDMap=pikepdf.Name.Identity,
    )
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/GlyphLessFont"),
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[pdf.make_indirect(cid_font)],
        ToUnicode=pdf.make_stream(_to_unicode_cmap(codes)),
    ))


def _line_ops(line: Line, flow: str, codes: dict[str, int], sx: float, sy: float, page_h: float) -> str:
    """Content-stream operators drawing one line invisibly over its box (canvas px -> points)."""
    chars = [c.text for c in line.chars if c.text]
    box = line.box or union([c.box for c in line.chars if c.box])
    if not chars or box is None:
        return ""
    x, y, w, h = box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy
    n = len(chars)
    glyphs = "".join(f"{codes[c]:04X}" for c in chars)
    if flow == VERTICAL:
        size = max(w, 1.0)
        stretch = 100.0 * h / (n * size)
        # Rotated -90°: the text runs down the column from its top; glyphs' "up" points right.
        matrix = f"0 -1 1 0 {x:.2f} {page_h - y:.2f}"
    else:
        size = max(h, 1.0)
        stretch = 100.0 * w / (n * size)
        matrix = f"1 0 0 1 {x:.2f} {page_h - y - size * 0.8:.2f}"
    return f"BT 3 Tr /FMogaoText {size:.2f} Tf {stretch:.2f} Tz {matrix} Tm <{glyphs}> Tj ET\n"


def _cache_path(item: Item, image_pdf: Path, pages: Pages) -> Path:
    parts = [image_pdf.name]
    for canvas, lines, flow in pages:
        parts.append(f"{canvas.pk}:{flow}:" + "\n".join(f"{line.text}{line.box}" for line in lines))
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]
    return Path(settings.HOME) / "cache" / "pdf-text" / f"{item.pid}-{digest}.pdf"


def item_pdf_with_text(item: Item, canvases: list[Canvas], pages: Pages) -> Path:
    """The item's PDF with a text layer on its transcribed pages, built once and cached.

    ``canvases`` are the presentable canvases in order; ``pages`` the transcribed ones with their
    lines and direction. Raises ``DownloadRefused`` / ``DownloadUnavailable`` like the image PDF.
    """
    image_pdf = downloads.item_pdf(item, canvases)
    target = _cache_path(item, image_pdf, pages)
    if target.is_file():
        return target
    store = downloads.image_store()
    local = [c for c in canvases if c.image_id and store.exists(c.image_id)]
    by_canvas = {canvas.pk: (lines, flow) for canvas, lines, flow in pages}
    codes: dict[str, int] = {}
    for lines, _flow in by_canvas.values():
        for line in lines:
            for c in line.chars:
                if c.text and c.text not in codes:
                    codes[c.text] = len(codes) + 1
    if len(codes) > 0xFFFF:
        raise ValueError("too many distinct characters for one text layer")
    with pikepdf.open(image_pdf) as pdf:
        font = _font(pdf, codes) if codes else None
        for canvas, page in zip(local, pdf.pages, strict=False):
            if canvas.pk not in by_canvas or font is None or not canvas.width or not canvas.height:
                continue
            lines, flow = by_canvas[canvas.pk]
            box = page.mediabox
            page_w, page_h = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
            sx, sy = page_w / canvas.width, page_h / canvas.height
            ops = "".join(_line_ops(line, flow, codes, sx, sy, page_h) for line in lines)
            if not ops:
                continue
            resources = page.obj.get("/Resources") or pikepdf.Dictionary()
            fonts = resources.get("/Font") or pikepdf.Dictionary()
            fonts["/FMogaoText"] = font
            resources["/Font"] = fonts
            page.obj["/Resources"] = resources
            page.contents_add(pdf.make_stream(("q\n" + ops + "Q\n").encode("ascii")), prepend=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".pdf-", dir=target.parent)
        os.close(fd)
        pdf.save(tmp)
    os.replace(tmp, target)
    return target
