"""The unnumbered last chapter of an edition: the sources of every value it prints, each
as a full reference (author or organisation, title, publisher, year, note, address) from
data/sources.csv, or by its name where the file gives no more."""
from __future__ import annotations

from builder.model import Chapter, Heading, Paragraph, Report, Run
from builder.words import SOURCES


def reference_runs(source: dict, lang: str) -> list[Run]:
    """One source as printed in `lang`: zh 作者：《标题》，出版者，2019 年。说明。网址;
    en Author. *Title*, Publisher, 2019. Note. URL. Parts not known are left out; without
    a title, the source's name stands for the reference."""
    ref = source.get("reference", {}).get(lang, {})
    if not ref.get("title"):
        return [Run(source[lang])]
    author, title, publisher = ref.get("author", ""), ref["title"], ref.get("publisher", "")
    year, note, url = ref.get("year", ""), ref.get("note", ""), ref.get("url", "")
    if lang == "zh":
        head = f"{author}：" if author else ""
        tail = "，".join(p for p in (publisher, f"{year} 年" if year else "") if p)
        title = title if "《" in title else f"《{title}》"   # 第 45 次《…报告》 has its own
        runs = [Run(f"{head}{title}" + (f"，{tail}" if tail else "") + "。")]
        runs += [Run(f"{note}。")] if note else []
        return runs + ([Run(url)] if url else [])
    runs = [Run(f"{author}. ")] if author else []
    runs.append(Run(title, italic=True))
    tail = ", ".join(p for p in (publisher, year) if p)
    runs.append(Run(f", {tail}." if tail else "."))
    runs += [Run(f" {note}.")] if note else []
    return runs + ([Run(f" {url}")] if url else [])


def add_sources(report: Report, sources: list[dict]) -> Report:
    """Append, per language, a chapter listing `sources` (each a name per language and,
    under "reference", its reference per language, in data/sources.csv order). Plain list
    paragraphs, so every writer renders it."""
    for lang in report.langs:
        blocks = [Paragraph(reference_runs(source, lang), lang, style="list", bullet="•")
                  for source in sources]
        report.chapters.append(Chapter("sources", None, Heading(1, "", SOURCES[lang], lang, ""), blocks, lang,
                                       numbered=False))
    return report

