"""What comes before the chapters: the covers (a full report) or the title block (an
extract), and the contents."""
from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from builder.model import Cover, Heading, Report, TitleBlock
from builder.writers.docx.blocks import Draft
from builder.writers.docx.runs import loose_run, set_lang
from builder.writers.docx.wml import AFTER_PBDR, field, wml

CHAPTERS = "_Chapters"   # the bookmark of the chapters, whose headings the contents list
TOC_INSTRUCTION = f'TOC \\o "1-2" \\h \\z \\b {CHAPTERS}'
# The bilingual book's: its entries are TC fields (book.py), one per pair of headings
# ("一、企业 · I. Enterprises"), not the headings, which are one per language.
PAIRED_TOC_INSTRUCTION = f'TOC \\f C \\l "1-2" \\h \\z \\b {CHAPTERS}'
RULE_BELOW = '<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4" w:color="{color}"/></w:pBdr>'


def write_cover(doc, cover: Cover, new_page: bool, odd: bool) -> None:
    """Title, subtitle, date and institute, centered and large; `new_page`: not the first
    cover, `odd`: printed on both sides (a cover starts on a right-hand page)."""
    if new_page and odd:   # a section of its own, on a right-hand page
        doc.add_section(WD_SECTION.ODD_PAGE)
        new_page = False
    lines = [("Title", cover.title, 22, 150, True), ("Subtitle", cover.subtitle, 18, 24, False),
             (None, cover.date, 14, 200, False), (None, cover.institute, 16, 12, True)]
    for i, (style, text, size, before, bold) in enumerate(lines):
        if not text and i > 1:   # no date line, no institute
            continue
        para = doc.add_paragraph(style=style)
        if i == 0:
            para.paragraph_format.page_break_before = new_page
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_before = Pt(before)
        para.paragraph_format.space_after = Pt(0)
        para.paragraph_format.line_spacing = 1.3
        _add_sized_text(para, text, cover.lang, size, bold, italic=False)


def write_title_block(doc, block: TitleBlock, rule_color: str) -> None:
    """An extract's head: report, edition and year, chapter; a rule below (#rrggbb)."""
    lines = [(block.kicker, 10.5, False, 0), (block.title, 17, True, 4)]
    lines += [(chapter, 15, True, 4) for chapter in block.chapters]
    lines += [(block.edition, 10, False, 6), (block.institute, 10, False, 0), (block.note, 9, False, 2)]
    for i, (text, size, bold, before) in enumerate(line for line in lines if line[0]):
        para = doc.add_paragraph()
        para.paragraph_format.space_before = Pt(24 if i == 0 else before)
        para.paragraph_format.space_after = Pt(2)
        _add_sized_text(para, text, block.lang, size, bold or None)
    rule = RULE_BELOW.format(color=rule_color.lstrip("#").upper())
    para._p.get_or_add_pPr().insert_element_before(wml(rule), *AFTER_PBDR)
    doc.add_paragraph().paragraph_format.space_after = Pt(12)


def _add_sized_text(para, text: str, lang: str, size: float, bold: bool | None,
                    italic: bool | None = None) -> None:
    """A run of `text` at `size` pt; bold and italic: True, False (explicitly not), None
    (as the style says)."""
    run = para.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    set_lang(run, lang)


def contents_headings(report: Report) -> list[Heading]:
    """The headings the contents list: of chapters and their sections."""
    return [h for c in report.chapters if c.in_contents
            for h in [c.heading] + [b for b in c.blocks if isinstance(b, Heading)]
            if h.level <= 2]


def write_contents(draft: Draft, report: Report, instruction: str = TOC_INSTRUCTION) -> None:
    """Contents title, then a TOC field filled in as Word would: each chapter and section
    a link to its heading, a dot leader and the page number the PDF's layout gives it (a
    PAGEREF field), so that it reads right before (or without) Word updating it."""
    doc = draft.doc
    doc.add_paragraph(" / ".join(report.contents_titles), style="TOC Heading")
    headings = contents_headings(report)
    # One paragraph per entry; the field spans them all (a paragraph of its own if none).
    entries = [doc.add_paragraph(style=f"toc {h.level}") for h in headings] or [doc.add_paragraph(style="toc 1")]
    begin, instruction, separate, end = field(instruction, [])
    entries[0]._p.extend([begin, instruction, separate])
    pages = report.pages.headings if report.pages else {}
    for para, heading in zip(entries, headings):
        bookmark = draft.marks.name(heading)
        link = wml(f'<w:hyperlink w:anchor="{bookmark}" w:history="1"/>')
        para._p.append(link)
        link.append(loose_run(heading.full_text, heading.lang, para))
        if heading.anchor in pages:
            link.append(wml("<w:r><w:tab/></w:r>"))
            link.extend(field(f"PAGEREF {bookmark} \\h", [loose_run(str(pages[heading.anchor]), heading.lang, para)]))
    entries[-1]._p.append(end)


def mark_chapters(doc) -> None:
    """Bookmark the chapters, from the first Heading 1 to the end: the contents field lists
    the headings inside (its \\b switch), not the front matter's."""
    body = doc.element.body
    paragraphs = body.findall(qn("w:p"))
    first = next((p for p in paragraphs if p.style == "Heading1"), None)
    if first is None:
        return
    first.insert(1 if first.pPr is not None else 0, wml(f'<w:bookmarkStart w:id="0" w:name="{CHAPTERS}"/>'))
    paragraphs[-1].append(wml('<w:bookmarkEnd w:id="0"/>'))
