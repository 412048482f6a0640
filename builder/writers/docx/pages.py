"""Paper, margins and sections: each section starts a new page and carries its running
title in the header and the page number in the footer; a draft's stamp heads every
section's header, the covers' included."""
from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from builder.model import PrintOptions
from builder.writers.docx.runs import loose_run
from builder.writers.docx.wml import AFTER_PGNUMTYPE, field, wml


def setup_page(section, options: PrintOptions) -> None:
    """Paper and margins of the first section; later sections copy them."""
    width, height = options.page_size
    section.page_width, section.page_height = Pt(width), Pt(height)
    margin = Mm(options.margins)
    section.top_margin = section.bottom_margin = margin
    section.left_margin = section.right_margin = margin
    section.header_distance = section.footer_distance = Mm(options.margins * 0.48)


def text_width(doc):
    section = doc.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def start_section(doc, running_title: str, first_page: int | None, odd: bool, chapter: tuple[str, str] | None = None,
                  roman: bool = False, new_page: bool = True) -> None:
    """Begin a new-page section (on a right-hand page if `odd`; on the same page unless
    `new_page`) with the running title in the header, and the page number in the footer:
    roman (front matter, as the PDF's) or arabic; `first_page`: the number of its first
    page, None to go on counting. `chapter`: (title, lang) of the chapter, at the header's
    right end as in the PDF."""
    kind = (WD_SECTION.ODD_PAGE if odd else WD_SECTION.NEW_PAGE) if new_page else WD_SECTION.CONTINUOUS
    section = doc.add_section(kind)
    sect_pr = section._sectPr
    old = sect_pr.find(qn("w:pgNumType"))
    if old is not None:   # copied from the previous section
        sect_pr.remove(old)
    numbering = (' w:fmt="lowerRoman"' if roman else "") + (f' w:start="{first_page}"' if first_page is not None else "")
    if numbering:   # (arabic numbers are the default)
        sect_pr.insert_element_before(wml(f"<w:pgNumType{numbering}/>"), *AFTER_PGNUMTYPE)
    section.header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.style = "Header"
    header.text = ""
    header.add_run(running_title)
    if chapter:
        _chapter_title(doc, header, *chapter)
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer._p.append(wml('<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _chapter_title(doc, header, title: str, lang: str) -> None:
    """The chapter's title after a tab to the right margin: a STYLEREF field (the Heading 1
    of the page, or the last before it), its result the title."""
    # One stop at the right margin; the template's Header style has a centre and a right
    # stop for Letter paper, which the tab would reach first.
    stops = header.paragraph_format.tab_stops
    for stop in doc.styles["Header"].paragraph_format.tab_stops:
        stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(text_width(doc), WD_TAB_ALIGNMENT.RIGHT)
    header.add_run("\t")
    for element in field("STYLEREF 1", [loose_run(title, lang, header)]):
        header._p.append(element)


def stamp_sections(doc, stamp: str) -> None:
    """A draft (Report.draft): its stamp as the first line of every section's header."""
    for section in doc.sections:
        section.header.is_linked_to_previous = False
        first = section.header.paragraphs[0]
        para = first.insert_paragraph_before(style="Header") if first.text else first
        para.style = "Header"
        run = para.add_run(stamp)
        run.bold = True
        run.font.color.rgb = RGBColor(0xB8, 0x1A, 0x1A)
