"""Checks every character of a report model before any writer sees it, so the PDF and
the DOCX treat odd text the same way: characters that XML cannot hold and characters no
embedded font can draw are errors naming where they are, never a crash in one writer
and a silent gap in the other."""
from __future__ import annotations

from builder.chars import report_chars, unprintable
from builder.errors import ContentError, FontError
from builder.model import Report


def _places(report: Report, bad: set[str]) -> list[str]:
    places = []
    for chapter in report.front + report.chapters:
        if bad & report_chars(chapter):
            places.append(f"{chapter.id} ({chapter.lang})")
    return places


def _codes(chars) -> str:
    return ", ".join(f"U+{ord(c):04X}" + (f" {c!r}" if c.isprintable() else "") for c in sorted(chars)[:8])


def check_text(report: Report) -> None:
    chars = report_chars(report)
    bad = {c for c in chars if unprintable(c)}
    if bad:
        places = _places(report, bad)
        raise ContentError(f"characters that cannot be printed: {_codes(bad)}"
                           + (f" in {', '.join(places)}" if places else ""),
                           f"content/chapters/{places[0].split()[0]}" if places else None)
    from builder.fonts import uncovered_chars
    missing = set(uncovered_chars(chars))
    if missing:
        places = _places(report, missing)
        raise FontError(f"no font has a glyph for {_codes(missing)}"
                        + (f" in {', '.join(places)}" if places else "")
                        + ": replace the characters or configure a font that has them",
                        f"content/chapters/{places[0].split()[0]}" if places else None)
