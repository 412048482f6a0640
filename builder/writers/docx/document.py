"""DOCX writer: renders a Report as a Word document with real styles, fields and footnotes.

python-docx covers paragraphs, tables, pictures, sections and core properties. What it
lacks (footnotes, the TOC field, language tags, East Asian fonts) is added as raw
WordprocessingML here. The model already holds every final string; this module only
decides how things look.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from builder.model import (Chapter, Cover, Figure, Footnote, Heading, Paragraph, PrintOptions, Report,
                           Run, Table, TitleBlock)

LATIN_FONT = "Liberation Serif"
CJK_FONT = "Noto Serif CJK SC"
BODY_SIZE = Pt(11)
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
TOC_INSTR = 'TOC \\o "1-3" \\h \\z \\u'
BLACK = RGBColor(0, 0, 0)


def write_docx(report: Report, path: Path, options: PrintOptions = PrintOptions()) -> None:
    """Render `report` and save it as a .docx file at `path`."""
    doc = Document()
    _setup_styles(doc)
    _setup_settings(doc)
    _setup_page(doc.sections[0], options)
    notes = _Footnotes(doc)
    marks = _Bookmarks()
    odd = options.duplex   # printing on both sides: sections start on right-hand pages

    # The cover section keeps no header/footer; every chapter gets its own section so that
    # it starts on a new page and carries the running title of its language.
    if report.title_blocks:   # an extract: title block and its contents on the first page
        for block in report.title_blocks:
            _write_title_block(doc, block)
        _write_contents(doc, report, marks)
        first = 1
    else:
        for i, cover in enumerate(report.covers):
            _write_cover(doc, cover, new_page=i > 0, odd=odd)
        first = 1
        for chapter in report.front:
            _start_section(doc, report.running_titles[chapter.lang], first, odd)
            first = None
            _write_chapter(doc, chapter, notes, marks)
        _start_section(doc, report.running_titles[report.langs[0]], first, odd)
        _write_contents(doc, report, marks)
        first = None
    for chapter in report.chapters:
        start = chapter.first_page if chapter.first_page is not None else first
        _start_section(doc, report.running_titles[chapter.lang], start, odd)
        first = None
        _write_chapter(doc, chapter, notes, marks)

    _set_properties(doc, report)
    _save_reproducibly(doc, path, datetime(report.year + 1, 1, 1))


# ---- styles and document settings -------------------------------------------------------

def _set_fonts(rpr) -> None:
    """Set explicit Latin/CJK fonts on a w:rPr, dropping theme fonts (they would win)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), CJK_FONT)


def _style(doc, name: str, style_id: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str = "Normal"):
    """Return the style `style_id`, creating it under Word's built-in (lowercase) name."""
    for style in doc.styles:
        if style.style_id == style_id:
            return style
    style = doc.styles.add_style(style_id, kind)
    style.element.name_val = name    # Word recognises built-ins by this exact name
    if base and kind == WD_STYLE_TYPE.PARAGRAPH:
        style.base_style = doc.styles[base]
    return style


def _para_style(doc, name, style_id, size, bold=False, align=None, before=0, after=0,
                base="Normal", keep_next=False):
    style = _style(doc, name, style_id, base=base)
    style.font.size = size
    style.font.bold = bold
    style.font.color.rgb = BLACK
    _set_fonts(style.element.get_or_add_rPr())
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.keep_with_next = keep_next
    return style


