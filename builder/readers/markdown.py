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
    notes = env.get("footnotes", {}).get("list", {})
    footnotes: dict[int, Footnote] = {}
    title = None
    blocks: list = []
    list_stack: list[list] = []          # [ordered, counter]
    style = "body"
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        line = tok.map[0] + 1 if tok.map else None
        if tok.type == "footnote_block_open":
            break  # the notes' own copies, at the end; they were taken at their references
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            heading_text = _plain(tokens[i + 1].children or [], lang)
            if title is None and level > 1:
                raise ContentError("a chapter starts with its '# title' line", file, line)
            if level == 1:
                if title is not None or blocks:
                    raise ContentError("only one '# title' line, at the top of the chapter", file, line)
                title = heading_text
            elif level > 3:
                raise ContentError("headings go down to ### only", file, line)
            else:
                blocks.append(Heading(level, "", heading_text, lang, ""))
            i += 3
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            list_stack.append([tok.type == "ordered_list_open", int(tok.attrs.get("start", 1) or 1)])
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif tok.type == "blockquote_open":
            style = "quote"
        elif tok.type == "blockquote_close":
            style = "body"
        elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
            if title is None:
                raise ContentError("a chapter starts with its '# title' line", file, line)
            runs = _runs(tok.children or [], lang, notes, footnotes, file, line)
            bullet = ""
            para_style = style
            if list_stack:
                ordered, counter = list_stack[-1]
                bullet = f"{counter}." if ordered else "•"
                list_stack[-1][1] += 1
                para_style = "list"
            paragraph = Paragraph(runs, lang, para_style, bullet)
            if len(paragraph.text) > MAX_PARAGRAPH_CHARS:
                raise ContentError(f"paragraph of {len(paragraph.text)} characters: the limit is "
                                   f"{MAX_PARAGRAPH_CHARS}; split it into several", file, line)
            blocks.append(paragraph)
        elif tok.type in ("fence", "code_block"):
            info = tok.info.strip().split()
            if tok.type == "code_block" or len(info) != 2 or info[0] not in ("{figure}", "{table}"):
                raise ContentError("a fenced block must be ```{figure} id``` or ```{table} id```"
                                   " (indented text is read as code: remove the indent)", file, line)
            fence = Fence(info[0][1:-1], info[1], line)
            blocks.append(fence)
        elif tok.type in ("hr", "html_block", "table_open"):
            raise ContentError(f"{tok.type} is not supported in report content", file, line)
        i += 1
    if title is None:
        raise ContentError("the chapter has no '# title' line", file, 1)
    parsed = ParsedChapter(title, blocks, file, len(footnotes))
    parsed.fences = [b for b in blocks if isinstance(b, Fence)]
    return parsed


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
