"""Reads one chapter file (Markdown with placeholders) into model blocks.

Placeholders are filled first (Jinja keeps line numbers), then markdown-it-py parses
the text. Footnotes are written inline where they are referenced, `^[note text]`, or
cited by name, `[^name]`, with the note's text anywhere in the file: `[^name]: text`
(cited twice, one note: later citations print its number). `{numref}`id`` refers to a
figure, table or chapter; the crossrefs transform prints its number.
Figures and tables are fenced blocks naming a definition in the chapter's
figures.toml:  ```{figure} firms_by_region```  /  ```{table} universities```.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from builder.errors import ContentError
from builder.model import Footnote, Heading, Paragraph, Ref, Run


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
# Each note takes at least a line at the foot of the page the paragraph ends on, and
# laying out a paragraph with hundreds of them would take minutes before failing.
MAX_PARAGRAPH_NOTES = 100
MAX_DEPTH = 4

NUMREF = "{numref}"
NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.M)
CITATION = re.compile(r"\[\^([^\]\s]*)\]")   # left as text by the parser: no such note


def parse_chapter(text: str, lang: str, file: str) -> ParsedChapter:
    """Markdown (placeholders already filled) -> headings, paragraphs and fences."""
    env: dict = {}
    tokens = markdown_parser().parse(text, env)
    reader = _BlockReader(lang, file, _note_texts(tokens, env))
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
    _check_definitions(text, env, file)
    parsed = ParsedChapter(reader.title, reader.blocks, file, len(reader.footnotes))
    parsed.fences = [b for b in reader.blocks if isinstance(b, Fence)]
    return parsed


def _note_texts(tokens, env: dict) -> dict[int, tuple[list, int | None]]:
    """Each note's inline tokens and line, by the parser's note id: ^[…] notes are in
    `env`, the text of [^name]: … definitions in the footnote block at the end."""
    listed = env.get("footnotes", {}).get("list", {})
    notes = {i: (n["tokens"], None) for i, n in listed.items() if "tokens" in n}
    texts: dict[int, list] = {}
    lines: dict[int, int | None] = {}
    current = None
    for tok in tokens:
        if tok.type in ("footnote_open", "footnote_close"):
            named = tok.type == "footnote_open" and tok.meta["id"] not in notes
            current = tok.meta["id"] if named else None
        elif current is not None and tok.type == "paragraph_open":
            lines.setdefault(current, tok.map[0] + 1 if tok.map else None)
            if texts.get(current):   # a note's next paragraph: a line break
                texts[current].append(Token("softbreak", "", 0))
        elif current is not None and tok.type == "inline":
            texts.setdefault(current, []).extend(tok.children or [])
    notes.update({i: (children, lines.get(i)) for i, children in texts.items()})
    return notes


def _check_definitions(text: str, env: dict, file: str) -> None:
    """A [^name]: definition is cited, and defined once."""
    refs = env.get("footnotes", {}).get("refs", {})
    seen: dict[str, int] = {}
    for m in NOTE_DEFINITION.finditer(text):
        label, line = m.group(1), text.count("\n", 0, m.start()) + 1
        if label in seen:
            raise ContentError(f"footnote [^{label}] is defined twice (first on line {seen[label]})", file, line)
        seen[label] = line
        if refs.get(f":{label}", -1) < 0:
            raise ContentError(f"footnote [^{label}] is never cited: cite it as [^{label}] or remove it",
                               file, line)


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
        self.depth = 0                       # lists and quotes open
        self.style = "body"

    def heading(self, level: int, inline, line: int | None) -> None:
        runs = _runs(inline.children or [], self.lang, self.notes, {}, self.file, line)
        if any(r.ref or r.footnote for r in runs):
            raise ContentError("a heading holds neither footnotes nor {numref}: put them in the text",
                               self.file, line)
        text = "".join(r.text for r in runs)
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
        paragraph = Paragraph(runs, self.lang, style, bullet, line)
        if len(paragraph.text) > MAX_PARAGRAPH_CHARS:
            raise ContentError(f"paragraph of {len(paragraph.text)} characters: the limit is "
                               f"{MAX_PARAGRAPH_CHARS}; split it into several", self.file, line)
        notes = sum(1 for r in runs if r.footnote and not r.again)
        if notes > MAX_PARAGRAPH_NOTES:
            raise ContentError(f"paragraph with {notes} footnotes: no page holds more than "
                               f"{MAX_PARAGRAPH_NOTES} under one paragraph; split it", self.file, line)
        self.blocks.append(paragraph)

    def list_open(self, tok, line) -> None:
        self._deeper(line)
        self.lists.append([tok.type == "ordered_list_open", int(tok.attrs.get("start", 1) or 1)])

    def _deeper(self, line: int | None) -> None:
        """Lists and quotes nest at most MAX_DEPTH deep (the parser drops text deeper than
        20 levels without a word)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ContentError(f"lists and quotes nest more than {MAX_DEPTH} deep here: the writers print "
                               f"{MAX_DEPTH} levels at most", self.file, line)

    def list_close(self, tok, line) -> None:
        self.lists.pop()
        self.depth -= 1

    def quote_open(self, tok, line) -> None:
        self._deeper(line)
        self.style = "quote"

    def quote_close(self, tok, line) -> None:
        self.depth -= 1
        self.style = "body"

    def fence(self, tok, line: int | None) -> None:
        info = tok.info.strip().split()
        if tok.type == "code_block" or len(info) != 2 or info[0] not in ("{figure}", "{table}"):
            raise ContentError("a fenced block must be ```{figure} id``` or ```{table} id```"
                               " (indented text is read as code: remove the indent)", self.file, line)
        if tok.content.strip():   # figures.toml defines it: any text here would be lost
            raise ContentError(f"```{info[0]} {info[1]}``` holds no text: close it with ``` on the next "
                               "line (is the closing ``` missing?)", self.file, line)
        self.blocks.append(Fence(info[0][1:-1], info[1], line))

    def refuse(self, tok, line: int | None) -> None:
        raise ContentError(f"{tok.type} is not supported in report content", self.file, line)