def _setup_styles(doc) -> None:
    """Define the look: fonts, languages, headings, captions, footnotes, TOC entries."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    rpr.find(qn("w:lang")).attrib.clear()
    rpr.find(qn("w:lang")).set(qn("w:val"), "en-US")
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")

    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15

    for level, size, before, after in ((1, 18, 0, 18), (2, 14, 12, 6), (3, 12, 9, 3)):
        style = _para_style(doc, f"heading {level}", f"Heading{level}", Pt(size), bold=True,
                            before=before, after=after, keep_next=True)
        style.font.italic = False
    # Front matter (acknowledgement...) looks like a chapter title but must stay out of
    # the contents: outline level 9 is "body text" for the TOC \u switch.
    front = _para_style(doc, "Front Heading", "FrontHeading", Pt(18), bold=True, after=18,
                        base="Heading 1")
    _outline_level(front, 9)
    contents = _para_style(doc, "TOC Heading", "TOCHeading", Pt(18), bold=True, after=18,
                           base="Heading 1")
    _outline_level(contents, 9)

    # zh body: justified with a two-character first-line indent; en body: space after.
    zh = _para_style(doc, "Body Text First Indent", "BodyTextFirstIndent", BODY_SIZE,
                     align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=0)
    zh.paragraph_format.line_spacing = 1.5
    ind = zh.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "200")
    ind.set(qn("w:firstLine"), str(int(2 * BODY_SIZE.pt * 20)))
    en = _para_style(doc, "Body Text", "BodyText", BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                     after=6)
    en.paragraph_format.line_spacing = 1.15
    lst = _para_style(doc, "List Paragraph", "ListParagraph", BODY_SIZE,
                      align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=3)
    lst.paragraph_format.left_indent = Pt(2 * BODY_SIZE.pt)
    lst.paragraph_format.first_line_indent = Pt(-BODY_SIZE.pt)   # hanging: bullet, tab, text
    quote = _para_style(doc, "Quote", "Quote", BODY_SIZE, after=6)
    quote.font.italic = True
    quote.paragraph_format.left_indent = quote.paragraph_format.right_indent = Pt(24)
    _para_style(doc, "Note", "Note", Pt(9.5), after=6)

    _para_style(doc, "caption", "Caption", Pt(10), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                before=3, after=3)
    _para_style(doc, "Source", "Source", Pt(9), after=9)
    _para_style(doc, "Figure", "Figure", BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, before=6,
                keep_next=True)
    _para_style(doc, "Table Text", "TableText", Pt(9.5))
    _para_style(doc, "header", "Header", Pt(9), align=WD_ALIGN_PARAGRAPH.CENTER)
    _para_style(doc, "footer", "Footer", Pt(9), align=WD_ALIGN_PARAGRAPH.CENTER)
    _para_style(doc, "footnote text", "FootnoteText", Pt(9), align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    ref = _style(doc, "footnote reference", "FootnoteReference", WD_STYLE_TYPE.CHARACTER)
    ref.font.superscript = True
    for level in (1, 2, 3):
        toc = _para_style(doc, f"toc {level}", f"TOC{level}", BODY_SIZE, bold=level == 1,
                          before=6 if level == 1 else 0, after=3)
        toc.paragraph_format.left_indent = Pt(2 * BODY_SIZE.pt * (level - 1))
    for name in ("Title", "Subtitle"):
        style = doc.styles[name]
        rpr = style.element.get_or_add_rPr()
        _set_fonts(rpr)
        for tag in ("w:spacing", "w:i", "w:iCs"):   # the template's letter-spaced italics
            if rpr.find(qn(tag)) is not None:
                rpr.remove(rpr.find(qn(tag)))
        style.font.color.rgb = BLACK
        ppr = style.element.get_or_add_pPr()
        if ppr.find(qn("w:pBdr")) is not None:
            ppr.remove(ppr.find(qn("w:pBdr")))


def _outline_level(style, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    old = ppr.find(qn("w:outlineLvl"))
    if old is not None:
        ppr.remove(old)
    ppr._insert_outlineLvl(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{level}"/>'))


def _setup_settings(doc) -> None:
    """Ask Word to refresh fields (the TOC) on open; declare the separator footnotes."""
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    # Schema order: ... updateFields, hdrShapeDefaults, footnotePr, endnotePr, compat ...
    compat.addprevious(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))
    compat.addprevious(parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/>'
                                 '<w:footnote w:id="0"/></w:footnotePr>'))
    lang = settings.find(qn("w:themeFontLang"))
    lang.set(qn("w:eastAsia"), "zh-CN")


def _setup_page(section, options: PrintOptions) -> None:
    """Paper and margins; later sections copy them."""
    width, height = options.page_size
    section.page_width, section.page_height = Pt(width), Pt(height)
    margin = Mm(options.margins)
    section.top_margin = section.bottom_margin = margin
    section.left_margin = section.right_margin = margin
    section.header_distance = section.footer_distance = Mm(options.margins * 0.48)


def _text_width(doc):
    section = doc.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def _set_properties(doc, report: Report) -> None:
    props = doc.core_properties
    props.title = report.title
    props.subject = report.covers[0].subtitle
    props.author = props.last_modified_by = report.author
    props.language = "en-US" if report.edition == "en" else "zh-CN"
    props.keywords = props.comments = props.category = ""
    props.revision = 1
    # Fixed dates so that the same model gives the same file.
    props.created = props.modified = props.last_printed = datetime(report.year + 1, 1, 1)


def _save_reproducibly(doc, path: Path, when: datetime) -> None:
    """Save with fixed zip timestamps (python-docx stamps the current time)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))


