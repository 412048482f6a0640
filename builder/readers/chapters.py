"""Reads a chapter (content/chapters/<id>/<lang>.md and its figures.toml) or the front
matter of one language into model blocks, for one data year: placeholders filled,
Markdown parsed, figures and tables made from data. Numbers and anchors are given
afterwards by the numbering transform."""
from __future__ import annotations

import hashlib
from pathlib import Path

from builder.cache import Cache, cache_key
from builder.chars import UNPRINTABLE
from builder.errors import ContentError
from builder.model import Chapter, Heading, Paragraph
from builder.readers.figures import Blocks, read_definitions
from builder.readers.manifest import ChapterEntry
from builder.readers.markdown import Fence, parse_chapter
from builder.readers.config import check_file, inside, not_utf8
from builder.readers.project import Project
from builder.readers.templates import Recorder, render

MAX_FILE_BYTES = 2_000_000   # a chapter is ~20 KB; anything this big is a mistake


def chapter_inputs(project: Project, entry: ChapterEntry, lang: str) -> list:
    """What reading a chapter depends on besides the year: for cache keys (a build makes
    them twice per chapter: its files' digests, not their bytes, go into the keys)."""
    folder = project.chapter_dir(entry)
    root = project.root.resolve()
    inputs = [entry.id, entry.numbered, lang, project.data_key]
    for path in (folder / f"{lang}.md", folder / "figures.toml"):
        if not path.is_file():
            continue
        target, stat = path.resolve(), path.stat()
        # A file outside the report folder is not read here: reading it is an error (read_text).
        # Nor is one too large to read (refused by read_text): its size and time stand for it.
        if target.is_relative_to(root) and stat.st_size <= MAX_FILE_BYTES:
            inputs.append((path.name, str(target), hashlib.sha256(path.read_bytes()).hexdigest()))
        else:
            inputs.append((path.name, str(target), (stat.st_size, stat.st_mtime_ns)))
    return inputs


def read_chapter(project: Project, entry: ChapterEntry, lang: str, year: int, cache: Cache,
                 record: Recorder | None = None) -> Chapter:
    """One chapter; values used are noted in `record` (check mode, a Recorder.checking():
    those missing too, printed as marks). Taken from the cache when its files and the data
    are those of an earlier read that lacked nothing, a build's or a check's (a chapter
    read in check mode that lacked nothing is the one a build reads): a warm rebuild reads
    only the chapters edited, and neither `report check` nor the build after it reads the
    other's chapters again."""
    record = record if record is not None else Recorder()
    key = cache_key("chapters", _memo_parts(project, entry, lang, year))
    found = cache.load("chapters", key)
    if found is None:
        mine = Recorder(missing=None if record.missing is None else [])
        try:
            chapter = _read_chapter(project, entry, lang, year, mine)
        finally:   # (in check mode, what was found before an error too)
            record.uses |= mine.uses
            if record.missing is not None:
                record.missing += mine.missing
        if not mine.missing:
            cache.store("chapters", key, (chapter, mine.uses))
        return chapter
    chapter, uses = found
    record.uses |= uses
    return chapter


def _memo_parts(project: Project, entry: ChapterEntry, lang: str, year: int) -> tuple:
    return chapter_inputs(project, entry, lang), year


def _read_chapter(project: Project, entry: ChapterEntry, lang: str, year: int, record: Recorder) -> Chapter:
    folder = project.chapter_dir(entry)
    rel_dir = f"content/chapters/{entry.id}"
    rel = f"{rel_dir}/{lang}.md"
    if not (folder / f"{lang}.md").exists():
        raise ContentError(f"missing chapter file ({entry.id} is listed in content/report.toml)", rel)
    text = read_text(project.root, rel)
    parsed = parse_chapter(render(text, project.dataset, year, lang, rel, record), lang, rel)
    figures = folder / "figures.toml"
    if figures.exists() and not inside(project.root, figures):
        raise ContentError("resolves to a file outside the report folder; copy it in instead",
                           f"{rel_dir}/figures.toml")
    definitions = read_definitions(figures, f"{rel_dir}/figures.toml")
    maker = Blocks(project.dataset, year, lang, record)

    def render_text(s: str) -> str:
        try:
            return render(s, project.dataset, year, lang, f"{rel_dir}/figures.toml", record)
        except ContentError as exc:   # at the line the text is written on, not line 1 of the text
            lines = read_text(project.root, f"{rel_dir}/figures.toml").splitlines()
            first = next((part for part in s.splitlines() if part.strip()), None)
            line = next((n for n, text in enumerate(lines, 1) if first and first in text), exc.line)
            raise ContentError(exc.message, exc.file, line) from None

    blocks = []
    for block in parsed.blocks:
        if isinstance(block, Fence):   # the parser's own type, not a model block
            definition = definitions.get((block.kind, block.id))
            if definition is None:
                raise ContentError(f"no {block.kind} {block.id!r} in {rel_dir}/figures.toml", rel, block.line)
            if not entry.numbered:
                raise ContentError(f"a {block.kind} needs a numbered chapter", definition.file, definition.line)
            make = maker.figure if block.kind == "figure" else maker.table
            ident, block = block.id, make(definition, render_text)
            block.id = ident   # what {numref} names
        blocks.append(block)
    return Chapter(entry.id, None, Heading(1, "", parsed.title, lang, ""), blocks, lang,
                   numbered=entry.numbered)


def read_text(root: Path, rel: str) -> str:
    """A content file's text; it must lie inside the project (no symlink out of it)."""
    path = root / rel
    check_file(root, path, rel, MAX_FILE_BYTES)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise not_utf8(path, rel) from None
    for number, line in enumerate(text.splitlines(), 1):
        bad = UNPRINTABLE.search(line)
        if bad:
            raise ContentError(f"control character U+{ord(bad[0]):04X} in text; remove it", rel, number)
    return text


def read_front(project: Project, lang: str, year: int, record: Recorder | None = None) -> list[Chapter]:
    """Front matter: every '# heading' of content/<front>/<lang>.md is one unnumbered part;
    none without the folder."""
    rel = f"content/{project.manifest.front}/{lang}.md"
    if not (project.root / rel).parent.is_dir():
        return []
    if not (project.root / rel).exists():
        raise ContentError("missing front matter file", rel)
    text = render(read_text(project.root, rel), project.dataset, year, lang, rel, record)
    parts: list[Chapter] = []
    chunk: list[str] = []
    start = 0
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines + ["# \n"]):
        if line.startswith("# ") and chunk:
            # Pad with blank lines so parse errors still point at the file's real line.
            parsed = parse_chapter("\n" * start + "".join(chunk), lang, rel)
            parts.append(Chapter("front", None, Heading(1, "", parsed.title, lang, ""),
                                 [b for b in parsed.blocks if isinstance(b, Paragraph)], lang,
                                 in_contents=False, numbered=False))
            chunk, start = [], number
        chunk.append(line)
    return parts
