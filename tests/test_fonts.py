"""builder.fonts against the real system fonts (fonts-noto-cjk, fonts-liberation2)."""
from __future__ import annotations

import shutil
import subprocess
import time
import warnings
from pathlib import Path

import pytest
from fontTools.pens.areaPen import AreaPen
from fontTools.ttLib import TTFont

from builder import fonts
from builder.cache import Cache
from builder.errors import FontError

ZH = "截至2019年底，本报告共发现797家中国人工智能企业，约占世界总数的14.80%。"
EN = "Revenue grew 14.8% in 2019."


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """(font files, their cache folder, seconds taken): the CJK subsets of ZH + EN converted
    into a folder of this module's own, so that the conversion and its cache are tested."""
    cache = tmp_path_factory.mktemp("font-cache")
    start = time.perf_counter()
    files = fonts.prepare_pdf_fonts(set(ZH + EN + "粗体"), Cache(cache))
    return files, cache, time.perf_counter() - start


def test_conversion_gives_truetype_and_cache_is_reused(converted):
    files, cache, _ = converted
    for path in (files.cjk_regular, files.cjk_bold):
        font = TTFont(path)
        assert font.sfntVersion == "\x00\x01\x00\x00"
        assert "glyf" in font and "CFF " not in font and "VORG" not in font
        assert font["post"].formatType == 2.0
        cmap = font.getBestCmap()
        # The content's characters and the extra labels' punctuation are both in.
        assert all(ord(c) in cmap for c in ZH + "（）《》【】：；")
    assert files.latin_regular.name == "LiberationSerif-Regular.ttf"

    # Reused, not written again (a rewrite is a new file: atomic_write renames it in).
    inodes = [p.stat().st_ino for p in (files.cjk_regular, files.cjk_bold)]
    start = time.perf_counter()
    again = fonts.prepare_pdf_fonts(set(ZH + EN + "粗体"), Cache(cache))
    assert time.perf_counter() - start < 0.5
    assert again == files
    assert [p.stat().st_ino for p in (again.cjk_regular, again.cjk_bold)] == inodes
    assert not list(cache.rglob("*.tmp"))  # no leftovers of the atomic write


def test_a_new_character_draws_only_its_glyph_and_gives_the_cold_subset(converted, tmp_path, monkeypatch):
    """The glyphs drawn for a face are kept: a subset with one character more draws that
    one, and is byte for byte the subset a cold cache makes."""
    _, cache, _ = converted
    drawn = []
    draw = fonts.draw_glyphs
    monkeypatch.setattr(fonts, "draw_glyphs",
                        lambda source, names, file: drawn.extend(names) or draw(source, names, file))
    chars = set(ZH + EN + "粗体龘")
    warm = fonts.prepare_cjk_subset("cjk_regular", chars, Cache(cache))
    assert len(drawn) == 1
    cold = fonts.prepare_cjk_subset("cjk_regular", chars, Cache(tmp_path))
    assert len(drawn) > 100
    assert warm.read_bytes() == cold.read_bytes()


