"""Typography per language, applied to every text of an edition before any writer sees
it, so the PDF and the DOCX print the same characters and the content types none of them.

English: curly quotes and apostrophes (“China’s”), en dashes in number ranges (2012–2016),
amounts in the scale a reader expects (0.1 billion yuan -> 100 million yuan; the values
of data are scaled where they are formatted, numbers.UNITS).
Chinese: one space between a Chinese character and a Latin letter or digit ("2019 年",
"AI 大学"), none between two Chinese characters or next to Chinese punctuation ("13 万个",
"（21%）"); small ranks in words (第 1 位 -> 第一位); year ranges with a dash (2019—2020).
Every rule gives the same text when applied again, so a text is never changed twice.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from decimal import Decimal

from builder.model import Chapter, Figure, Heading, Paragraph, Report, Run, Table
from builder.numbers import SCALES_EN, ordinal, scaled_en

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026"
LATIN = "A-Za-z0-9%"

# Chinese spacing, applied in this order.
ZH_SPACING = (
    (re.compile(f"(?<=[{HAN}{CJK_PUNCT}])[ \u00a0]+(?=[{HAN}{CJK_PUNCT}])"), ""),   # 13 万 个 -> 13 万个
    (re.compile(f"[ \u00a0]+(?=[{CJK_PUNCT}])"), ""),                             # 21% ） -> 21%）
    (re.compile(f"(?<=[{CJK_PUNCT}])[ \u00a0]+"), ""),                              # ， 2019 -> ，2019
    (re.compile(f"(?<=[{HAN}])(?=[{LATIN}])"), " "),                                 # 达1011 -> 达 1011
    (re.compile(f"(?<=[{LATIN}])(?=[{HAN}])"), " "),                                 # 1011家 -> 1011 家
)
ZH_RANK = re.compile(r"第\s*(\d{1,2})\s*(?=[位名])")          # 居全球第 1 位 -> 居全球第一位
SMALL_RANK = 10                                                 # up to 第十; 第 45 次 stays
YEAR_RANGE = re.compile(r"(?<![\w.])((?:1[89]|20)\d\d)\s*[-\u2013]\s*((?:1[89]|20)\d\d)(?![\w.])")
NUMBER_RANGE = re.compile(r"(?<![\w.,\-\u2013])(\d[\d,]*(?:\.\d+)?)-(\d[\d,]*(?:\.\d+)?)(?![\w\-])")
SCALE_WORDS = "|".join(word for word, _ in SCALES_EN)
AMOUNT = re.compile(rf"(?<![\w.,])(\d[\d,]*(?:\.\d+)?)(\s*[\u2013]\s*(\d[\d,]*(?:\.\d+)?))?\s+({SCALE_WORDS})\b")
OPENING = set(" \t\n\u00a0([{\u2018\u201c\u2013\u2014-/")


def en_quotes(text: str, before: str = " ") -> str:
    """Straight quotes to curly ones: opening after a space, bracket or dash (or at the
    start), closing or apostrophe elsewhere. `before`: the character before the text."""
    out = []
    for ch in text:
        if ch == '"':
            ch = "\u201c" if before in OPENING else "\u201d"
        elif ch == "'":
            ch = "\u2018" if before in OPENING else "\u2019"
        out.append(ch)
        before = ch
    return "".join(out)


def _range(match: re.Match) -> str:
    """2012-2016 -> 2012\u20132016, but not a number typed as a label's (Figure 1-3)."""
    if re.search(r"(Figure|Table|Chapter|No\.)\s*$", match.string[:match.start()]):
        return match[0]
    return f"{match[1]}\u2013{match[2]}"


def _amount(match: re.Match) -> str:
    """"0.1 billion" -> "100 million"; "0.1–1 billion" -> "100 million–1 billion"."""
    power = dict(SCALES_EN)[match[4]]
    low = Decimal(match[1].replace(",", "")) * Decimal(10) ** power
    if not match[2]:
        return scaled_en(low)
    high = Decimal(match[3].replace(",", "")) * Decimal(10) ** power
    low_text, high_text = scaled_en(low), scaled_en(high)
    if low_text.split()[-1] == high_text.split()[-1]:   # one scale: say it once
        low_text = low_text.rsplit(" ", 1)[0]
    return f"{low_text}\u2013{high_text}"


def en_text(text: str) -> str:
    """English rules that keep to one run: ranges and amounts (quotes: see en_quotes)."""
    text = NUMBER_RANGE.sub(_range, text)
    return AMOUNT.sub(_amount, text)


def zh_words(text: str) -> str:
    """Chinese rules that change words: small ranks in words."""
    return ZH_RANK.sub(lambda m: ordinal(int(m[1]), "zh") if 1 <= int(m[1]) <= SMALL_RANK else m[0], text)


