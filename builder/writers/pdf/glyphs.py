"""Which characters the PDF's fonts carry, and how its text is encoded in them.

Parts are laid out with fonts of their own characters (parts.py); the file embeds each
font once, with the characters of all its parts in sorted order, and the parts' text is
re-encoded for it when they are assembled. The same parts give the same file, whether
they were laid out now or taken from the cache.
"""
from __future__ import annotations

import codecs
import io
import re

from reportlab.pdfbase import pdfmetrics

from builder.media.charts import chart_texts
from builder.model import Figure, Heading, Paragraph, Report, Table
from builder.words import BILINGUAL_SEP
from builder.writers import handler
from builder.writers.pdf.text import CJK, CJK_BOLD, LATIN, LATIN_BOLD


def _heading_texts(block: Heading) -> tuple[list[str], list[str]]:
    return [], [block.full_text]


def _paragraph_texts(block: Paragraph) -> tuple[list[str], list[str]]:
    runs = [*block.runs, *(r for n in block.footnotes for r in n.runs)]
    return [block.bullet, *(r.text for r in runs if not r.bold)], [r.text for r in runs if r.bold]


def _figure_texts(block: Figure) -> tuple[list[str], list[str]]:
    return [block.caption, block.note, block.source, *chart_texts(block.chart)], [block.label]


def _table_texts(block: Table) -> tuple[list[str], list[str]]:
    return [block.caption, block.source, *(c for row in block.rows for c in row)], [block.label, *block.header]


# block type -> (texts printed in regular, texts printed in bold) of such a block
BLOCK_TEXTS = {Heading: _heading_texts, Paragraph: _paragraph_texts, Figure: _figure_texts, Table: _table_texts}


def pdf_characters(report: Report) -> tuple[set[str], set[str]]:
    """The characters the PDF prints: (all of them, those printed in bold)."""
    texts = [*report.contents_titles, " / ", "0123456789ivxlcdm. "]
    texts += [report.running_titles.get(lang, "") for lang in report.langs] + [report.draft]
    bold = [*report.contents_titles, " / ", "0123456789. "]   # the contents' heading and chapter entries
    texts += [BILINGUAL_SEP] * bool(report.layout)   # the bilingual book's paired lines (bold: chapters)
    bold += [BILINGUAL_SEP] * bool(report.layout)
    for cover in report.covers:
        texts += [cover.subtitle, cover.date, cover.institute]   # (the institute is also in
        bold += [cover.title, cover.institute]                   # an extract's title block)
    for block in report.title_blocks:
        texts += [block.kicker, block.edition, block.institute, block.note]
        bold += [block.title, *block.chapters]
    for chapter in [*report.front, *report.chapters]:
        bold.append(chapter.heading.full_text)
        for block in chapter.blocks:
            regular, strong = handler(BLOCK_TEXTS, block, "pdf")(block)
            texts += regular
            bold += strong
    bold_chars = set("".join(bold))
    return set("".join(texts)) | bold_chars, bold_chars


FONT_ORDER = (LATIN, LATIN_BOLD, CJK, CJK_BOLD)


def file_encoding(used: dict[str, set[str]]) -> dict[str, dict[int, int]]:
    """For each font (name -> the characters the file prints in it), code point -> n: the
    character is byte n & 0xFF of subset n >> 8. In sorted order, every subset's code 0
    left to the missing glyph and code 32 a space (word spacing widens code 32), so the
    codes depend only on the set of characters."""
    codes = {}
    for name in FONT_ORDER:
        if used.get(name):
            assigned, n = {32: 32}, 1
            for cp in sorted(ord(c) for c in used[name] if c not in "\0 "):
                while n & 0xFF in (0, 32):
                    n += 1
                assigned[cp] = n
                n += 1
            codes[name] = assigned
    return codes


def _subsets(assigned: dict[int, int]) -> list[list[int]]:
    flat = [0] * (max(assigned.values()) + 1)
    for cp, n in assigned.items():
        flat[n] = cp
    for n in range(32, len(flat), 256):
        flat[n] = 32
    return [flat[i:i + 256] for i in range(0, len(flat), 256)]