# ---- sections, headers, footers ---------------------------------------------------------

def _start_section(doc, running_title: str, start: int | None, odd: bool) -> None:
    """Begin a new-page section (on a right-hand page if `odd`) with the running title in
    the header and the page number in the footer; `start`: its first page's number."""
    section = doc.add_section(WD_SECTION.ODD_PAGE if odd else WD_SECTION.NEW_PAGE)
    sect_pr = section._sectPr
    old = sect_pr.find(qn("w:pgNumType"))
    if old is not None:
        sect_pr.remove(old)
    if start is not None:   # after the cover: 1; an extract: as in the full report
        sect_pr.insert_element_before(parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="{start}"/>'),
                                      "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
                                      "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
                                      "w:docGrid", "w:printerSettings", "w:sectPrChange")
    section.header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.style = "Header"
    header.text = ""
    header.add_run(running_title)
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t>'
                               '</w:r></w:fldSimple>'))


# ---- cover and contents -----------------------------------------------------------------

def _write_cover(doc, cover: Cover, new_page: bool, odd: bool) -> None:
    """Title, subtitle, date and institute, centered and large."""
    if new_page and odd:   # the next cover on a right-hand page: a section of its own
        doc.add_section(WD_SECTION.ODD_PAGE)
        new_page = False
    title = doc.add_paragraph(style="Title")
    title.paragraph_format.page_break_before = new_page
    for para, text, size, before, bold in (
            (title, cover.title, 22, 150, True),
            (doc.add_paragraph(style="Subtitle"), cover.subtitle, 18, 24, False),
            (doc.add_paragraph(), cover.date, 14, 200, False),
            (doc.add_paragraph(), cover.institute, 16, 12, True)):
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_before = Pt(before)
        para.paragraph_format.space_after = Pt(0)
        para.paragraph_format.line_spacing = 1.3
        run = para.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = False
        _set_lang(run._r, cover.lang)


