"""How the real report's pages are made up, in every edition, measured on the session's
build (`default_report`) as a production editor would look at them: cover titles broken
between words, no page left more than a quarter empty unless a chapter ends there, no
line of a paragraph alone at the top or foot of a page, the front-matter parts sharing a
page, no chapter's contents entry alone at the foot of a contents page."""
from __future__ import annotations

import re
import shutil
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.fonts import is_cjk
from tests.projects import REPO
from tests.pdfpages import MARGIN, Page, Word, chapter_starts, read_pages

EDITIONS = ("zh", "en", "bilingual")
BODY = {"zh": 10.5, "en": 10.0}      # height of a body word's box (10.5 pt CJK, 11 pt Liberation Serif)
LEADING = {"zh": 10.5 * 1.7, "en": 11 * 1.4}
MAX_GAP = 0.25                       # of the frame's height

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by `make test`")


@lru_cache(maxsize=None)
def _pages(pdf: Path) -> tuple[list[Page], set[int]]:
    return read_pages(pdf), chapter_starts(pdf)


@pytest.fixture(scope="module", params=EDITIONS)
def edition(request, default_report):
    pdf = next(default_report.output.glob(f"report-*-{request.param}.pdf"))
    pages, starts = _pages(pdf)
    return request.param, pdf, pages, starts


def _lang(line: list[Word]) -> str:
    return "zh" if any(is_cjk(ch) for w in line for ch in w.text) else "en"


def _y(line: list[Word]) -> float:
    """A line's bottom: its tallest word's (Latin and CJK boxes differ)."""
    return max(line, key=lambda w: w.size).y1


def _is_body(line: list[Word], left: float = MARGIN) -> bool:
    """A line of body text. pdftotext sizes a word by its first letter: a Chinese line
    that starts with digits is as tall as Latin text, so it is told by where it starts."""
    lang = _lang(line)
    if abs(max(w.size for w in line) - BODY[lang]) < 0.3:
        return True
    return lang == "zh" and max(w.size for w in line) > 9.3 and any(
        abs(line[0].x0 - x) < 1 for x in (left, left + 2 * BODY["zh"]))


def _body_pages(pages: list[Page], starts: set[int]) -> list[Page]:
    """The pages from the first chapter's on (after covers, front matter and contents)."""
    first = min(starts)
    contents = [p.number for p in pages if "目录" in p.text()[:40] or "Contents" in p.text()[:60]]
    first_chapter = min((s for s in starts if s > max(contents, default=0)), default=first)
    return [p for p in pages if p.number >= first_chapter]


def test_cover_titles_break_between_words(edition):
    """One cover in every edition (the bilingual book's: the zh title over the en one);
    each title's lines are runs of its words, none cut inside."""
    name, pdf, pages, _ = edition
    with open(REPO / "content" / "report.toml", "rb") as file:
        titles = tomllib.load(file)["title"]
    year = PdfReader(str(pdf)).metadata.title.split()[-1]   # the edition's
    titles = {lang: re.sub(r"\{\{ *edition *\}\}", year, t).replace("'", "’") for lang, t in titles.items()}
    lines = [" ".join(w.text for w in line) for line in pages[0].lines()]
    if name != "en":   # Chinese: the title's lines are its space-separated words
        words = titles["zh"].split()
        assert titles["zh"].replace(" ", "") in "".join(lines).replace(" ", "")
        title_lines = [line.replace(" ", "") for line in lines[:len(words)]]
        cuts = [len("".join(title_lines[:i])) for i in range(1, len(title_lines))]
        bounds = [len("".join(words[:i])) for i in range(1, len(words))]
        assert set(cuts) <= set(bounds), f"{name}: the cover title breaks inside a word: {title_lines}"
    if name != "zh":   # English: whole lines from the one it starts on hold it, word by word
        words = titles["en"].split()
        start = next(i for i, line in enumerate(lines) if line.split()[:1] == words[:1])
        held, count = [], 0
        for line in lines[start:]:
            if count >= len(words):
                break
            held.append(line.split())
            count += len(held[-1])
        assert [w for line in held for w in line] == words, (name, held)


def test_no_page_more_than_a_quarter_empty_unless_a_chapter_ends(edition):
    name, _, pages, starts = edition
    bad = []
    for page in _body_pages(pages, starts):
        if page.number + 1 in starts or page.number == len(pages):
            continue
        top, bottom = page.frame
        if page.largest_gap(drawn=False) / (bottom - top) <= MAX_GAP:
            continue   # (the drawings can only fill more)
        gap = page.largest_gap() / (bottom - top)
        if gap > MAX_GAP:
            bad.append(f"p. {page.number}: {gap:.0%} empty")
    assert not bad, f"{name}: {bad}"


def _body_lines(page: Page, left: float = MARGIN) -> list[list[Word]]:
    return [line for line in page.lines() if _is_body(line, left)]


def _columns(page: Page, name: str) -> list[tuple[list[list[Word]], float, float]]:
    """The page's body lines, with the left and right edges they run between: the whole
    frame's, or, on a page of the bilingual edition's parallel layout (no body word across
    the gutter), each column's: a zh line and the en line beside it are not one line, and
    each column's paragraph goes on over the page on its own."""
    left, right = MARGIN, page.width - MARGIN
    mid, gutter = page.width / 2, 3.5 * 72 / 25.4   # parallel.GAP: 7 mm between the columns
    words = [w for line in _body_lines(page) for w in line]
    if name != "bilingual" or not words or any(w.x0 < mid < w.x1 for w in words):
        return [(_body_lines(page), left, right)]
    halves = [Page(page.number, page.width, page.height, [w for w in page.words if (w.x0 < mid) == first])
              for first in (True, False)]
    return [(_body_lines(halves[0]), left, mid - gutter), (_body_lines(halves[1], mid + gutter), mid + gutter, right)]


