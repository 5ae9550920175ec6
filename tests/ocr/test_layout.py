"""Reading order, layout JSON, accuracy measure and the Tesseract TSV parser (no engine needed)."""

from __future__ import annotations

from mogao.ocr.accuracy import char_accuracy, edit_distance
from mogao.ocr.backends.tesseract import parse_tsv
from mogao.ocr.layout import Char, Line, box_of, layout_text, reading_order, to_layout


def line(text, x, y, w=40, h=200):
    return Line(text=text, box=(x, y, w, h), confidence=0.9)


def test_vertical_columns_read_right_to_left_top_to_bottom():
    lines = [line("左", 10, 0), line("右下", 200, 300), line("中", 100, 0), line("右上", 205, 0)]
    assert [ln.text for ln in reading_order(lines)] == ["右上", "右下", "中", "左"]


def test_interlinear_note_pieces_stay_in_their_column():
    # a split column (main text, then a double-width note below) is read before the next column
    lines = [line("正文", 300, 0, 40, 200), line("小注", 295, 210, 50, 100), line("次行", 240, 0)]
    assert [ln.text for ln in reading_order(lines)] == ["正文", "小注", "次行"]


def test_layout_json_shape():
    ln = Line("金剛", (10, 20, 30, 60), 0.95, [Char("金", (10, 20, 30, 30), 0.99), Char("剛", (10, 50, 30, 30))])
    layout = to_layout([ln], engine="x")
    assert layout == {
        "direction": "vertical-rl", "engine": "x",
        "lines": [{"text": "金剛", "box": [10, 20, 30, 60], "confidence": 0.95,
                   "chars": [{"text": "金", "box": [10, 20, 30, 30], "confidence": 0.99},
                             {"text": "剛", "box": [10, 50, 30, 30]}]}],
    }
    assert layout_text(layout) == "金剛"


def test_box_of_polygon():
    assert box_of([[170, 217], [255, 218], [250, 1380], [165, 1380]]) == (165, 217, 90, 1163)


def test_accuracy():
    assert edit_distance("金剛經", "金鋼經") == 1
    assert char_accuracy("金剛般若\n波羅蜜經", "金剛般若，波羅蜜經") == 1.0
    assert char_accuracy("金剛般若", "金剛") == 0.5
    assert char_accuracy("", "") == 1.0


def test_tesseract_tsv():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t100\t10\t40\t120\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t100\t10\t40\t80\t90.5\t金剛\n"
        "5\t1\t1\t1\t1\t2\t100\t90\t40\t40\t80\t經\n"
        "5\t1\t1\t1\t2\t1\t50\t10\t40\t40\t70\t如\n"
    )
    lines = reading_order(parse_tsv(tsv))
    assert [ln.text for ln in lines] == ["金剛經", "如"]
    assert lines[0].box == (100, 10, 40, 120)
    assert lines[0].chars[1].box == (100, 50, 40, 40)
    assert round(lines[0].confidence, 3) == round((0.905 * 2 + 0.8) / 3, 3)