def _write_title_block(doc, block: TitleBlock) -> None:
    """An extract's head: report, edition and year, chapter; a rule below."""
    rows = [(block.kicker, 10.5, False, 0), (block.title, 17, True, 4)]
    rows += [(chapter, 15, True, 4) for chapter in block.chapters]
    rows += [(block.edition, 10, False, 6), (block.institute, 10, False, 0), (block.note, 9, False, 2)]
    for i, (text, size, bold, before) in enumerate(rows):
        para = doc.add_paragraph()
        para.paragraph_format.space_before = Pt(24 if i == 0 else before)
        para.paragraph_format.space_after = Pt(2)
        run = para.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold or None
        _set_lang(run._r, block.lang)
    ppr = para._p.get_or_add_pPr()
    ppr.insert_element_before(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="8" w:space="4" w:color="1F3B63"/></w:pBdr>'),
        "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
        "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
        "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
        "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
        "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
    doc.add_paragraph().paragraph_format.space_after = Pt(12)


def _write_contents(doc, report: Report, marks: _Bookmarks) -> None:
    """Contents title, then a TOC field pre-filled with the level 1-2 headings so that
    it reads right even before Word (or nobody) updates it."""
    doc.add_paragraph(" / ".join(report.contents_titles), style="TOC Heading")
    entries = [(h, marks.name(h)) for c in report.chapters if c.in_contents
               for h in [c.heading] + [b for b in c.blocks if isinstance(b, Heading)]
               if h.level <= 2]
    if not entries:
        entries = [(None, None)]
    for i, (heading, mark) in enumerate(entries):
        para = doc.add_paragraph(style=f"toc {heading.level}" if heading else "toc 1")
        if i == 0:
            _field_char(para, "begin")
            run = OxmlElement("w:r")
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = TOC_INSTR
            run.append(instr)
            para._p.append(run)
            _field_char(para, "separate")
        if heading:
            link = parse_xml(f'<w:hyperlink {nsdecls("w")} w:anchor="{mark}" w:history="1"/>')
            para._p.append(link)
            run = para.add_run(heading.full_text)
            _set_lang(run._r, heading.lang)
            link.append(run._r)
        if i == len(entries) - 1:
            _field_char(para, "end")


def _field_char(para, kind: str) -> None:
    para._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="{kind}"/></w:r>'))


class _Bookmarks:
    """Word bookmark names for heading anchors (letters, digits, _ only; at most 40 chars)."""

    def __init__(self):
        self.names: dict[str, str] = {}

    def name(self, heading: Heading) -> str:
        if heading.anchor not in self.names:
            self.names[heading.anchor] = f"_Toc{len(self.names) + 1:06d}"
        return self.names[heading.anchor]

    def add(self, para, heading: Heading) -> None:
        name = self.name(heading)
        bid = int(name[4:])
        para._p.insert(1 if para._p.pPr is not None else 0, parse_xml(
            f'<w:bookmarkStart {nsdecls("w")} w:id="{bid}" w:name="{name}"/>'))
        para._p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{bid}"/>'))


# ---- chapter content --------------------------------------------------------------------

def _write_chapter(doc, chapter: Chapter, notes: _Footnotes, marks: _Bookmarks) -> None:
    style = "Heading 1" if chapter.in_contents else "Front Heading"
    _write_heading(doc, chapter.heading, style, marks)
    for block in chapter.blocks:
        if isinstance(block, Heading):
            para = _write_heading(doc, block, f"Heading {min(block.level, 3)}", marks)
            # Chapters start on a new page via their section; a stray level-1 heading too.
            para.paragraph_format.page_break_before = block.level == 1
        elif isinstance(block, Paragraph):
            _write_paragraph(doc, block, notes)
        elif isinstance(block, Figure):
            _write_figure(doc, block)
        elif isinstance(block, Table):
            _write_table(doc, block)


def _write_heading(doc, heading: Heading, style: str, marks: _Bookmarks):
    para = doc.add_paragraph(style=style)
    run = para.add_run(heading.full_text)
    _set_lang(run._r, heading.lang)
    marks.add(para, heading)
    return para


BODY_STYLES = {"list": "List Paragraph", "quote": "Quote", "note": "Note"}


def _write_paragraph(doc, paragraph: Paragraph, notes: _Footnotes) -> None:
    default = "Body Text First Indent" if paragraph.lang == "zh" else "Body Text"
    para = doc.add_paragraph(style=BODY_STYLES.get(paragraph.style, default))
    if paragraph.style == "list" and paragraph.bullet:
        run = para.add_run(f"{paragraph.bullet}\t")
        _set_lang(run._r, paragraph.lang)
    _add_runs(para, paragraph.runs, paragraph.lang, notes)


def _add_runs(para, runs: list[Run], lang: str, notes: _Footnotes | None) -> None:
    """Add text runs (python-docx escapes them: the text stays literal) and footnote marks."""
    for item in runs:
        if item.footnote is not None and notes is not None:
            para._p.append(notes.reference(item.footnote, lang))
            continue
        run = para.add_run(item.text)
        run.bold = item.bold or None
        run.italic = item.italic or None
        _set_lang(run._r, lang)


def _set_lang(r, lang: str) -> None:
    """Tag a w:r with its language the way Word does: Chinese text gets the East Asian
    hint (so quotes and dashes use the CJK font) and eastAsia="zh-CN"; English gets
    val="en-US" (spell checking, hyphenation)."""
    rpr = r.get_or_add_rPr()
    if lang == "zh":
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert_element_before(fonts, *_AFTER_RFONTS)
        fonts.set(qn("w:hint"), "eastAsia")
        attrs = 'w:val="en-US" w:eastAsia="zh-CN"'
    else:
        attrs = 'w:val="en-US"'
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} {attrs}/>'))


