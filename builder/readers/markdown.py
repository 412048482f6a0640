"""Reads one chapter file (Markdown with placeholders) into model blocks.

Placeholders are filled first (Jinja keeps line numbers), then markdown-it-py parses
the text. Footnotes are written inline where they are referenced: `^[note text]`.
Figures and tables are fenced blocks naming a definition in the chapter's
figures.toml:  ```{figure} firms_by_region```  /  ```{table} universities```.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from builder.errors import ContentError
from builder.model import Footnote, Heading, Paragraph, Run


def markdown_parser() -> MarkdownIt:
    # Raw HTML and entities stay literal text: content is text, never markup.
    return (MarkdownIt("commonmark").use(footnote_plugin)
            .disable(["html_block", "html_inline", "entity"]))


@dataclass
class Fence:
    """A ```{figure} id``` or ```{table} id``` block, resolved by the caller."""
    kind: str
    id: str
    line: int


@dataclass
class ParsedChapter:
    title: str
    blocks: list            # Heading | Paragraph | Fence
    file: str
    footnote_count: int = 0
    fences: list[Fence] = field(default_factory=list)


# Layout cost grows faster than linearly with paragraph length in reportlab; a limit
# keeps every build bounded in time. Real report paragraphs are under 2,000 characters.
MAX_PARAGRAPH_CHARS = 20_000


def parse_chapter(text: str, lang: str, file: str) -> ParsedChapter:
    """Markdown (placeholders already filled) -> headings, paragraphs and fences."""
    env: dict = {}
    tokens = markdown_parser().parse(text, env)
    reader = _BlockReader(lang, file, env.get("footnotes", {}).get("list", {}))
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "footnote_block_open":
            break  # the notes' own copies, at the end; they were taken at their references
        line = tok.map[0] + 1 if tok.map else None
        if tok.type == "heading_open":
            reader.heading(int(tok.tag[1]), tokens[i + 1], line)
            i += 3
            continue
        if tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
            reader.paragraph(tok, line)
        elif tok.type in _BlockReader.TOKENS:
            getattr(reader, _BlockReader.TOKENS[tok.type])(tok, line)
        i += 1
    if reader.title is None:
        raise ContentError("the chapter has no '# title' line", file, 1)
    parsed = ParsedChapter(reader.title, reader.blocks, file, len(reader.footnotes))
    parsed.fences = [b for b in reader.blocks if isinstance(b, Fence)]
    return parsed


class _BlockReader:
    """Blocks from markdown-it's token stream, one method per kind of token."""
    TOKENS = {"bullet_list_open": "list_open", "ordered_list_open": "list_open",
              "bullet_list_close": "list_close", "ordered_list_close": "list_close",
              "blockquote_open": "quote_open", "blockquote_close": "quote_close",
              "fence": "fence", "code_block": "fence",
              "hr": "refuse", "html_block": "refuse", "table_open": "refuse"}

    def __init__(self, lang: str, file: str, notes: dict):
        self.lang, self.file, self.notes = lang, file, notes
        self.footnotes: dict[int, Footnote] = {}
        self.title: str | None = None
        self.blocks: list = []
        self.lists: list[list] = []          # [ordered, counter] of each open list
        self.style = "body"

    def heading(self, level: int, inline, line: int | None) -> None:
        text = _plain(inline.children or [], self.lang)
        if self.title is None and level > 1:
            raise ContentError("a chapter starts with its '# title' line", self.file, line)
        if level == 1:
            if self.title is not None or self.blocks:
                raise ContentError("only one '# title' line, at the top of the chapter", self.file, line)
            self.title = text
        elif level > 3:
            raise ContentError("headings go down to ### only", self.file, line)
        else:
            self.blocks.append(Heading(level, "", text, self.lang, ""))

    def paragraph(self, tok, line: int | None) -> None:
        if self.title is None:
            raise ContentError("a chapter starts with its '# title' line", self.file, line)
        runs = _runs(tok.children or [], self.lang, self.notes, self.footnotes, self.file, line)
        bullet, style = "", self.style
        if self.lists:
            ordered, counter = self.lists[-1]
            bullet = f"{counter}." if ordered else "•"
            self.lists[-1][1] += 1
            style = "list"
        paragraph = Paragraph(runs, self.lang, style, bullet)
        if len(paragraph.text) > MAX_PARAGRAPH_CHARS:
            raise ContentError(f"paragraph of {len(paragraph.text)} characters: the limit is "
                               f"{MAX_PARAGRAPH_CHARS}; split it into several", self.file, line)
        self.blocks.append(paragraph)

    def list_open(self, tok, line) -> None:
        self.lists.append([tok.type == "ordered_list_open", int(tok.attrs.get("start", 1) or 1)])

    def list_close(self, tok, line) -> None:
        self.lists.pop()

    def quote_open(self, tok, line) -> None:
        self.style = "quote"

    def quote_close(self, tok, line) -> None:
        self.style = "body"

    def fence(self, tok, line: int | None) -> None:
        info = tok.info.strip().split()
        if tok.type == "code_block" or len(info) != 2 or info[0] not in ("{figure}", "{table}"):
            raise ContentError("a fenced block must be ```{figure} id``` or ```{table} id```"
                               " (indented text is read as code: remove the indent)", self.file, line)
        self.blocks.append(Fence(info[0][1:-1], info[1], line))

    def refuse(self, tok, line: int | None) -> None:
        raise ContentError(f"{tok.type} is not supported in report content", self.file, line)


def _plain(children, lang: str) -> str:
    return "".join(r.text for r in _runs(children, lang, {}, {}, "", None))


def _runs(children, lang: str, notes: dict, footnotes: dict[int, Footnote], file: str,
          line: int | None) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            runs.append(Run(child.content, bold, italic))
        elif kind == "softbreak":
            # A line break inside a paragraph is a space in English, nothing in Chinese.
            runs.append(Run(" " if lang == "en" else "", bold, italic))
        elif kind == "hardbreak":
            runs.append(Run("\n", bold, italic))
        elif kind in ("strong_open", "strong_close"):
            bold = kind == "strong_open"
        elif kind in ("em_open", "em_close"):
            italic = kind == "em_open"
        elif kind == "footnote_ref":
            ident = child.meta["id"]
            note = notes.get(ident)
            if note is None or "tokens" not in note:
                raise ContentError("footnotes are written inline where they are referenced: ^[text]",
                                   file, line)
            footnote = Footnote(len(footnotes) + 1, _runs(note["tokens"], lang, {}, {}, file, line))
            footnotes[ident] = footnote
            runs.append(Run(footnote=footnote))
        elif kind == "image":
            raise ContentError("images are not placed in text: draw charts with ```{figure} id```",
                               file, line)
        elif kind in ("link_open", "link_close"):
            continue  # keep the link text; reports are printed, targets are not followed
        else:
            raise ContentError(f"unsupported inline markup: {kind}", file, line)
    return [r for r in runs if r.text or r.footnote]
