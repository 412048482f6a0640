"""Checks every character of a report model before any writer sees it, so the PDF and
the DOCX treat odd text the same way: characters that XML cannot hold and characters no
embedded font can draw are errors naming where they are, never a crash in one writer
and a silent gap in the other."""
from __future__ import annotations

from pathlib import Path

from builder.chars import report_chars, unprintable
from builder.errors import ContentError, FontError
from builder.model import Report


def _places(chapters, bad: set[str]) -> list[str]:
    places = []
    for chapter in chapters:
        if bad & report_chars(chapter):
            places.append(f"{chapter.id} ({chapter.lang})")
    return places


def _codes(chars) -> str:
    return ", ".join(f"U+{ord(c):04X}" + (f" {c!r}" if c.isprintable() else "") for c in sorted(chars)[:8])


def check_text(report: Report, root: Path | None = None) -> None:
    """Every character printable and drawn by a font; else an error naming where the
    first of them is written (with `root`, the report folder: file, line and column)."""
    chars = report_chars(report)
    bad = {c for c in chars if unprintable(c)}
    if bad:
        places = _places(report.front + report.chapters, bad)
        raise ContentError(f"characters that cannot be printed: {_codes(bad)}"
                           + (f" in {', '.join(places)}" if places else ""),
                           *_where(root, places, bad))
    from builder.fonts import uncovered_chars
    missing = set(uncovered_chars(chars))
    if missing:
        places = _places(report.front + report.chapters, missing)
        raise FontError(f"no font has a glyph for {_codes(missing)}"
                        + (f" in {', '.join(places)}" if places else "")
                        + ": replace the characters or configure a font that has them",
                        *_where(root, places, missing))


def _where(root: Path | None, places: list[str], chars: set[str]) -> tuple:
    """(file, line, column) of the first of `chars` in the files the first place is read
    from: its text, its figures, the data; (the chapter's folder,) if none has it."""
    folder = f"content/chapters/{places[0].split()[0]}" if places else None
    if root is None or folder is None:
        return (folder,)
    lang = places[0].split("(")[-1].rstrip(")")
    candidates = [f"{folder}/{lang}.md", f"{folder}/figures.toml", f"content/front/{lang}.md", "content/report.toml",
                  *sorted(str(p.relative_to(root)) for p in (root / "data").rglob("*.csv"))]
    for rel in candidates:
        path = root / rel
        if not path.is_file() or not path.resolve().is_relative_to(root.resolve()):   # (read inside only)
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8-sig", errors="replace").splitlines(), 1):
            column = next((i for i, c in enumerate(line, 1) if c in chars), None)
            if column:
                return rel, number, column
    return (folder,)


def glyph_problem(root: Path, chapters: list, missing: set[str]) -> FontError:
    """The error of check_text for characters no font draws, in `chapters` as read."""
    places = _places(chapters, missing)
    return FontError(f"no font has a glyph for {_codes(missing)}: replace the characters or configure a font "
                     "that has them", *_where(root, places, missing))
