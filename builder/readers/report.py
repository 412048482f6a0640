"""Assembles one edition of the report for one data year from a read project: covers,
front matter and chapters in each of the edition's languages (bilingual: zh then en,
chapter by chapter)."""
from __future__ import annotations

import dataclasses
import datetime as dt

from builder.cache import Cache
from builder.errors import ContentError
from builder.model import Cover, Report
from builder.readers.chapters import read_chapter, read_front
from builder.readers.manifest import MANIFEST, text_line
from builder.readers.project import Project
from builder.readers.templates import Recorder, render
from builder.words import CONTENTS


def edition_langs(edition: str) -> list[str]:
    return ["zh", "en"] if edition == "bilingual" else [edition]


def format_date(iso: str, lang: str) -> str:
    date = dt.date.fromisoformat(iso)
    if lang == "zh":
        return f"{date.year} 年 {date.month} 月 {date.day} 日"
    return f"{date:%B} {date.day}, {date.year}"


def read_report(project: Project, edition: str, year: int, cache: Cache,
                record: Recorder | None = None) -> Report:
    """One edition for one data year, as read: not yet numbered, no appendix."""
    langs = edition_langs(edition)
    dataset, manifest = project.dataset, project.manifest
    record = record if record is not None else Recorder()
    theme = manifest.theme

    def text(key: str, lang: str) -> str:
        return manifest_text(project, key, lang, year, record)

    def running_title(lang: str) -> str:
        # The theme's running header; else running_title (the key before the theme's); else the title.
        own = theme.running_header[lang]
        if own:
            return manifest_text(project, "running_header", lang, year, record)
        return text("running_title", lang) or text("title", lang)

    date = (lambda l: format_date(dataset.published[year], l)) if theme.cover_date else (lambda l: "")
    covers = [Cover(text("title", l), text("subtitle", l), date(l), text("institute", l), l) for l in langs]
    front = [part for l in langs for part in read_front(project, l, year, record)]
    body = [read_chapter(project, entry, lang, year, cache, record)
            for entry in manifest.chapters for lang in langs]
    return Report(edition, langs, year, covers, [CONTENTS[l] for l in langs], front, body,
                  manifest.author, {l: running_title(l) for l in langs}, theme=theme)


def manifest_text(project: Project, key: str, lang: str, year: int, record: Recorder | None = None) -> str:
    """A text of report.toml (running_header: the theme's), rendered; "" if the report has
    none. A placeholder's error names the line of the text in report.toml."""
    manifest = project.manifest
    source = manifest.theme.running_header[lang] if key == "running_header" else \
        manifest.texts.get(key, {}).get(lang, "")
    if not source:
        return ""
    checking = record is not None and record.missing is not None
    mine = Recorder(set(), [] if checking else None)   # uses where "report.toml:1" is line 1 of the text
    try:
        text = render(source, project.dataset, year, lang, MANIFEST, mine, {"edition": project.dataset.edition_of.get(year, year + 1)})
    except ContentError as exc:
        raise ContentError(exc.message, MANIFEST, text_line(project.root, key, lang)) from None
    if record is not None and (mine.uses or mine.missing):
        where = f"{MANIFEST}:{text_line(project.root, key, lang)}"
        record.uses |= {dataclasses.replace(use, where=where) for use in mine.uses}
        if checking:
            record.missing += [dataclasses.replace(use, where=where) for use in mine.missing]
    return text
