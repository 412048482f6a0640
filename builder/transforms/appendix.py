"""The unnumbered last chapter of an edition: the sources of every value it prints."""
from __future__ import annotations

from builder.model import Chapter, Heading, Paragraph, Report, Run
from builder.words import SOURCES


def add_sources(report: Report, sources: list[dict[str, str]]) -> Report:
    """Append, per language, a chapter listing `sources` (each a name per language, in
    data/sources.csv order). Plain list paragraphs, so every writer renders it."""
    for lang in report.langs:
        blocks = [Paragraph([Run(name[lang])], lang, style="list", bullet="•") for name in sources]
        report.chapters.append(Chapter("sources", None, Heading(1, "", SOURCES[lang], lang, ""), blocks, lang,
                                       numbered=False))
    return report