def _runs(children, lang: str, notes: dict | None, cited: dict[int, Footnote], file: str,
          line: int | None) -> list[Run]:
    """Runs of one paragraph's inline tokens; `line`: the paragraph's first line, counted
    on at each line break so that errors name the line of their text."""
    runs: list[Run] = []
    bold = italic = False
    for child in children:
        kind = child.type
        if kind == "text":
            _no_lost_citation(child.content, file, line)
            runs.append(Run(child.content, bold, italic))
        elif kind == "code_inline" and runs and runs[-1].text.endswith(NUMREF):
            runs[-1].text = runs[-1].text[:-len(NUMREF)]
            runs.append(Run(bold=bold, italic=italic, ref=Ref(child.content.strip(), file, line)))
        elif kind == "code_inline":
            runs.append(Run(child.content, bold, italic))
        elif kind in ("softbreak", "hardbreak"):
            # A line break inside a paragraph is a space in English, nothing in Chinese.
            text = "\n" if kind == "hardbreak" else " " if lang == "en" else ""
            runs.append(Run(text, bold, italic))
            line = line + 1 if line else line
        elif kind in ("strong_open", "strong_close"):
            bold = kind == "strong_open"
        elif kind in ("em_open", "em_close"):
            italic = kind == "em_open"
        elif kind == "footnote_ref":
            runs.append(_citation(child.meta["id"], lang, notes, cited, file, line))
        elif kind == "image":
            raise ContentError("images are not placed in text: draw charts with ```{figure} id```",
                               file, line)
        elif kind in ("link_open", "link_close"):
            continue  # keep the link text; reports are printed, targets are not followed
        else:
            raise ContentError(f"unsupported inline markup: {kind}", file, line)
    return [r for r in runs if r.text or r.footnote or r.ref]


def _citation(ident: int, lang: str, notes: dict | None, cited: dict[int, Footnote], file: str,
              line: int | None) -> Run:
    """The mark of a note; cited again, the same note (numbered once). `notes` None: in a
    note's own text."""
    if ident in cited:
        return Run(footnote=cited[ident], again=True)
    if notes is None:
        raise ContentError("a footnote cannot cite another footnote", file, line)
    if ident not in notes:
        raise ContentError("a footnote without text: write it after the colon, [^name]: text", file, line)
    children, note_line = notes[ident]
    note = Footnote(len(cited) + 1, _runs(children, lang, None, {}, file, note_line or line))
    cited[ident] = note
    return Run(footnote=note)


def _no_lost_citation(text: str, file: str, line: int | None) -> None:
    m = CITATION.search(text)
    if m:
        raise ContentError(f"footnote {m.group(0)} has no text: define it on a line of its own, "
                           f"{m.group(0)}: the note's text (or write the note inline: ^[text])", file, line)
