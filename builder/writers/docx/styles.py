"""The look of the document: fonts, languages, paragraph and character styles, and the
document settings (fields refreshed on open, footnote separators)."""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Pt, RGBColor

from builder.fonts import docx_font_name
from builder.model import Theme
from builder.writers.docx.wml import wml

BODY_SIZE = Pt(11)
BLACK = RGBColor(0, 0, 0)


def setup_styles(doc, theme: Theme) -> None:
    """Define the look: fonts, languages, headings, body, captions, footnotes, TOC entries.
    (Styles are added to styles.xml in the order they are defined here.)"""
    sheet = _StyleSheet(doc, docx_font_name(theme.latin_font), docx_font_name(theme.cjk_font))
    _document_defaults(sheet)
    _heading_styles(sheet)
    _body_styles(sheet)
    _figure_and_table_styles(sheet)
    _page_and_footnote_styles(sheet)
    _contents_styles(sheet)
    _cover_styles(sheet)


def remember_style_ids(doc) -> None:
    """Look each style name up once: python-docx searches every style twice per paragraph
    given a style by name, a third of the DOCX's time. Call once the styles are final."""
    ids: dict[tuple, str | None] = {}
    look_up = doc.part.get_style_id

    def get_style_id(style, kind):
        if not isinstance(style, str):
            return look_up(style, kind)
        if (style, kind) not in ids:
            ids[style, kind] = look_up(style, kind)
        return ids[style, kind]
    doc.part.get_style_id = get_style_id


def setup_settings(doc) -> None:
    """Ask Word to refresh fields (the TOC) on open; declare the separator footnotes."""
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    # Schema order: ... updateFields, hdrShapeDefaults, footnotePr, endnotePr, compat ...
    compat.addprevious(wml('<w:updateFields w:val="true"/>'))
    compat.addprevious(wml('<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'))
    settings.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")


class _StyleSheet:
    """The document's styles, each given the report's explicit fonts."""

    def __init__(self, doc, latin: str, cjk: str):
        self.doc = doc
        self.latin, self.cjk = latin, cjk   # font families named

    def set_fonts(self, rpr) -> None:
        """Set explicit Latin/CJK fonts on a w:rPr, dropping theme fonts (they would win)."""
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.attrib.clear()
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), self.latin)
        fonts.set(qn("w:eastAsia"), self.cjk)

    def style(self, name: str, style_id: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str = "Normal"):
        """The style `style_id`, created under Word's built-in (lowercase) name if missing."""
        for style in self.doc.styles:
            if style.style_id == style_id:
                return style
        style = self.doc.styles.add_style(style_id, kind)
        style.element.name_val = name    # Word recognises built-ins by this exact name
        if base and kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = self.doc.styles[base]
        return style

    def paragraph_style(self, name: str, style_id: str, size, bold=False, align=None, before=0,
                        after=0, base="Normal", keep_next=False):
        """A black paragraph style in the report's fonts; `before`, `after`: spacing in pt."""
        style = self.style(name, style_id, base=base)
        style.font.size = size
        style.font.bold = bold
        style.font.color.rgb = BLACK
        self.set_fonts(style.element.get_or_add_rPr())
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = keep_next
        return style


def _document_defaults(sheet: _StyleSheet) -> None:
    """Fonts and languages of all text, and the Normal style."""
    defaults = sheet.doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    sheet.set_fonts(rpr)
    lang = rpr.find(qn("w:lang"))
    lang.attrib.clear()
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")

    normal = sheet.doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    sheet.set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15


def _heading_styles(sheet: _StyleSheet) -> None:
    for level, size, before, after in ((1, 18, 0, 18), (2, 14, 12, 6), (3, 12, 9, 3)):
        style = sheet.paragraph_style(f"heading {level}", f"Heading{level}", Pt(size), bold=True,
                                      before=before, after=after, keep_next=True)
        style.font.italic = False
    # Front matter (acknowledgement...) and the contents title look like a chapter title
    # but must stay out of the contents: outline level 9 is "body text" for the TOC \u switch.
    for name, style_id in (("Front Heading", "FrontHeading"), ("TOC Heading", "TOCHeading")):
        style = sheet.paragraph_style(name, style_id, Pt(18), bold=True, after=18, base="Heading 1")
        _set_outline_level(style, 9)


