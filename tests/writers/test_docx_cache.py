"""The DOCX writer keeps the front and each chapter's section in the cache
(builder/writers/docx/cached.py): after an edit only the chapter edited is written again,
the others are taken from the cache and renumbered, and the file is byte for byte what a
cold build writes."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from builder.model import LAYOUTS
from builder.transforms.bilingual import make_book
from builder.writers.docx import document
from tests.projects import edit
from tests.reading import context, read_edition

EDITIONS = ("zh", "en", "parallel", "sequential")   # the bilingual edition in its two layouts
CHAPTER = "content/chapters/01-alpha"


@pytest.fixture
def written(monkeypatch) -> list[str]:
    """The parts the writer writes itself (not from the cache): "front" and chapter ids."""
    parts: list[str] = []
    chapter_section = document._write_chapter_section
    monkeypatch.setattr(document, "_write_chapter_section",
                        lambda draft, report, chapter, *args, **kw: parts.append(chapter.id)
                        or chapter_section(draft, report, chapter, *args, **kw))
    for name in ("_write_front", "write_book_front"):
        front = getattr(document, name)
        monkeypatch.setattr(document, name, lambda *args, front=front: parts.append("front") or front(*args))
    return parts


def write(root: Path, edition: str) -> bytes:
    ctx = context(root)
    path = root / f"{edition}.docx"
    if edition in LAYOUTS:
        report = make_book(read_edition(root, "bilingual", ctx=ctx), edition)
    else:
        report = read_edition(root, edition, ctx=ctx)
    document.write(report, path, ctx)
    return path.read_bytes()


def cold(root: Path) -> dict[str, bytes]:
    """Each edition written with nothing in the cache for the DOCX."""
    written = {}
    for edition in EDITIONS:
        shutil.rmtree(root / ".cache" / "docx-parts", ignore_errors=True)
        written[edition] = write(root, edition)
    return written


def test_an_edit_writes_its_chapter_only_and_the_file_is_a_cold_builds(rebuilt_root, written):
    root = rebuilt_root("mini")
    first = cold(root)
    for edition in EDITIONS:   # the entries of the cold builds, for the next
        write(root, edition)
    written.clear()
    before = {edition: write(root, edition) for edition in EDITIONS}
    assert written == ["front"] * 2   # all from the cache but the bilingual book's front
    assert before == first
    # In the first chapter: a section heading (a bookmark), a footnote and a chart more, so
    # that the later chapters' bookmark names, footnote ids, image relationships and
    # drawing ids all move on.
    for lang, heading, note in (("zh", "### 细分", "细分^[新的脚注。]"), ("en", "### Detail", "Detail.^[A new note.]")):
        edit(root / CHAPTER / f"{lang}.md", "```{figure} firms_years\n```",
             f"{heading}\n\n{note}\n\n```{{figure}} firms_years\n```\n\n```{{figure}} firms_again\n```", count=1)
    figures = root / CHAPTER / "figures.toml"
    figures.write_text(figures.read_text(encoding="utf-8") + '\n[[figure]]\nid = "firms_again"\nkind = "years"\n'
                       'title = {zh = "企业", en = "Enterprises"}\naxis = {zh = "个", en = "Firms"}\n'
                       'indicators = ["firms"]\n', encoding="utf-8")
    written.clear()
    warm = {edition: write(root, edition) for edition in EDITIONS}
    # The edited chapter in each edition (front unchanged): zh, en, the bilingual pair, and
    # the zh and the en chapter of the sequential layout (the bilingual book's front is
    # always written).
    assert written == ["01-alpha"] * 2 + ["front", "01-alpha"] + ["front"] + ["01-alpha"] * 2
    assert all(warm[edition] != before[edition] for edition in EDITIONS)
    assert warm == cold(root)


def test_damaged_or_odd_entries_are_written_again(rebuilt_root, written):
    """An entry that does not verify, or verifies but is not what the writer keeps (another
    version's, say), is ignored: the section is written again, the file the same."""
    root = rebuilt_root("mini")
    shutil.rmtree(root / ".cache" / "docx-parts")
    first = write(root, "zh")
    everything = list(written)
    cache = context(root).cache
    for i, entry in enumerate(sorted((root / ".cache" / "docx-parts").glob("*.json"))):
        kept = json.loads(entry.read_bytes())
        if "relations" not in kept or i % 2:   # (the other entry: the styles)
            entry.write_bytes(entry.read_bytes()[:100])   # truncated: its seal fails
        else:
            kept["relations"] = [[rid, "comment", xml] for rid, kind, xml in kept["relations"]] or 5
            cache.keep(entry, json.dumps(kept).encode())
    written.clear()
    assert write(root, "zh") == first
    assert written == everything   # the front and every chapter
