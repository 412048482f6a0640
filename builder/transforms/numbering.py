"""Numbers a report as read, per language in reading order: chapters and sections in the
theme's styles (一、 （一） I. 1. 1.1 or none), figures and tables (图 1-1 / Figure 1-1), and
gives every heading an anchor unique in the report (bookmarks, links, the contents)."""
from __future__ import annotations

from builder.model import Chapter, Figure, Heading, Report, Table, Theme
from builder.numbers import roman, zh_numeral
from builder.words import LABELS


def number_prefix(style: str, number: int, chapter: int | None = None) -> str:
    """`number` in a style of model.NUMBERINGS; "1.1" puts the chapter's number first."""
    if style == "一、":
        return f"{zh_numeral(number)}、"
    if style == "（一）":
        return f"（{zh_numeral(number)}）"
    if style == "I.":
        return f"{roman(number)}."
    if style == "1.1" and chapter:
        return f"{chapter}.{number}"
    return "" if style == "none" else f"{number}."


def chapter_prefix(number: int | None, lang: str, theme: Theme = Theme()) -> str:
    return "" if number is None else number_prefix(theme.chapter_numbering[lang], number)


def section_prefix(chapter: int | None, section: int, lang: str, theme: Theme = Theme()) -> str:
    return number_prefix(theme.section_numbering[lang], section, chapter)


def number_report(report: Report) -> Report:
    """Numbers and anchors, set in place; returns the report."""
    fronts = {lang: 0 for lang in report.langs}
    for part in report.front:
        part.heading.anchor = f"{part.lang}-front-{fronts[part.lang]}"
        fronts[part.lang] += 1
    chapters = {lang: 0 for lang in report.langs}
    for chapter in report.chapters:
        if chapter.numbered:
            chapters[chapter.lang] += 1
            chapter.number = chapters[chapter.lang]
        chapter.heading.number = chapter_prefix(chapter.number, chapter.lang, report.theme)
        chapter.heading.anchor = f"{chapter.lang}-{chapter.id}"
        _number_blocks(chapter, report.theme)
    return report


def _number_blocks(chapter: Chapter, theme: Theme) -> None:
    sections = 0
    counts = {Figure: 0, Table: 0}
    words = LABELS[chapter.lang]
    for index, block in enumerate(chapter.blocks):
        if isinstance(block, Heading) and block.level == 2:
            sections += 1
            block.number = section_prefix(chapter.number, sections, chapter.lang, theme)
            block.anchor = f"{chapter.heading.anchor}-s{sections}"
        elif isinstance(block, Heading):
            block.anchor = f"{chapter.heading.anchor}-s{sections}-{index}"
        elif type(block) in counts:   # figures only in numbered chapters: the reader sees to it
            counts[type(block)] += 1
            kind = "figure" if isinstance(block, Figure) else "table"
            block.label = f"{words[kind]} {chapter.number}-{counts[type(block)]}"