def _set_outline_level(style, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    _remove_child(ppr, "w:outlineLvl")
    ppr._insert_outlineLvl(wml(f'<w:outlineLvl w:val="{level}"/>'))


def _body_styles(sheet: _StyleSheet) -> None:
    """zh body: justified with a two-character first-line indent; en body: space after;
    list items, quotes and notes."""
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    zh = sheet.paragraph_style("Body Text First Indent", "BodyTextFirstIndent", BODY_SIZE,
                               align=justify, after=0)
    zh.paragraph_format.line_spacing = 1.5
    ind = zh.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "200")
    ind.set(qn("w:firstLine"), str(int(2 * BODY_SIZE.pt * 20)))   # twips: for readers that ignore firstLineChars
    en = sheet.paragraph_style("Body Text", "BodyText", BODY_SIZE, align=justify, after=6)
    en.paragraph_format.line_spacing = 1.15
    items = sheet.paragraph_style("List Paragraph", "ListParagraph", BODY_SIZE, align=justify, after=3)
    items.paragraph_format.left_indent = Pt(2 * BODY_SIZE.pt)
    items.paragraph_format.first_line_indent = Pt(-BODY_SIZE.pt)   # hanging: bullet, tab, text
    quote = sheet.paragraph_style("Quote", "Quote", BODY_SIZE, after=6)
    quote.font.italic = True
    quote.paragraph_format.left_indent = quote.paragraph_format.right_indent = Pt(24)
    sheet.paragraph_style("Note", "Note", Pt(9.5), after=6)


def _figure_and_table_styles(sheet: _StyleSheet) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    sheet.paragraph_style("caption", "Caption", Pt(10), bold=True, align=center, before=3, after=3)
    sheet.paragraph_style("Source", "Source", Pt(9), after=9)
    sheet.paragraph_style("Figure", "Figure", BODY_SIZE, align=center, before=6, keep_next=True)
    sheet.paragraph_style("Table Text", "TableText", Pt(9.5))


def _page_and_footnote_styles(sheet: _StyleSheet) -> None:
    sheet.paragraph_style("header", "Header", Pt(9), align=WD_ALIGN_PARAGRAPH.CENTER)
    sheet.paragraph_style("footer", "Footer", Pt(9), align=WD_ALIGN_PARAGRAPH.CENTER)
    sheet.paragraph_style("footnote text", "FootnoteText", Pt(9), align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    mark = sheet.style("footnote reference", "FootnoteReference", WD_STYLE_TYPE.CHARACTER)
    mark.font.superscript = True


def _contents_styles(sheet: _StyleSheet) -> None:
    for level in (1, 2, 3):
        entry = sheet.paragraph_style(f"toc {level}", f"TOC{level}", BODY_SIZE, bold=level == 1,
                                      before=6 if level == 1 else 0, after=3)
        entry.paragraph_format.left_indent = Pt(2 * BODY_SIZE.pt * (level - 1))


def _cover_styles(sheet: _StyleSheet) -> None:
    """The template's Title and Subtitle, in black and the report's fonts, without their
    letter-spaced italics and rule."""
    for name in ("Title", "Subtitle"):
        style = sheet.doc.styles[name]
        rpr = style.element.get_or_add_rPr()
        sheet.set_fonts(rpr)
        for tag in ("w:spacing", "w:i", "w:iCs"):
            _remove_child(rpr, tag)
        style.font.color.rgb = BLACK
        _remove_child(style.element.get_or_add_pPr(), "w:pBdr")


def _remove_child(parent, tag: str) -> None:
    child = parent.find(qn(tag))
    if child is not None:
        parent.remove(child)