def zh_marks(text: str) -> str:
    """Chinese rules that change only marks and spaces: quotes, year ranges, spacing."""
    if '"' in text:   # paired in turn: \u201c then \u201d
        parts = text.split('"')
        text = "".join(part + ("\u201c\u201d"[i % 2] if i + 1 < len(parts) else "") for i, part in enumerate(parts))
    text = YEAR_RANGE.sub("\\1\u2014\\2", text)
    for pattern, replacement in ZH_SPACING:
        text = pattern.sub(replacement, text)
    return text


# Per language: (rules that change words, applied run by run; rules that change only
# marks and spaces, applied across the runs of a paragraph).
RULES = {"zh": (zh_words, zh_marks), "en": (en_text, en_quotes)}


# The rules are pure functions of the text, and most texts come back unchanged from one
# build to the next (`report watch`) or from one edition to another (the bilingual book
# prints the others' texts): each is typeset once per process.
@functools.lru_cache(maxsize=1 << 16)
def typeset(text: str, lang: str) -> str:
    """One text (a title, a caption, a cell) in its language's typography."""
    words, marks = RULES[lang]
    return marks(words(text))


def typeset_runs(runs: list[Run], lang: str) -> None:
    """A paragraph's runs: the whole stretch between footnote marks is typeset as one text
    (a rule may meet a run's edge: a quote, a space before a bold word) and cut back into
    its runs, each keeping its own characters; cross-references keep their text."""
    stretch: list[Run] = []
    for run in runs + [None]:
        if run is None or run.footnote is not None:
            _typeset_stretch(stretch, lang)
            stretch = []
            if run is not None and not run.again:
                typeset_runs(run.footnote.runs, lang)
        else:
            stretch.append(run)


def _typeset_stretch(runs: list[Run], lang: str) -> None:
    for run, text in zip(runs, _typeset_texts(tuple((r.text, bool(r.ref)) for r in runs), lang)):
        if not run.ref:
            run.text = text


@functools.lru_cache(maxsize=1 << 16)
def _typeset_texts(pieces: tuple[tuple[str, bool], ...], lang: str) -> tuple[str, ...]:
    """(text, fixed) pieces typeset as one text, cut back into pieces (see _cut)."""
    words, marks = RULES[lang]
    texts = [text if fixed else words(text) for text, fixed in pieces]
    return tuple(_cut(marks("".join(texts)), texts, [fixed for _, fixed in pieces]))


def _cut(new: str, old: list[str], fixed: list[bool]) -> list[str]:
    """`new` (old joined, with quotes changed or spaces added and removed) cut into pieces
    holding the same non-space characters as each old text. Spaces between two pieces go
    with the one that had them before, never with a `fixed` one (a cross-reference keeps
    its text)."""
    pieces, j = [], 0
    for n, text in enumerate(old):
        start = j
        k = sum(1 for c in text if not c.isspace())
        while k and j < len(new):
            k -= not new[j].isspace()
            j += 1
        if n + 1 == len(old):
            pieces.append(new[start:])
            break
        end = j
        while end < len(new) and new[end].isspace():
            end += 1
        had = text[-1:].isspace() or old[n + 1][:1] == "" or not old[n + 1][:1].isspace()
        if not fixed[n] and (fixed[n + 1] or had):
            j = end   # the spaces stay at this piece's end
        pieces.append(new[start:j])
    return pieces


def _block(block, lang: str):
    if isinstance(block, Paragraph):
        typeset_runs(block.runs, block.lang)
    elif isinstance(block, Heading):
        block.text = typeset(block.text, block.lang)
    elif isinstance(block, Figure):
        for name in ("caption", "source", "note"):
            setattr(block, name, typeset(getattr(block, name), block.lang))
        block.chart = _chart(block.chart)
    elif isinstance(block, Table):
        block.caption, block.source = typeset(block.caption, block.lang), typeset(block.source, block.lang)
        block.header = [typeset(t, block.lang) for t in block.header]
        block.rows = [[typeset(t, block.lang) for t in row] for row in block.rows]
    return block


def _chart(spec):
    lang = spec.lang
    return dataclasses.replace(
        spec, categories=[typeset(c, lang) for c in spec.categories],
        series=[(typeset(name, lang), values) for name, values in spec.series],
        axis_label=typeset(spec.axis_label, lang), category_label=typeset(spec.category_label, lang))


def _chapter(chapter: Chapter) -> None:
    chapter.heading.text = typeset(chapter.heading.text, chapter.heading.lang)
    for block in chapter.blocks:
        _block(block, chapter.lang)


def apply_typography(report: Report) -> Report:
    """Every text of the edition in its language's typography (in place; returned)."""
    for cover in report.covers:
        for name in ("title", "subtitle", "date", "institute"):
            setattr(cover, name, typeset(getattr(cover, name), cover.lang))
    report.contents_titles = [typeset(t, lang) for t, lang in zip(report.contents_titles, report.langs)]
    report.running_titles = {lang: typeset(t, lang) for lang, t in report.running_titles.items()}
    for chapter in report.front + report.chapters:
        _chapter(chapter)
    return report
