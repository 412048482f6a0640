"""The look of the document: fonts, languages, paragraph and character styles, and the
document settings (compatibility mode, footnote separators) and the font table.
Sizes and line heights are the PDF's (builder/writers/pdf/text.py)."""
from __future__ import annotations

from xml.sax.saxutils import escape

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Pt, RGBColor

from builder.model import Theme
from builder.writers.docx.wml import wml

BODY_SIZE = Pt(11)
QUOTE = {'"': "&quot;"}
WORD_BUILT_INS = {"heading 1", "heading 2", "heading 3", "toc 1", "toc 2", "toc 3", "TOC Heading", "caption",
                  "header", "footer", "footnote text", "footnote reference", "Body Text",
                  "Body Text First Indent", "List Paragraph", "Quote"}
BLACK = RGBColor(0, 0, 0)


def setup_styles(doc, theme: Theme) -> None:
    """Define the look: fonts, languages, headings, body, captions, footnotes, TOC entries.
    (Styles are added to styles.xml in the order they are defined here.)"""
    sheet = _StyleSheet(doc, theme.docx_latin_font, theme.docx_cjk_font)
    _document_defaults(sheet)
    _heading_styles(sheet)
    _body_styles(sheet)
    _figure_and_table_styles(sheet)
    _page_and_footnote_styles(sheet)
    _contents_styles(sheet)
    _cover_styles(sheet)
    _declare_fonts(doc, theme.docx_latin_font, theme.docx_cjk_font)


def remember_style_ids(doc) -> None:
    """Look each style name up once: python-docx searches every style twice per paragraph
    given a style by name, a third of the DOCX's time. Call once the styles are final."""
    ids: dict[tuple, str | None] = {}
    defaults: dict = {}   # kind -> the default style (python-docx searches for it on every look-up)
    look_up = doc.part.get_style_id
    styles = doc.styles

    def get_style_id(style, kind):
        if not isinstance(style, str):
            return look_up(style, kind)
        if (style, kind) not in ids:
            found = styles[style]
            if found.type != kind:
                return look_up(style, kind)   # python-docx's error
            if kind not in defaults:
                defaults[kind] = styles.default(kind)
            ids[style, kind] = None if found == defaults[kind] else found.style_id
        return ids[style, kind]
    doc.part.get_style_id = get_style_id


def setup_settings(doc) -> None:
    """Word 2013+ layout (compatibility mode 15); the separator footnotes. No updateFields:
    the contents, captions and references are written with their results filled in, and
    Word would ask on every open whether to update them."""
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    # Schema order: ... updateFields, hdrShapeDefaults, footnotePr, endnotePr, compat ...
    compat.addprevious(wml('<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'))
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
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
        if name in WORD_BUILT_INS:   # not a custom style of the same name (its contents, captions...)
            style.element.attrib.pop(qn("w:customStyle"), None)
        if base and kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = self.doc.styles[base]
        return style

    def paragraph_style(self, name: str, style_id: str, size, bold=False, align=None, before=0,
                        after=0, base="Normal", keep_next=False, leading=None):
        """A black paragraph style in the report's fonts; `before`, `after`: spacing in pt;
        `leading`: the PDF's line height (times the size), as a minimum line height, so
        that lines fall as in the PDF whatever font the reader's machine draws."""
        style = self.style(name, style_id, base=base)
        style.font.size = size
        style.font.bold = bold
        style.font.color.rgb = BLACK
        self.set_fonts(style.element.get_or_add_rPr())
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = keep_next
        if leading:
            fmt.line_spacing = Pt(size.pt * leading)
            fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
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
    """Sizes and spacing of the PDF's headings (builder/writers/pdf/text.py)."""
    for level, size, before, after in ((1, 20, 0, 22), (2, 14.5, 14, 8), (3, 12, 10, 6)):
        style = sheet.paragraph_style(f"heading {level}", f"Heading{level}", Pt(size), bold=True,
                                      before=before, after=after, keep_next=True, leading=1.35)
        style.font.italic = False
    # Front matter (acknowledgement...) and the contents title look like a chapter title and
    # show in Word's navigation pane (outline level 1); the contents field lists only the
    # chapters (its \b switch), as the PDF's contents do.
    for name, style_id in (("Front Heading", "FrontHeading"), ("TOC Heading", "TOCHeading")):
        style = sheet.paragraph_style(name, style_id, Pt(20), bold=True, after=22, base="Heading 1",
                                      leading=1.35)
        _set_outline_level(style, 0)


