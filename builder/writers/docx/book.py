"""The bilingual edition as one book in Word (Report.layout): one cover with the Chinese
title over the English one, the front matter of both languages in one section, one
contents list of paired lines, and the chapters side by side (parallel.py) or in two
parts, each opened by a title page (sequential)."""
from __future__ import annotations

import dataclasses

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from builder.model import Chapter, Heading, Report
from builder.writers.docx.blocks import Draft, write_chapter
from builder.writers.docx.front import PAIRED_TOC_INSTRUCTION, contents_headings, write_contents, write_title_block
from builder.writers.docx.pages import start_section
from builder.writers.docx.parallel import write_parallel
from builder.writers.docx.runs import add_text
from builder.writers.docx.styles import BODY_SIZE
from builder.writers.docx.wml import field
from builder.words import BILINGUAL_SEP

SEP = BILINGUAL_SEP
HEADER_UNITS = 56   # a header's chapter title in both languages up to as wide as about 56 Latin letters


def chapter_title(chapter: Chapter) -> str:
    """What the running header shows: a parallel chapter's title in both languages; none
    on the title page of a part (the chapter that opens it starts a section of its own)."""
    if chapter.part:
        return ""
    if chapter.partner is not None:
        both = SEP.join((chapter.heading.full_text, chapter.partner.heading.full_text))
        return both if sum(2.2 if ord(c) > 0x2e80 else 1 for c in both) <= HEADER_UNITS else chapter.heading.full_text
    return chapter.heading.full_text


def write_book_chapter(draft: Draft, report: Report, chapter: Chapter) -> None:
    """A chapter in any edition: side by side with its partner, after the title page of
    the part it opens, or as it is."""
    body = draft.doc.element.body
    written = len(body) - (body[-1].tag == qn("w:sectPr"))   # new blocks go before the body's sectPr
    if chapter.partner is not None:
        write_parallel(draft, chapter)
    else:
        if chapter.part:
            cover = next(c for c in report.covers if c.lang == chapter.lang)
            _write_lines(draft.doc, [(cover.title, 22, True, 200, chapter.lang),
                                     (chapter.part, 16, False, 24, chapter.lang)])
            start_section(draft.doc, report.running_titles[chapter.lang], None, draft.ctx.options.duplex,
                          (chapter.heading.full_text, chapter.lang) if chapter.in_contents else None)
        write_chapter(draft, chapter)
    if report.layout:
        _mark_entries(draft, report, body[written:])


def _mark_entries(draft: Draft, report: Report, elements: list) -> None:
    """A TC field in each heading of `elements` that the contents list, with its paired
    line: what Word's Update Field collects (PAIRED_TOC_INSTRUCTION), so the contents keep
    their paired lines (at the Chinese heading's page)."""
    entries = {draft.marks.name(h): h for h in contents_headings(_paired(report))}
    for element in elements:
        for start in element.iter(qn("w:bookmarkStart")):
            heading = entries.get(start.get(qn("w:name")))
            if heading is not None:   # (a TC field has no result)
                text = heading.full_text.replace('"', '\\"')
                begin, instruction, _, end = field(f'TC "{text}" \\f C \\l {heading.level}', [])
                start.getparent().extend([begin, instruction, end])


def _write_lines(doc, lines: list[tuple]) -> None:
    """Centred lines (text, size, bold, space before, lang), as on a cover."""
    for text, size, bold, before, lang in lines:
        if not text:
            continue
        para = doc.add_paragraph(style="Title" if bold else "Subtitle")
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_before = Pt(before)
        para.paragraph_format.space_after = Pt(0)
        run = add_text(para, text, lang)
        run.font.size = Pt(size)
        run.bold = bold


