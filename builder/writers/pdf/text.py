"""Text for the PDF writer: font registration, inline markup, paragraph styles, and a
paragraph class whose Chinese line breaking follows the kinsoku rules (linebreak.py).

Every text run is cut into CJK / non-CJK stretches, each wrapped in <font name=...>, so
Chinese is drawn with the CJK font and Latin letters and digits with the Latin font in
every edition.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import _handleBulletWidth

from builder.fonts import FontFiles, is_cjk
from builder.model import Run, Theme
from builder.writers.pdf.linebreak import CJKText, Glyphs, cjk_lines, forget_widths

CJK, CJK_BOLD, LATIN, LATIN_BOLD = "CJK", "CJK-Bold", "Latin", "Latin-Bold"



def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """`text` for reportlab's markup (xml.sax.saxutils.escape, whose import costs more
    than the rest of this module)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char, entity in (entities or {}).items():
        text = text.replace(char, entity)
    return text


def register_fonts(fonts: FontFiles) -> None:
    """Register the four TrueType files under fixed names.

    reportlab keeps the first font registered under a name, and reuses the first font
    seen with the same internal face name: a later build in the same process with a
    different CJK subset would silently draw from the old subset (boxes for new
    characters). So a name whose file changed is dropped from its registries first.
    A bold face drawn from the regular face's file is that same font under both names
    (two fonts of one file would embed two subsets of one name)."""
    for name, path in ((CJK, fonts.cjk_regular), (CJK_BOLD, fonts.cjk_bold),
                       (LATIN, fonts.latin_regular), (LATIN_BOLD, fonts.latin_bold)):
        old = pdfmetrics._fonts.get(name)
        if old is not None and getattr(old.face, "filename", None) == str(path):
            continue   # (reading a font file again takes 10-40 ms)
        forget_widths()   # measured in the font this name had
        regular = pdfmetrics._fonts.get(name.removesuffix("-Bold"))
        if name.endswith("-Bold") and getattr(getattr(regular, "face", None), "filename", None) == str(path):
            pdfmetrics._fonts[name] = regular
            continue
        font = TTFont(name, str(path))
        pdfmetrics._fonts.pop(name, None)
        pdfmetrics._dynFaceNames.pop(font.face.name, None)
        pdfmetrics.registerFont(font)
    # No italic faces are supplied: italic falls back to upright rather than failing.
    pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK_BOLD, italic=CJK, boldItalic=CJK_BOLD)
    pdfmetrics.registerFontFamily(LATIN, normal=LATIN, bold=LATIN_BOLD, italic=LATIN,
                                  boldItalic=LATIN_BOLD)


def text_markup(text: str, bold: bool = False) -> str:
    """Escaped paragraph markup for plain text, each CJK / non-CJK stretch in its own font."""
    out = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or is_cjk(text[i]) != is_cjk(text[start]):
            cjk = is_cjk(text[start])
            font = (CJK_BOLD if bold else CJK) if cjk else (LATIN_BOLD if bold else LATIN)
            out.append(f'<font name="{font}">{escape(text[start:i])}</font>')
            start = i
    return "".join(out)


def note_mark(number: int) -> str:
    return f'<super><font name="{LATIN}">{number}</font></super>'


def runs_markup(runs: list[Run]) -> str:
    """Markup for a paragraph's runs; footnote runs become superscript numbers, and
    cross-references links to their target (assemble.py drops a link to a target that is
    not in the file: a chapter an extract leaves out)."""
    out = []
    for i, run in enumerate(runs):
        if run.footnote:
            out.append(note_mark(run.footnote.number))
        elif run.ref and run.ref.anchor:
            out.append(f'<a href="#{escape(run.ref.anchor, {chr(34): "&quot;"})}">'
                       f'{text_markup(run.text, run.bold)}</a>')
        else:
            text = run.text
            if i + 1 < len(runs) and runs[i + 1].footnote:
                text = text.rstrip()  # the mark belongs to the word before it, never alone
            out.append(text_markup(text, run.bold))
    return "".join(out)


def nonspace_len(text: str) -> int:
    """Length without whitespace: stable across line breaking, which drops or adds spaces."""
    return sum(1 for c in text if not c.isspace())


# (markup, style, bullet) -> (the markup as reportlab cleans it, its fragments), of this
# process: `report watch` lays an edited chapter out again, most of its paragraphs as
# they were, and parsing markup is a fifth of a chapter's layout.
_PARSED: dict[tuple, tuple[str, list]] = {}
_STYLE_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _style_key(style: ParagraphStyle) -> str:
    """What a style is (every attribute bar its parent, whose own are copied in): the
    styles are made anew for each layout."""
    if style not in _STYLE_KEYS:
        _STYLE_KEYS[style] = repr(sorted((k, v) for k, v in style.__dict__.items() if k != "parent"))
    return _STYLE_KEYS[style]


class TextParagraph(Paragraph):
    """A Paragraph whose CJK wrapping uses cjk_lines and justifies by character spacing."""

    def _setup(self, text, style, bulletText, frags, cleaner):
        """reportlab's, with each markup's parse in each style kept (see _PARSED). The
        fragments are copies: a paragraph changes its own as it is laid out."""
        if frags is not None or not isinstance(bulletText, (str, type(None))):
            return super()._setup(text, style, bulletText, frags, cleaner)
        key = (text, _style_key(style), bulletText)
        if key in _PARSED:
            cleaned, kept = _PARSED[key]
            return super()._setup(cleaned, style, bulletText, [f.clone() for f in kept], cleaner)
        super()._setup(text, style, bulletText, None, cleaner)
        if self.style is style and self.bulletText is bulletText:   # (not changed by <para> or <bullet>)
            if len(_PARSED) >= 20_000:   # (a few KB each; a report has a few thousand)
                _PARSED.clear()
            _PARSED[key] = (self.text, [f.clone() for f in self.frags])

    def breakLinesCJK(self, maxWidths):
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara  # a split part keeps the lines it was cut from
        self.height = 0
        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        known = self.__dict__.get("_glyphs")
        if known is None or known[0] is not self.frags:
            known = self._glyphs = (self.frags, Glyphs.of(self.frags))
        return cjk_lines(known[1], maxWidths, auto not in ("", "off"))

    def beginText(self, x, y):
        if self.style.wordWrap == "CJK":
            return CJKText(self.canv, x, y)
        return self.canv.beginText(x, y)