def font_objects(codes: dict[str, dict[int, int]]) -> bytes:
    """A PDF of one empty page with reportlab's font objects for `codes` (file_encoding;
    the fonts registered): font resource Fk+n is subset n of the k-th font of FONT_ORDER
    that `codes` has (see resource_names)."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1, initialFontName=LATIN)
    doc = canvas._doc
    for name in resource_names(codes):
        font = pdfmetrics.getFont(name)
        state = font._assignState(doc)
        state.assignments, state.subsets = dict(codes[name]), _subsets(codes[name])
        state.nextCode = max(codes[name].values()) + 1
        font.getSubsetInternalName(0, doc)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def resource_names(codes: dict[str, dict[int, int]]) -> dict[str, str]:
    """Font name -> its resource name in the file ("F1", "F2"...)."""
    return {name: f"F{k}" for k, name in enumerate((n for n in FONT_ORDER if n in codes), 1)}


# Each byte as reportlab's escapePDF writes it in a string: \ooo outside printable
# ASCII, \( \) \\ escaped, the rest itself (escapePDF takes a Python step per byte).
_ESCAPED = [b"\\%03o" % c if c < 32 or c >= 127 else b"\\" + bytes([c]) if c in b"\\()" else bytes([c])
            for c in range(256)]
_RUNS = re.compile(rb"(.)\1*", re.S)   # a run of one byte value
_TEXT = re.compile(rb"/(F\d+)\+(\d+) (\S+) Tf|\(((?:[^\\()]|\\.)*)\)", re.S)


def _unescape(text: bytes) -> bytes:
    """A string as reportlab escapes it (escapePDF: \\ooo, \\(, \\), \\\\) read back."""
    return codecs.escape_decode(text.replace(b"\\(", b"(").replace(b"\\)", b")"))[0]


def _tables(subset: str, assigned: dict[int, int]) -> tuple[bytes, bytes]:
    """For the bytes of a part's subset: the file's subset of each, and its code there."""
    codes = [assigned.get(ord(c), 0) for c in subset] + [0] * (256 - len(subset))
    return bytes(n >> 8 for n in codes), bytes(n & 0xFF for n in codes)


def reencode(stream: bytes, local: dict[str, tuple[str, list[str]]], codes: dict[str, dict[int, int]],
             names: dict[str, str], tables: dict) -> bytes:
    """A part's content stream with its text in the file's encoding: `local` is the part's
    (Part.fonts), `codes` the file's (file_encoding), `names` font name -> the file's
    resource name ("F3"). reportlab writes every string as "(...) Tj" after the font's
    "/F3+0 10.5 Tf": each string becomes one per subset of the file, each after its Tf.
    `tables`: kept from one stream of the part to the next."""
    out, pos, font, size, emitted = [], 0, b"", b"", None
    for m in _TEXT.finditer(stream):
        out.append(stream[pos:m.start()])
        pos = m.end()
        if m[1] is not None:
            if (m[1], m[2]) not in tables:
                name, subsets = local[m[1].decode()]
                tables[m[1], m[2]] = (names[name].encode(), *_tables(subsets[int(m[2])], codes[name]))
            (font, high, low), size, emitted = tables[m[1], m[2]], m[3], None
            continue
        if not font:   # (no text before a font is chosen)
            out.append(m[0])
            continue
        raw = _unescape(m[4]) if b"\\" in m[4] else m[4]
        subsets, text = raw.translate(high), raw.translate(low)
        if subsets and subsets.count(subsets[:1]) == len(subsets):
            runs = [(subsets[0], text)]
        else:   # the glyphs of each subset of the file, in turn
            runs = [(run[0][0], text[run.start():run.end()]) for run in _RUNS.finditer(subsets)] or [(0, b"")]
        shown = []
        for k, part in runs:
            font_change = b"/%s+%d %s Tf " % (font, k, size) if k != emitted else b""
            emitted = k
            shown.append(font_change + b"(" + b"".join(map(_ESCAPED.__getitem__, part)) + b")")
        out.append(b" Tj ".join(shown))
    out.append(stream[pos:])
    return b"".join(out)