def write_book_front(draft: Draft, report: Report, odd: bool) -> None:
    """One bilingual cover and the front matter (pages i, ii...), or an extract's title
    blocks; then the contents of paired lines."""
    _hang_contents(draft.doc)
    if report.title_blocks:
        for block in report.title_blocks:
            write_title_block(draft.doc, _with_chapters(block, report), report.theme.accent_color)
        write_contents(draft, _paired(report), PAIRED_TOC_INSTRUCTION)
        return
    _write_cover(draft.doc, report)
    if report.front:   # one section: each part with its partner below it
        start_section(draft.doc, SEP.join(dict.fromkeys(report.running_titles.values())), 1, odd, roman=True)
    zh = [p for p in report.front if p.lang == "zh"]
    en = [p for p in report.front if p.lang == "en"]
    for i in range(max(len(zh), len(en))):
        for part in (p[i] for p in (zh, en) if i < len(p)):
            write_chapter(draft, part)
    start_section(draft.doc, SEP.join(dict.fromkeys(report.running_titles.values())), None if report.front else 1,
                  odd, roman=True)
    write_contents(draft, _paired(report), PAIRED_TOC_INSTRUCTION)


def _hang_contents(doc) -> None:
    """Paired contents lines are often longer than a line: as in the PDF, their later lines
    go under the text after the number (一、 / （一）). On the styles, which Word applies again
    when it updates the contents. (No right indent to keep the text off the page numbers:
    LibreOffice then drops the number its tab would carry past the indent.)"""
    for level, hang in ((1, 2), (2, 3)):
        entry = doc.styles[f"toc {level}"].paragraph_format
        entry.left_indent = (entry.left_indent or 0) + Pt(hang * BODY_SIZE.pt)
        entry.first_line_indent = -Pt(hang * BODY_SIZE.pt)


def _write_cover(doc, report: Report) -> None:
    """The Chinese title over the English one, the subtitles, dates and institutes."""
    zh, en = report.covers[0], report.covers[-1]
    pairs = {id(zh): zh, id(en): en}.values()
    lines = [(c.title, 26 if c is zh else 20, True, 150 if c is zh else 8, c.lang) for c in pairs]
    lines += [(c.subtitle, 16, False, 24 if c is zh else 4, c.lang) for c in pairs]
    lines += [(c.date, 13, False, 150 if c is zh else 4, c.lang) for c in pairs]
    lines += [(c.institute, 15, True, 12, c.lang) for c in pairs]
    _write_lines(doc, lines)


def _with_chapters(block, report: Report):
    titles = [(c.partner if c.partner is not None and block.lang == "en" else c).heading.full_text
              for c in report.chapters if c.lang == block.lang or c.partner is not None]
    return dataclasses.replace(block, chapters=titles)


def _paired(report: Report) -> Report:
    """The report as its contents list it: one chapter per pair, its headings (levels 1
    and 2) in both languages, "一、企业 · I. Enterprises", linked to the zh heading."""
    en = {c.id: c for c in report.chapters if c.lang == "en"}
    chapters = []
    for chapter in report.chapters:
        partner = chapter.partner if chapter.partner is not None else en.get(chapter.id)
        if chapter.lang == "en" and chapter.partner is None and chapter.id in {c.id for c in chapters}:
            continue
        if partner is None:
            chapters.append(chapter)
            continue
        zh_heads = [b for b in chapter.blocks if isinstance(b, Heading) and b.lang == "zh" and b.level <= 2]
        en_heads = [b for b in (partner.blocks or chapter.blocks) if isinstance(b, Heading) and b.lang == "en"
                    and b.level <= 2]
        heads = [_joined(z, e) for z, e in zip(zh_heads, en_heads)] if len(zh_heads) == len(en_heads) else zh_heads
        chapters.append(dataclasses.replace(chapter, heading=_joined(chapter.heading, partner.heading), blocks=heads))
    return dataclasses.replace(report, chapters=chapters)


def _joined(zh: Heading, en: Heading) -> Heading:
    return dataclasses.replace(zh, number="", text=zh.full_text + SEP + en.full_text)
