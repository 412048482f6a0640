"""PDF writer tests: write the hand-built sample model with the real fonts, then read the
file back with poppler (pdffonts, pdftotext), qpdf and pypdf."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.cache import Cache
from builder.context import BuildContext
from builder.fonts import prepare_pdf_fonts
from builder.model import EDITIONS, Footnote, Heading, Paragraph, Run
from builder.writers.pdf import pdf_characters
from builder.writers.pdf import write as write_pdf
from builder.writers.pdf.linebreak import CANNOT_END, CANNOT_START
from builder.writers.pdf.text import TextParagraph, break_positions, make_styles, register_fonts, text_markup
from tests.sample_model import sample_report

pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdffonts", "pdftotext", "qpdf")),
                                reason="needs poppler-utils and qpdf")

CHAPTER_TITLES = {"zh": "一、前言和梗概", "en": "I. Introduction and Summary"}
SECTION_TITLES = {"zh": "（一）新挑战", "en": "1.1 New challenges"}
NOTE_TEXTS = {"zh": ["数据中台把数据转化为服务业务的资产。", "资料来源：中国信通院，2019。"],
              "en": ["A data middle office turns data into assets that serve the business.",
                     "Source: CAICT, 2019."]}
TABLE_HEADERS = {"zh": ["指标", "数值"], "en": ["Indicator", "Value"]}
CELL = {"zh": r"企业(\d+)", "en": r"Enterprises(\d+)"}
LANGS = {"zh": ["zh"], "en": ["en"], "bilingual": ["zh", "en"]}


def _fonts(report_or_chars, cache: Path):
    chars = report_or_chars if isinstance(report_or_chars, set) else pdf_characters(report_or_chars)[0]
    return prepare_pdf_fonts(chars, Cache(cache))


def _ctx(cache: Path) -> BuildContext:
    return BuildContext(cache, cache, Cache(cache))


@pytest.fixture(scope="session")
def built(tmp_path_factory, font_cache):
    """(edition, long) -> (pdf path, report, page count), each built once per session."""
    cache = {}

    def get(edition: str, long: bool = False):
        if (edition, long) not in cache:
            tmp = tmp_path_factory.mktemp(f"pdf-{edition}-{int(long)}")
            report = sample_report(tmp, edition, long=long)
            out = tmp / "report.pdf"
            pages = write_pdf(report, out, _ctx(font_cache))
            cache[edition, long] = (out, report, pages)
        return cache[edition, long]
    return get


def page_texts(pdf: Path) -> list[str]:
    """pdftotext per page (pdftotext separates pages with form feeds)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.split("\f")[:-1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("long", [False, True])
def test_fonts_are_embedded(built, edition, long):
    pdf, _, _ = built(edition, long)
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    for row in rows:
        # columns: name type encoding emb sub uni object ID -> emb is 5th from the end
        assert row.split()[-5] == "yes", row
    names = " ".join(rows)
    assert "LiberationSerif-Bold" in names and "LiberationSerif " in names
    if "zh" in LANGS[edition]:  # regular and bold of both families
        assert len(rows) >= 4
        assert "NotoSerifCJKsc-Regular" in names and "NotoSerifCJKsc-Bold" in names
    else:  # the English sample has no CJK character, so no CJK font is embedded
        assert "NotoSerifCJK" not in names


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("long", [False, True])
def test_qpdf_check(built, edition, long):
    pdf, _, pages = built(edition, long)
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0
    assert pages == len(PdfReader(pdf).pages)


@pytest.mark.parametrize("edition", EDITIONS)
def test_text_is_extractable(built, edition):
    pdf, _, _ = built(edition)
    text = squash("".join(page_texts(pdf)))
    for lang in LANGS[edition]:
        assert squash(CHAPTER_TITLES[lang]) in text
        for note in NOTE_TEXTS[lang]:
            assert squash(note) in text
        for cell in TABLE_HEADERS[lang] + [("企业3" if lang == "zh" else "Enterprises3"), "21"]:
            assert squash(cell) in text
    if "en" in LANGS[edition]:
        assert "<b>&amp;literal</b>" in text  # escaped, printed literally


@pytest.mark.parametrize("edition", EDITIONS)
def test_contents_lists_chapters_with_displayed_page_numbers(built, edition):
    pdf, report, _ = built(edition)
    pages = page_texts(pdf)
    title = " / ".join(report.contents_titles)
    contents = next(p for p in pages if title in p)
    for number, lang in enumerate(LANGS[edition], start=1):
        # Chapter n starts on displayed page n: each sample chapter takes one page.
        line = next(l for l in contents.splitlines() if CHAPTER_TITLES[lang] in l)
        assert line.rstrip().endswith(str(number)), line
        assert any(SECTION_TITLES[lang] in l for l in contents.splitlines())
    labels = PdfReader(pdf).page_labels
    first_main = labels.index("1")
    assert CHAPTER_TITLES[LANGS[edition][0]] in pages[first_main]
    assert labels[len(report.covers)] == "i"  # front matter in roman numerals
    # The footer prints the same number the contents shows.
    assert pages[first_main].strip().endswith("1")


@pytest.mark.parametrize("edition", EDITIONS)
def test_footnotes_on_the_page_of_their_reference(built, edition):
    pdf, _, _ = built(edition)
    pages = [squash(p) for p in page_texts(pdf)]
    for lang in LANGS[edition]:
        ref = squash("截至 2019 年底" if lang == "zh" else "By the end of 2019")
        for note in NOTE_TEXTS[lang]:
            on = [i for i, p in enumerate(pages) if squash(note) in p]
            assert len(on) == 1
            assert ref in pages[on[0]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_footnotes_follow_a_paragraph_split_across_pages(tmp_path, font_cache, lang):
    """A two-page paragraph with a note near its start and one near its end: each note is
    printed on the page that holds its mark, above the page number, below the text."""
    report = sample_report(tmp_path, lang)
    chapter = report.chapters[0]
    filler = ("截至 2019 年底，本报告共发现 797 家中国人工智能企业。" if lang == "zh" else
              "By the end of 2019 this report had found 797 Chinese AI enterprises. ") * 60
    first = Footnote(3, [Run("NOTE-THREE text.")])
    second = Footnote(4, [Run("NOTE-FOUR text.")])
    chapter.blocks.append(Paragraph([Run("ALPHA"), Run(footnote=first), Run(filler), Run("OMEGA"),
                                     Run(footnote=second), Run(" end.")], lang))
    out = tmp_path / "split.pdf"
    write_pdf(report, out, _ctx(font_cache))
    pages = page_texts(out)
    alpha = next(i for i, p in enumerate(pages) if "ALPHA" in p)
    omega = next(i for i, p in enumerate(pages) if "OMEGA" in p)
    assert alpha < omega
    assert "NOTE-THREE" in pages[alpha] and "NOTE-THREE" not in "".join(pages[alpha + 1:])
    assert "NOTE-FOUR" in pages[omega] and "NOTE-FOUR" not in "".join(pages[:omega])
    for i in (alpha, omega):
        lines = [l.strip() for l in pages[i].splitlines() if l.strip()]
        # Notes come after all body text on the page, just before the page number.
        note_at = next(k for k, l in enumerate(lines) if "NOTE-" in l)
        assert all("NOTE-" in l or re.fullmatch(r"\d+", l) for l in lines[note_at:]), lines[note_at:]


@pytest.mark.parametrize("edition", EDITIONS)
def test_long_table_repeats_its_header(built, edition):
    pdf, _, _ = built(edition, long=True)
    pages = page_texts(pdf)
    for lang in LANGS[edition]:
        spanned = [p for p in pages if re.search(CELL[lang] + r"\s+\d+", p)]
        assert len(spanned) >= 2
        for page in spanned:
            assert all(h in page for h in TABLE_HEADERS[lang])
        rows = {int(m) for p in spanned for m in re.findall(CELL[lang], p)}
        assert rows == set(range(60))


@pytest.mark.parametrize("edition", EDITIONS)
def test_outline_and_metadata(built, edition):
    pdf, report, _ = built(edition)
    reader = PdfReader(pdf)
    outline = reader.outline

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title
    found = list(titles(outline))
    for lang in LANGS[edition]:
        assert CHAPTER_TITLES[lang] in found
        assert SECTION_TITLES[lang] in found
    assert any(isinstance(item, list) for item in outline)  # sections nested under chapters
    meta = reader.metadata
    assert meta.title == report.title
    assert meta.author == report.author
    assert meta.creator == "report"
    assert reader.trailer["/Root"]["/Lang"] == ("en-US" if edition == "en" else "zh-CN")


def test_same_input_same_bytes(tmp_path, font_cache):
    report = sample_report(tmp_path, "bilingual")
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_pdf(report, a, _ctx(font_cache))
    write_pdf(report, b, _ctx(font_cache))
    assert a.read_bytes() == b.read_bytes()


@pytest.fixture(scope="module")
def laid_out(font_cache):
    """Lay out one zh paragraph at a width of exactly `n` body characters."""
    chars = set("字。，、）」；：！？（「甲乙2019年底") | set("abcdefghijklmnopqrstuvwxyz ")
    register_fonts(_fonts(chars, font_cache))
    style = make_styles()["body", "zh"].clone("kinsoku", firstLineIndent=0)

    def lay_out(text: str, n: int = 10) -> list[str]:
        para = TextParagraph(text_markup(text), style)
        para.wrap(n * style.fontSize + 0.01, 10_000)
        return break_positions(para)
    return lay_out


@pytest.mark.parametrize("punct", list("。，、）」；：！？"))
def test_no_line_starts_with_closing_punctuation(laid_out, punct):
    # Ten characters fill a line exactly, so greedy breaking would start line 2 with punct.
    text = "字" * 10 + punct + "字" * 15
    lines = laid_out(text)
    assert "".join(lines) == text
    assert len(lines) >= 2
    for line in lines[1:]:
        assert line[0] not in CANNOT_START, lines
    assert all(line[0] != punct for line in lines)


@pytest.mark.parametrize("punct", list("（「"))
def test_no_line_ends_with_opening_punctuation(laid_out, punct):
    text = "字" * 9 + punct + "甲乙" + "字" * 15
    lines = laid_out(text)
    assert "".join(lines) == text
    for line in lines:
        assert line[-1] not in CANNOT_END, lines


def test_latin_words_and_numbers_stay_whole(laid_out):
    text = "字" * 8 + "2019年底" + "字" * 12
    lines = laid_out(text)
    assert any("2019" in line for line in lines), lines
    assert "".join(lines) == text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_paragraph_style_and_heading_level(tmp_path, font_cache, lang):
    report = sample_report(tmp_path, lang)
    blocks = report.chapters[0].blocks
    blocks += [Heading(3, "1." if lang == "zh" else "1.1.1", "LEVEL-THREE", lang, f"{lang}-h3"),
               Paragraph([Run("QUOTE-TEXT")], lang, style="quote"),
               Paragraph([Run("NOTE-STYLE-TEXT")], lang, style="note"),
               Paragraph([Run("NUMBERED-ITEM")], lang, style="list", bullet="1."),
               Heading(1, "", "SECOND-CHAPTER-PAGE", lang, f"{lang}-h1b")]
    out = tmp_path / "styles.pdf"
    pages = write_pdf(report, out, _ctx(font_cache))
    texts = page_texts(out)
    before = "".join(texts[:-1])
    for text in ("LEVEL-THREE", "QUOTE-TEXT", "NOTE-STYLE-TEXT", "1. NUMBERED-ITEM"):
        assert text in before
    assert "SECOND-CHAPTER-PAGE" in texts[-1]  # a level-1 heading starts a page
    assert pages == len(texts)

    blocks.append(Paragraph([Run("x")], lang, style="poem"))
    with pytest.raises(ValueError, match="poem"):
        write_pdf(report, tmp_path / "bad.pdf", _ctx(font_cache))


def test_successive_builds_with_other_characters_draw_them_all(tmp_path):
    """reportlab caches fonts by name: a second PDF in the same process whose CJK subset
    differs must still draw every one of its characters."""
    from builder.model import Paragraph, Run
    for n, text in enumerate(("甲乙丙丁", "戊己庚辛壬癸")):
        (tmp_path / str(n)).mkdir()
        report = sample_report(tmp_path / str(n), "zh")
        report.chapters[0].blocks.append(Paragraph([Run(text)], "zh"))
        pdf = tmp_path / f"{n}.pdf"
        write_pdf(report, pdf, _ctx(tmp_path / f"cache{n}"))
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert text in out


def test_lines_are_measured_in_the_font_registered_now(font_cache):
    """Widths are remembered per font name and size; another file under a name (a theme
    changed while `report watch` runs) is measured afresh."""
    from dataclasses import replace

    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts = _fonts(set("字"), font_cache)
    style = make_styles()["body", "zh"].clone("measured", firstLineIndent=0)
    folder = Path("/usr/share/fonts/truetype/liberation2")

    def first_line(latin: str) -> str:
        register_fonts(replace(fonts, latin_regular=folder / latin))
        para = TextParagraph(text_markup("mm " * 40), style)
        para.wrap(width, 10_000)
        return break_positions(para)[0]
    register_fonts(replace(fonts, latin_regular=folder / "LiberationSerif-Regular.ttf"))
    width = stringWidth("mm " * 10, "Latin", style.fontSize)   # ten words of the serif face
    assert first_line("LiberationSerif-Regular.ttf").count("mm") == 10
    assert first_line("LiberationSans-Regular.ttf").count("mm") < 10   # its m is wider
    assert first_line("LiberationSerif-Regular.ttf").count("mm") == 10


@pytest.mark.parametrize("number", [7, 123])
def test_the_assembly_draws_a_page_number_as_reportlab_draws_the_front_s(font_cache, number):
    """A chapter page only marks where its number goes (its layout does not depend on
    where the chapter starts); the assembly draws it there. What it draws must be what
    reportlab's drawCentredString would have, to the byte: another reportlab that writes
    text otherwise fails here, not in a PDF."""
    from reportlab.pdfgen.canvas import Canvas

    from builder.model import PrintOptions
    from builder.writers.pdf.assemble import draw_page_number
    from builder.writers.pdf.document import Sheet, draw_footer, mark_page_number

    register_fonts(_fonts(set("字"), font_cache))
    sheet = Sheet.of(PrintOptions(crop_marks=True))

    def page(draw) -> bytes:
        canvas = Canvas(None, invariant=1)
        draw(canvas)
        return "\n".join(canvas._code).encode()
    drawn = page(lambda canvas: draw_footer(canvas, sheet, str(number)))
    marked = page(lambda canvas: mark_page_number(canvas, sheet))
    assert re.fullmatch(rb"(.*\n)?% page number /F\d+\+0 [\d.]+ [\d.]+", marked, re.S)
    assert draw_page_number(marked, number) == drawn
