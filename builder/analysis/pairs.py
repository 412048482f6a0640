"""A chapter's zh.md and en.md as aligned pairs of blocks, read from the source text.

Blocks are headings, paragraphs, list items, quotes, figure/table fences and footnote
definitions (`[^id]: text`), each with its source lines (markdown-it's `.map`). They are
paired position by position. Where the two texts stop corresponding, the first
divergence is reported with file:line on both sides: a block in one language only (found
by skipping up to MAX_SKIP blocks on one side until the next blocks agree again), a
heading level, placeholders, a figure/table or a footnote count that differ in a pair.
A divergence that cannot be explained ends the comparison of the chapter, so that one
missing paragraph is one message, not one per paragraph after it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import jinja2

from builder.cache import Cache
from builder.readers.chapters import read_text
from builder.readers.markdown import markdown_parser
from builder.readers.templates import ENVIRONMENT

MAX_SKIP = 3      # blocks one language may have in a row that the other lacks
AGREE = 3         # blocks that must agree after such a gap
KIND_NAMES = {"heading": "heading", "paragraph": "paragraph", "item": "list item", "quote": "quote",
              "fence": "fence", "footnote": "footnote"}
JINJA_WORDS = {"if", "elif", "else", "endif", "for", "endfor", "in", "not", "and", "or", "is", "set",
               "endset", "true", "false", "none", "True", "False", "None", "loop", "with", "endwith",
               "macro", "endmacro", "call", "endcall", "filter", "endfilter", "recursive", "caller"}


@dataclass
class Block:
    kind: str               # heading | paragraph | item | quote | fence | footnote
    start: int              # first source line, 1-based
    end: int                # last source line
    text: str               # the block's source (markup and placeholders kept)
    level: int = 0          # heading level
    fence: str = ""         # "figure id" / "table id"
    notes: int = 0          # footnotes referenced
    names: frozenset = field(default_factory=frozenset)      # data the placeholders use
    declared: frozenset = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        if self.kind == "heading":
            return f"heading ({'#' * self.level})"
        return self.fence or KIND_NAMES[self.kind]

    def shape(self) -> tuple:
        return (self.kind, self.level, self.fence, self.names)


@dataclass
class ChapterPairs:
    chapter: str                         # chapter id
    pairs: list[tuple[Block, Block]]     # (zh, en)
    problems: list[str]                  # errors: the pair prints different data or sections
    gaps: list[str] = field(default_factory=list)   # warnings: a block in one language only


def read_blocks(text: str) -> list[Block]:
    """The blocks of one chapter file, in order."""
    tokens = markdown_parser().parse(text, {})
    blocks: list[Block] = []
    context: list[str] = []      # "item" / "quote" of the enclosing containers
    for i, tok in enumerate(tokens):
        if tok.type in ("list_item_open", "blockquote_open"):
            context.append("item" if tok.type == "list_item_open" else "quote")
        elif tok.type in ("list_item_close", "blockquote_close"):
            context.pop()
        elif tok.type == "footnote_block_open":
            blocks += _footnotes(tokens[i:])
            break
        elif tok.type == "inline" and tok.map and tokens[i - 1].type in ("heading_open", "paragraph_open"):
            opener = tokens[i - 1]
            kind = "heading" if opener.type == "heading_open" else (context[-1] if context else "paragraph")
            blocks.append(_block(kind, tok.map, tok.content, tok.children,
                                 int(opener.tag[1]) if kind == "heading" else 0))
        elif tok.type in ("fence", "code_block") and tok.map:
            info = tok.info.strip().split()
            fence = f"{info[0].strip('{}')} {info[1]}" if len(info) == 2 else tok.info.strip()
            block = _block("fence", tok.map, f"{tok.info.strip()}\n{tok.content}", [])
            block.fence = fence or "code"
            blocks.append(block)
    # A macro, loop variable or {% set %} of the file is not data.
    declared = {name for block in blocks for name in block.declared}
    for block in blocks:
        block.names = block.names - declared
    return blocks


def _block(kind: str, lines, text: str, children, level: int = 0) -> Block:
    notes = sum(1 for child in children or [] if child.type == "footnote_ref")
    used, declared = _names(text)
    return Block(kind, lines[0] + 1, lines[1], text, level, notes=notes, names=frozenset(used),
                 declared=frozenset(declared))


def _footnotes(tokens) -> list[Block]:
    """`[^id]: text` definitions (inline `^[text]` notes have no lines: they are part of
    their paragraph)."""
    blocks: list[Block] = []
    current: list = []
    for tok in tokens:
        if tok.type == "inline" and tok.map:
            current.append(tok)
        elif tok.type == "footnote_close" and current:
            text = "\n\n".join(t.content for t in current)
            blocks.append(_block("footnote", (current[0].map[0], current[-1].map[1]), text,
                                 [c for t in current for c in t.children or []]))
            current = []
    return blocks


def _names(text: str) -> tuple[set[str], set[str]]:
    """(names used, names declared: loop variables, {% set %}, macros and their
    parameters) of a block's placeholders. Jinja's lexer, not its parser: a block is a
    fragment (an {% if %} may end in a later block), and lexing is ten times faster."""
    if "{" not in text:
        return set(), set()
    try:
        tokens = [(kind, value) for _, kind, value in ENVIRONMENT.lex(text)]
    except jinja2.TemplateError:   # reported when the chapter is read
        return set(), set()
    used, declared, declaring = set(), set(), ""
    for i, (kind, value) in enumerate(tokens):
        if value in ("for", "set", "macro"):
            declaring = value
        elif declaring and (kind == "block_end" or value in ("in", "=") or
                            (declaring == "macro" and value == ")")):
            declaring = ""
        before = tokens[i - 1][1] if i else ""
        after = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if kind != "name" or before in (".", "|") or value in JINJA_WORDS:
            continue
        if declaring:
            declared.add(value)
        elif after != "=":   # not a keyword argument: each(a, b, unit="家")
            used.add(value)
    return used - set(ENVIRONMENT.globals), declared   # each(), fixed(), range(): not data


def chapter_pairs(root: Path, chapter: str, cache: Cache | None = None) -> ChapterPairs | None:
    """The chapter's pairs and problems; None when a file is missing (reading the chapter
    reports that). A file that cannot be read as text: its ContentError. Each text's
    blocks are kept in `cache`: a check after an edit reads the edited files only."""
    rel = f"content/chapters/{chapter}"
    try:
        texts = {lang: read_text(root, f"{rel}/{lang}.md") for lang in ("zh", "en")}
    except OSError:
        return None
    blocks = {lang: read_blocks(text) if cache is None else cache.memo("checks", ("blocks", text),
                                                                        partial(read_blocks, text))
              for lang, text in texts.items()}
    return align(blocks["zh"], blocks["en"], chapter)


def align(zh: list[Block], en: list[Block], chapter: str) -> ChapterPairs:
    where = Where(chapter)
    result = ChapterPairs(chapter, [], [])
    i = j = 0
    while i < len(zh) and j < len(en):
        a, b = zh[i], en[j]
        gap = None if a.shape() == b.shape() else _gap(zh, en, i, j)
        if gap is None and a.kind == b.kind:
            result.pairs.append((a, b))
            result.problems += where.differences(a, b)
            i, j = i + 1, j + 1
            continue
        if gap is None:
            result.gaps.append(where.stop(a, b))
            return result
        side, count = gap
        if side == "zh":
            result.gaps.append(where.alone("zh", zh[i:i + count], en, j))
            i += count
        else:
            result.gaps.append(where.alone("en", en[j:j + count], zh, i))
            j += count
    if i < len(zh):
        result.gaps.append(where.alone("zh", zh[i:], en, j))
    elif j < len(en):
        result.gaps.append(where.alone("en", en[j:], zh, i))
    return result


def _gap(zh: list[Block], en: list[Block], i: int, j: int) -> tuple[str, int] | None:
    """("zh", n) when skipping n blocks of zh from i makes the next blocks agree with en
    from j again (or ("en", n)); None when no gap of up to MAX_SKIP does. Blocks agree
    first by shape with their placeholders, then, where a pair's placeholders differ
    too, by kind alone up to the next heading or fence."""
    for loose in (False, True):
        for count in range(1, MAX_SKIP + 1):
            for side, mine, other, at, there in (("zh", zh, en, i, j), ("en", en, zh, j, i)):
                if _agrees(mine, other, at + count, there, loose):
                    return side, count
    return None


def _agrees(mine: list[Block], other: list[Block], a: int, b: int, loose: bool) -> bool:
    n = 0
    while a + n < len(mine) and b + n < len(other):
        x, y = mine[a + n], other[b + n]
        if (x.shape()[:3] != y.shape()[:3]) if loose else (x.shape() != y.shape()):
            return False
        n += 1
        if n == AGREE and not loose or loose and x.kind in ("heading", "fence"):
            return True
    return n > 0 and (not loose or (a + n == len(mine) and b + n == len(other)))


class Where:
    """The messages, naming file:line on both sides."""

    def __init__(self, chapter: str):
        self.folder = f"content/chapters/{chapter}"

    def differences(self, a: Block, b: Block) -> list[str]:
        here, there = f"{self.folder}/zh.md:{a.start}", f"en.md:{b.start}"
        problems = []
        if a.level != b.level:
            problems.append(f"{here}: heading level differs: {'#' * a.level} here, {'#' * b.level} at {there}")
        if a.fence != b.fence:
            problems.append(f"{here}: {a.fence} here, {b.fence} at {there}")
        if a.names != b.names:
            only = [f"{lang} only: {', '.join(sorted(names))}"
                    for lang, names in (("zh", a.names - b.names), ("en", b.names - a.names)) if names]
            problems.append(f"{here}: placeholders differ from {there}: {'; '.join(only)}")
        if a.notes != b.notes:
            problems.append(f"{here}: {a.notes} footnote(s) here, {b.notes} at {there}")
        return problems

    def alone(self, lang: str, blocks: list[Block], others: list[Block], at: int) -> str:
        other = "en" if lang == "zh" else "zh"
        first = blocks[0]
        what = first.label if len(blocks) == 1 else f"{len(blocks)} blocks from this {first.label} on"
        if at == 0:
            place = f"before {other}.md:{others[0].start}" if others else f"in the empty {other}.md"
        elif at < len(others):
            place = f"between {other}.md:{others[at - 1].start} and {other}.md:{others[at].start}"
        else:
            place = f"after {other}.md:{others[at - 1].start}, at the end"
        return f"{self.folder}/{lang}.md:{first.start}: {what} in {lang}.md only; its partner would be {place}"

    def stop(self, a: Block, b: Block) -> str:
        return (f"{self.folder}/zh.md:{a.start}: the texts stop corresponding here: {a.label} in zh.md, "
                f"{b.label} at en.md:{b.start}; the rest of the chapter is not compared")