@pytest.mark.parametrize("path, index", [
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 0),   # CID-keyed: a private dict per font dict
    ("/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf", 0),   # one private dict
])
def test_charstrings_read_from_the_bytes_draw_as_fonttools_draws(path, index):
    """truetype reads a CFF font's charstrings, subroutines and private dicts itself: each
    glyph draws the outline fontTools draws, in every font dict (range of glyph ids)."""
    from fontTools.pens.recordingPen import RecordingPen
    from builder.truetype import _charstrings
    if not Path(path).exists():
        pytest.skip(f"{path} is not installed")
    with TTFont(path, fontNumber=index, lazy=True) as font:
        order, theirs = font.getGlyphOrder(), font["CFF "].cff.topDictIndex[0].CharStrings
        ours = _charstrings(font)
        for gid in [*range(0, len(order), max(1, len(order) // 300)), len(order) - 1]:
            expected, drawn = RecordingPen(), RecordingPen()
            theirs[order[gid]].draw(expected)
            ours(gid).draw(drawn)
            assert drawn.value == expected.value, order[gid]


@pytest.mark.parametrize("path, index", [
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),   # the SC face
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    ("/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf", 0),
])
def test_glyphs_drawn_by_freetype_are_those_drawn_from_the_charstrings(path, index):
    """Many glyphs of a CFF font are drawn by FreeType, a few by fontTools' interpreter:
    both give the same glyf records, byte for byte (every glyph of both Noto Serif CJK
    faces was compared once, when FreeType took over)."""
    from builder.truetype import FREETYPE_FROM, draw_glyphs
    if not Path(path).exists():
        pytest.skip(f"{path} is not installed")
    with TTFont(path, fontNumber=index, lazy=True) as font:
        order = font.getGlyphOrder()
        glyphs = {order[gid]: gid for gid in [*range(0, len(order), max(1, len(order) // 400)), len(order) - 1]}
        assert len(glyphs) >= FREETYPE_FROM
        assert draw_glyphs(font, glyphs, (path, index)) == draw_glyphs(font, glyphs)


@pytest.mark.parametrize("path, index", [
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 0),
])
def test_cmap_read_from_the_bytes_maps_as_fonttools_maps(path, index):
    """truetype reads a CJK font's cmap and glyph names itself: the same characters, glyph
    ids and names as fontTools' getBestCmap."""
    from builder.truetype import _cid_names, best_cmap_ids
    with TTFont(path, fontNumber=index, lazy=True) as ours, TTFont(path, fontNumber=index, lazy=True) as theirs:
        ids, name = best_cmap_ids(ours), _cid_names(ours)
        expected = {code: (glyph, theirs.getGlyphID(glyph)) for code, glyph in theirs.getBestCmap().items()}
    assert {code: (name(gid), gid) for code, gid in ids.items()} == expected


def test_bold_is_the_bold_face(converted):
    files, _, _ = converted
    regular, bold = TTFont(files.cjk_regular), TTFont(files.cjk_bold)
    assert regular["name"].getDebugName(1) == "Noto Serif CJK SC"
    assert (regular["OS/2"].usWeightClass, bold["OS/2"].usWeightClass) == (400, 700)

    def ink(font, ch):
        pen = AreaPen(font.getGlyphSet())
        font.getGlyphSet()[font.getBestCmap()[ord(ch)]].draw(pen)
        return abs(pen.value)
    assert ink(bold, "粗") > 1.3 * ink(regular, "粗")


def test_pdf_embeds_fonts_and_text_round_trips(converted, tmp_path):
    if not (shutil.which("pdffonts") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils not installed")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLFont
    from reportlab.pdfgen import canvas

    files, _, _ = converted
    for name, path in (("T-CJK", files.cjk_regular), ("T-CJK-B", files.cjk_bold),
                       ("T-Lat", files.latin_regular), ("T-Lat-B", files.latin_bold)):
        pdfmetrics.registerFont(RLFont(name, str(path)))
    pdf = tmp_path / "t.pdf"
    # initialFontName: otherwise the page starts in Helvetica, a non-embedded base font.
    c = canvas.Canvas(str(pdf), initialFontName="T-Lat")
    for y, (font, text) in enumerate((("T-CJK", ZH), ("T-CJK-B", "粗体"),
                                      ("T-Lat", EN), ("T-Lat-B", "Bold"))):
        c.setFont(font, 12)
        c.drawString(50, 700 - 30 * y, text)
    c.save()

    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert len(lines) == 4
    for line in lines:
        # columns: name type encoding emb sub uni object ID
        assert line.split()[-5] == "yes", line
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert ZH in text and "粗体" in text and EN in text


def test_uncovered_chars():
    assert fonts.uncovered_chars(set("中文 English，。①\n\t\u3000")) == []
    assert fonts.uncovered_chars({"\U0001F600", "\U0002A6D6", "中", "A"}) == ["\U0001F600", "\U0002A6D6"]


@pytest.mark.parametrize("ch, expected", [
    ("中", True), ("㐀", True), ("，", True), ("。", True), ("％", True), ("Ａ", True),
    ("\u3000", True), ("①", True),  # ① is not in Liberation Serif, so the CJK font draws it
    ("A", False), ("1", False), (" ", False), ("é", False),
    ("“", False), ("”", False), ("—", False), ("…", False), ("·", False),
])
def test_is_cjk(ch, expected):
    assert fonts.is_cjk(ch) is expected


def test_bad_override_path_raises_font_error(monkeypatch, tmp_path, converted):
    monkeypatch.setenv("REPORT_CJK_FONT", str(tmp_path / "nope.ttf"))
    with pytest.raises(FontError) as err:
        fonts.prepare_pdf_fonts({"中"}, Cache(tmp_path))
    message = str(err.value)
    assert "\n" not in message and "REPORT_CJK_FONT" in message and "fonts-noto-cjk" in message

    monkeypatch.delenv("REPORT_CJK_FONT")
    not_a_font = tmp_path / "x.ttf"
    not_a_font.write_text("hello")
    monkeypatch.setenv("REPORT_LATIN_BOLD_FONT", str(not_a_font))
    _, cache, _ = converted   # CJK subsets converted already: only the Latin fonts are looked at
    with pytest.raises(FontError, match="REPORT_LATIN_BOLD_FONT"):
        fonts.prepare_pdf_fonts(set(ZH + EN + "粗体"), Cache(cache))
    with pytest.raises(FontError):
        fonts.uncovered_chars({"A"})


def test_damaged_font_file_is_a_font_error(monkeypatch, tmp_path):
    """A CJK font whose CFF table is damaged (its header intact) fails with one line naming
    the file, not a traceback from the font readers."""
    source = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
    with TTFont(source, fontNumber=0, lazy=True) as font:
        cff = font.reader.tables["CFF "].offset
    damaged = tmp_path / "damaged.ttc"
    data = bytearray(source.read_bytes())
    data[cff + 2000:cff + 202000] = bytes(range(256)) * 781 + bytes(64)
    damaged.write_bytes(bytes(data))
    monkeypatch.setenv("REPORT_CJK_FONT", str(damaged))
    with pytest.raises(FontError) as err:
        fonts.prepare_pdf_fonts({"中"}, Cache(tmp_path / "cache"))
    assert "\n" not in str(err.value) and "damaged.ttc is not a readable font" in str(err.value)


def test_chart_fonts_draw_chinese_and_latin():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = fonts.register_chart_fonts()
    assert family == ["Liberation Serif", "Noto Serif CJK SC"]   # the PDF's own regular faces
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font"
        with matplotlib.rc_context({"font.family": family}):
            fig, ax = plt.subplots()
            ax.set_title("人工智能企业数量 AI enterprises 2019")
            ax.bar(["北京", "Shanghai"], [1, 2])
            fig.canvas.draw()
            plt.close(fig)