def _set_outline_level(style, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    _remove_child(ppr, "w:outlineLvl")
    ppr._insert_outlineLvl(wml(f'<w:outlineLvl w:val="{level}"/>'))


def _body_styles(sheet: _StyleSheet) -> None:
    """As the PDF's: zh body 10.5 pt (五号) on 1.7 lines, justified, a two-character first-line
    indent; en body 11 pt on 1.4 lines; list items, quotes and notes."""
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    zh_size = Pt(10.5)
    zh = sheet.paragraph_style("Body Text First Indent", "BodyTextFirstIndent", zh_size,
                               align=justify, after=zh_size.pt * 0.25, leading=1.7)
    ind = zh.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "200")
    ind.set(qn("w:firstLine"), str(int(2 * zh_size.pt * 20)))   # twips: for readers that ignore firstLineChars
    sheet.paragraph_style("Body Text", "BodyText", BODY_SIZE, align=justify, after=BODY_SIZE.pt * 0.5, leading=1.4)
    items = sheet.paragraph_style("List Paragraph", "ListParagraph", BODY_SIZE, align=justify,
                                  after=BODY_SIZE.pt * 0.2, leading=1.4)
    items.paragraph_format.left_indent = Pt(2 * BODY_SIZE.pt)
    items.paragraph_format.first_line_indent = Pt(-BODY_SIZE.pt)   # hanging: bullet, tab, text
    quote = sheet.paragraph_style("Quote", "Quote", Pt(BODY_SIZE.pt - 0.5), after=6, leading=1.4)
    quote.font.italic = True
    quote.paragraph_format.left_indent = quote.paragraph_format.right_indent = Pt(2 * BODY_SIZE.pt)
    sheet.paragraph_style("Note", "Note", Pt(9.5), after=6, leading=1.5)


def _figure_and_table_styles(sheet: _StyleSheet) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    sheet.paragraph_style("caption", "Caption", Pt(10), bold=True, align=center, before=4, after=2, leading=1.4)
    sheet.paragraph_style("Source", "Source", Pt(8.5), before=3, after=10, leading=1.4)
    sheet.paragraph_style("Figure", "Figure", BODY_SIZE, align=center, before=6, keep_next=True)
    sheet.paragraph_style("Table Text", "TableText", Pt(9.5), leading=1.35)


def _page_and_footnote_styles(sheet: _StyleSheet) -> None:
    sheet.paragraph_style("header", "Header", Pt(8.5), align=WD_ALIGN_PARAGRAPH.CENTER)
    sheet.paragraph_style("footer", "Footer", Pt(9), align=WD_ALIGN_PARAGRAPH.CENTER)
    sheet.paragraph_style("footnote text", "FootnoteText", Pt(8.5), align=WD_ALIGN_PARAGRAPH.JUSTIFY, leading=1.45)
    mark = sheet.style("footnote reference", "FootnoteReference", WD_STYLE_TYPE.CHARACTER)
    mark.font.superscript = True


def _contents_styles(sheet: _StyleSheet) -> None:
    """Contents entries: the title, then dot leaders to the page number at the right margin."""
    width = sheet.doc.sections[0].page_width - sheet.doc.sections[0].left_margin - sheet.doc.sections[0].right_margin
    for level in (1, 2, 3):
        entry = sheet.paragraph_style(f"toc {level}", f"TOC{level}", BODY_SIZE, bold=level == 1,
                                      before=6 if level == 1 else 0, after=3, leading=1.4)
        entry.paragraph_format.left_indent = Pt(2 * BODY_SIZE.pt * (level - 1))
        entry.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


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


# The font table tells Word what a font is when the reader's machine lacks it: a Chinese
# (GB2312, charset 86) serif, so that Word for Mac draws a Song face (Songti SC) for SimSun.
FONT_ALIASES = {"SimSun": "宋体", "NSimSun": "新宋体", "SimHei": "黑体", "KaiTi": "楷体", "FangSong": "仿宋",
                "Microsoft YaHei": "微软雅黑", "DengXian": "等线"}


def _declare_fonts(doc, latin: str, cjk: str) -> None:
    """The fonts the styles name, in word/fontTable.xml (Times New Roman is there already)."""
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    table = parse_xml(part.blob)
    names = {font.get(qn("w:name")) for font in table.findall(qn("w:font"))}
    for name, chinese in ((latin, False), (cjk, True)):
        if name in names:
            continue
        alias = f'<w:altName w:val="{escape(FONT_ALIASES[name], QUOTE)}"/>' if name in FONT_ALIASES else ""
        charset = '<w:charset w:val="86"/>' if chinese else ""
        table.append(wml(f'<w:font w:name="{escape(name, QUOTE)}">{alias}{charset}'
                         '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'))
        names.add(name)
    part._blob = serialize_part_xml(table)


def _remove_child(parent, tag: str) -> None:
    child = parent.find(qn(tag))
    if child is not None:
        parent.remove(child)