@dataclass(frozen=True)
class Sizes:
    body_zh: float = 10.5      # 五号
    body_en: float = 11
    note: float = 8.5
    table: float = 9.5
    caption: float = 10
    source: float = 8.5
    h1: float = 20
    h2: float = 14.5
    h3: float = 12
    header: float = 8.5


SIZES = Sizes()
INK = colors.HexColor("#1a1a1a")


class Styles(dict):
    """Paragraph styles keyed by (name, lang), and the theme (model.Theme) they follow:
    its colours as reportlab colours."""

    def __init__(self, theme: Theme):
        super().__init__()
        self.theme = theme
        self.accent = colors.HexColor(theme.accent_color)
        self.cover_text = colors.HexColor(theme.cover_text_color)


def make_styles(theme: Theme = Theme(), tight: bool = False) -> Styles:
    """Paragraph styles keyed by (name, lang), in the theme's colours. `tight`: less space
    between paragraphs and around headings, to pull a chapter's last line or two back
    onto the page before (parts.py)."""
    styles = Styles(theme)
    gap = 0.4 if tight else 1.0
    for lang in ("zh", "en"):
        zh = lang == "zh"
        size = SIZES.body_zh if zh else SIZES.body_en
        base = ParagraphStyle(
            f"body-{lang}", fontName=CJK if zh else LATIN, fontSize=size,
            leading=size * (1.7 if zh else 1.4), alignment=TA_JUSTIFY, textColor=INK,
            wordWrap="CJK" if zh else None, firstLineIndent=2 * size if zh else 0,
            spaceAfter=size * (0.25 if zh else 0.5) * gap, allowWidows=0, allowOrphans=0,
            bulletFontName=LATIN)
        styles["body", lang] = base
        styles["list", lang] = ParagraphStyle(
            f"list-{lang}", parent=base, firstLineIndent=0, leftIndent=2 * size,
            bulletIndent=0.6 * size, spaceAfter=size * 0.2)
        styles["quote", lang] = ParagraphStyle(
            f"quote-{lang}", parent=base, firstLineIndent=0, leftIndent=2 * size,
            rightIndent=2 * size, fontSize=size - 0.5, textColor=colors.HexColor("#333333"))
        styles["note", lang] = ParagraphStyle(
            f"note-{lang}", parent=base, firstLineIndent=0, fontSize=size - 1.5,
            leading=(size - 1.5) * 1.5)
        styles["footnote", lang] = ParagraphStyle(
            f"footnote-{lang}", parent=base, fontSize=SIZES.note, leading=SIZES.note * 1.45,
            firstLineIndent=0, leftIndent=0, spaceAfter=0, alignment=TA_JUSTIFY if zh else TA_LEFT,
            allowWidows=1, allowOrphans=1)
        for level, hsize, before, after in ((1, SIZES.h1, 0, 22), (2, SIZES.h2, 14, 8),
                                             (3, SIZES.h3, 10, 6)):
            styles[f"h{level}", lang] = ParagraphStyle(
                f"h{level}-{lang}", parent=base, fontName=CJK_BOLD if zh else LATIN_BOLD,
                fontSize=hsize, leading=hsize * 1.35, firstLineIndent=0, alignment=TA_LEFT,
                spaceBefore=before * (gap + 1) / 2, spaceAfter=after * (gap + 1) / 2, keepWithNext=1,
                textColor=styles.accent if level < 3 else INK)
        styles["caption", lang] = ParagraphStyle(
            f"caption-{lang}", parent=base, fontSize=SIZES.caption, leading=SIZES.caption * 1.4,
            firstLineIndent=0, alignment=TA_CENTER, spaceBefore=4, spaceAfter=2)
        styles["source", lang] = ParagraphStyle(
            f"source-{lang}", parent=base, fontSize=SIZES.source, leading=SIZES.source * 1.4,
            firstLineIndent=0, alignment=TA_LEFT, spaceBefore=3, spaceAfter=10,
            textColor=colors.HexColor("#444444"))
        for align, enum in (("left", TA_LEFT), ("right", TA_RIGHT)):
            styles[f"cell-{align}", lang] = ParagraphStyle(
                f"cell-{align}-{lang}", parent=base, fontSize=SIZES.table,
                leading=SIZES.table * 1.35, firstLineIndent=0, spaceAfter=0, alignment=enum,
                allowWidows=1, allowOrphans=1)
        styles["header", lang] = ParagraphStyle(
            f"header-{lang}", parent=base, fontSize=SIZES.header, leading=SIZES.header * 1.2,
            firstLineIndent=0, alignment=TA_LEFT, textColor=colors.HexColor("#555555"),
            spaceAfter=0)
    return styles


def break_positions(paragraph: Paragraph) -> list[str]:
    """The text of each laid-out line (after wrap()): for tests and debugging."""
    out = []
    for line in paragraph.blPara.lines:
        words = getattr(line, "words", None)
        if words is None:  # simple (kind 0) line: (space, [words])
            out.append(" ".join(line[1]))
        else:
            out.append("".join(getattr(w, "text", "") for w in words))
    return out