# w:rPr children that must come after w:rFonts (schema order).
_AFTER_RFONTS = ("w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
                 "w:color", "w:sz", "w:szCs", "w:u", "w:vertAlign", "w:lang")


def _write_figure(doc, figure: Figure) -> None:
    """Picture at its share of the text width, centered; caption and source below."""
    para = doc.add_paragraph(style="Figure")
    para.add_run().add_picture(str(figure.png), width=int(_text_width(doc) * figure.width_ratio))
    caption = doc.add_paragraph(style="Caption")
    _set_lang(caption.add_run(f"{figure.label} {figure.caption}")._r, figure.lang)
    caption.paragraph_format.keep_with_next = True
    _set_lang(doc.add_paragraph(style="Source").add_run(figure.source)._r, figure.lang)


def _write_table(doc, table: Table) -> None:
    """Caption above, a Table Grid table with a repeating bold header row, source below."""
    caption = doc.add_paragraph(style="Caption")
    caption.paragraph_format.keep_with_next = True
    _set_lang(caption.add_run(f"{table.label} {table.caption}")._r, table.lang)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.header), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate([table.header] + table.rows):
        row = grid.rows[r]
        if r == 0:
            # w:tblHeader: Word and LibreOffice repeat this row on every page.
            row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for c, value in enumerate(values):
            para = row.cells[c].paragraphs[0]
            para.style = "Table Text"
            right = c < len(table.align) and table.align[c] == "right"
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
            if r == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(value)
            run.bold = r == 0 or None
            _set_lang(run._r, table.lang)
    _set_lang(doc.add_paragraph(style="Source").add_run(table.source)._r, table.lang)


# ---- footnotes --------------------------------------------------------------------------

class _Footnotes:
    """The /word/footnotes.xml part, which python-docx cannot create itself."""

    def __init__(self, doc):
        self.doc = doc
        self.element = parse_xml(
            f'<w:footnotes {nsdecls("w")}>'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"'
            ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing'
            ' w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
            '</w:r></w:p></w:footnote></w:footnotes>')
        part = XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, self.element, doc.part.package)
        doc.part.relate_to(part, RT.FOOTNOTES)
        self.next_id = 1

    def reference(self, note: Footnote, lang: str):
        """Add the footnote text to the part; return the w:r that marks it in the body.

        The mark is the model's per-chapter number, as in the PDF, given as a custom mark
        (customMarkFollows): Word would number notes continuously through the document,
        and its per-section restart (numRestart eachSect) is mis-imported by LibreOffice
        (it prints 1, 0, 0...). The note itself keeps w:footnoteRef, which LibreOffice
        fills with the custom mark; literal text there would print the number twice."""
        note_id = self.next_id
        self.next_id += 1
        footnote = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/>'
            '</w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>')
        self.element.append(footnote)
        para = DocxParagraph(footnote[0], self.doc.part)
        _add_runs(para, note.runs, lang, None)
        mark = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                         f'<w:footnoteReference w:customMarkFollows="1" w:id="{note_id}"/>'
                         f'<w:t>{note.number}</w:t></w:r>')
        return mark
