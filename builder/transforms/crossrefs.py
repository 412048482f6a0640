"""Cross-references, {numref}`id`: each prints the number of its target as the target
prints it, in its language (a figure or table its label, 图 1-1 / Figure 1-1; a chapter
the number of its heading, 第一章 / Chapter I) and links to the target's anchor.

Run on a full edition after numbering, so that an extract, cut from it, keeps the full
report's numbers, also for a chapter it leaves out."""
from __future__ import annotations

from collections import Counter

from builder.errors import ContentError
from builder.model import Chapter, Figure, Ref, Report, Table
from builder.words import CHAPTER_REF


def resolve_references(report: Report) -> Report:
    """Anchors for figures and tables, then the text and anchor of every reference;
    an unknown or ambiguous id is an error at the reference."""
    targets = _targets(report)
    unnumbered = {c.id for c in report.chapters if not c.numbered}
    for chapter in report.front + report.chapters:
        for run in chapter.references:
            found = targets.get((chapter.lang, run.ref.target), [])
            problem = _problem(run.ref, len(found), unnumbered)
            if problem:
                raise ContentError(problem, run.ref.file, run.ref.line)
            run.text, run.ref.anchor = found[0]
    return report


def _targets(report: Report) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(language, id) -> (label, anchor) of each numbered chapter, figure and table with
    that id; their anchors are set here. A figure placed twice in a chapter is one target,
    where it is first."""
    targets: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for chapter in report.chapters:
        if chapter.numbered and chapter.number:
            targets[chapter.lang, chapter.id] = [(chapter_label(chapter), chapter.heading.anchor)]
        for block in chapter.blocks:
            if not isinstance(block, (Figure, Table)) or not block.id:
                continue
            kind = "figure" if isinstance(block, Figure) else "table"
            anchor = f"{chapter.heading.anchor}-{kind}-{block.id}"
            found = targets.setdefault((chapter.lang, block.id), [])
            if anchor not in [a for _, a in found]:
                block.anchor = anchor
                found.append((block.label, anchor))
    return targets


def check_references(chapters: list[Chapter], numbered: dict[str, bool]) -> list[ContentError]:
    """For `report check`, which numbers nothing: the references of `chapters` (one
    language, all of its chapters) to ids that none of them has. `numbered`: the chapter
    ids of content/report.toml, each True if numbered."""
    placed = {(c.id, type(b), b.id) for c in chapters for b in c.blocks if isinstance(b, (Figure, Table)) and b.id}
    counts = Counter(ident for _, _, ident in placed)
    counts.update(ident for ident, yes in numbered.items() if yes)
    unnumbered = {ident for ident, yes in numbered.items() if not yes}
    problems = []
    for chapter in chapters:
        for run in chapter.references:
            problem = _problem(run.ref, counts[run.ref.target], unnumbered)
            if problem:
                problems.append(ContentError(problem, run.ref.file, run.ref.line))
    return problems


def chapter_label(chapter: Chapter) -> str:
    """A chapter as a reference names it, from the number its heading prints ("一、" ->
    第一章, "I." -> Chapter I), so it follows how headings are numbered."""
    core = chapter.heading.number.strip().rstrip("、.．:：").strip("（）() ")
    if chapter.lang == "zh" and core.isascii():   # digits, spaced as in "2019 年": 第 2 章
        core = f" {core} "
    form = CHAPTER_REF[chapter.lang]
    return core if core.startswith(form.split("{}")[0].strip()) else form.format(core)


def _problem(ref: Ref, found: int, unnumbered: set[str]) -> str | None:
    where = f"{{numref}}`{ref.target}`"
    if ref.target in unnumbered:
        return f"{where}: that chapter has no number to print: name it by its title"
    if found == 0:
        return (f"{where}: no figure, table or chapter has this id (a figure or table id of a "
                "figures.toml, or a chapter id of content/report.toml)")
    if found > 1:
        return f"{where}: {found} figures or tables have this id: give each its own id in figures.toml"
    return None