def _starts_paragraph(lines: list[list[Word]], i: int, left: float) -> bool:
    """Does line i begin a paragraph: an indented Chinese line, or after a paragraph's space?"""
    line = lines[i]
    lang = _lang(line)
    if lang == "zh":
        return line[0].x0 > left + 1.5 * BODY["zh"]
    # English paragraphs are not indented: the first line of a page tells nothing
    return i > 0 and _y(line) - _y(lines[i - 1]) > LEADING["en"] + 1.5


def _ends_paragraph(lines: list[list[Word]], i: int, right: float) -> bool:
    """Does line i end a paragraph: short of the right margin, or the paragraph's space after it?"""
    line = lines[i]
    if line[-1].x1 < right - 2 * BODY[_lang(line)]:
        return True
    return i + 1 < len(lines) and _y(lines[i + 1]) - _y(line) > LEADING[_lang(line)] + 1.5


def test_no_line_of_a_paragraph_alone_at_the_top_or_foot_of_a_page(edition):
    name, _, pages, starts = edition
    body = _body_pages(pages, starts)
    bad, going_on = [], 0
    for page, after in zip(body, body[1:]):
        if after.number in starts:
            continue
        columns, next_columns = _columns(page, name), _columns(after, name)
        if len(columns) != len(next_columns):   # two columns and the whole frame: read both whole
            columns, next_columns = _columns(page, ""), _columns(after, "")
        for (here, left, right), (there, next_left, next_right) in zip(columns, next_columns):
            found = _alone(here, there, (left, right), (next_left, next_right))
            if found is None:
                continue
            going_on += 1
            bad += [f"p. {page.number if at == 'foot' else after.number}: a paragraph's "
                    f"{'first' if at == 'foot' else 'last'} line alone at the {at}" for at in found]
    assert not bad, f"{name}: {bad}"
    assert going_on >= 5, f"{name}: only {going_on} paragraph(s) go on over a page: are they split?"


def _alone(here: list, there: list, edges: tuple, next_edges: tuple) -> list[str] | None:
    """Where a paragraph that goes on from one page (column) to the next leaves a line
    alone ("foot", "top"), or None if none goes on."""
    if not here or not there:
        return None
    last = len(here) - 1
    if _ends_paragraph(here, last, edges[1]) or _starts_paragraph(there, 0, next_edges[0]):
        return None
    found = []
    if last == 0 or _starts_paragraph(here, last, edges[0]):
        found.append("foot")
    if _ends_paragraph(there, 0, next_edges[1]):
        found.append("top")
    return found


def test_front_matter_parts_share_a_page(edition):
    name, pdf, pages, starts = edition
    reader = PdfReader(str(pdf))
    front = [o for o in reader.outline if not isinstance(o, list)]
    contents = next(p.number for p in pages if "目录" in p.text()[:40] or "Contents" in p.text()[:60])
    front_pages = {reader.get_destination_page_number(o) + 1 for o in front} & set(range(1, contents))
    parts = [o for o in front if reader.get_destination_page_number(o) + 1 < contents]
    assert len(parts) >= 3
    assert len(front_pages) <= (2 if name == "bilingual" else 1), f"{name}: front matter on pages {front_pages}"


def test_no_chapter_entry_alone_at_the_foot_of_a_contents_page(edition):
    name, _, pages, _ = edition
    contents = [p for p in pages[:12] if re.search(r"\. \. \. \.", p.text())]
    left = MARGIN
    for page, after in zip(contents, contents[1:]):
        last = [line for line in page.lines() if line[0].y1 < page.height - 60][-1]
        first = after.lines()[0]
        chapter_last = abs(last[0].x0 - left) < 2
        section_first = first[0].x0 > left + 10
        assert not (chapter_last and section_first), \
            f"{name}: p. {page.number} ends with the chapter entry {' '.join(w.text for w in last)[:40]}"


def test_a_figure_that_does_not_fit_waits_while_the_text_fills_the_page():
    """floats.py on its own: the figure goes to the top of the next page, the paragraph
    after it fills this one, and a heading stays with the start of its paragraph."""
    import io

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

    from builder.writers.pdf.floats import FloatQueue, FlushFloats, KeepWithStart, mark_float

    class Doc(BaseDocTemplate):
        def __init__(self):
            super().__init__(io.BytesIO(), pagesize=(400, 400), keepTogetherClass=KeepWithStart)
            self.addPageTemplates([PageTemplate("p", [Frame(0, 0, 400, 400, id="f")])])
            self.floats, self.placed = FloatQueue(), []

        def filterFlowables(self, flowables):
            self.floats.filter(self, flowables)

        def afterFlowable(self, flowable):
            style = flowable.style.name if isinstance(flowable, Paragraph) else ""
            self.placed.append((getattr(flowable, "name", "") or style, self.page))

    style = ParagraphStyle("p", fontSize=10, leading=12, allowWidows=0, allowOrphans=0)
    heading = ParagraphStyle("heading", fontSize=14, leading=16, keepWithNext=1)

    def para(name, lines):   # named by its style, which its split parts keep
        return Paragraph(" ".join(["word"] * 14 * lines), style.clone(name))
    figure = Spacer(380, 300)
    figure.name = "figure"
    title = Paragraph("heading", heading)
    doc = Doc()
    doc.build([para("first", 20), mark_float(figure), para("after", 6), title, para("long", 30), FlushFloats()])
    pages = {}
    for name, page in doc.placed:
        pages.setdefault(name, page)
    assert pages["figure"] == 2 and pages["after"] == 1, doc.placed   # text flowed on past the figure
    assert pages["heading"] == pages["long"] == 1, doc.placed               # kept with its paragraph's start
