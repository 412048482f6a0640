"""TOML files of a report folder (report.toml, figures.toml, checks.toml) read the same
way: UTF-8 (a BOM allowed), parse errors as one line naming the file and line; and the
rule that every file read lies inside the report folder."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from builder.errors import ContentError, ReportError


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, its symlinks followed, lies in the report folder `root`: files
    outside it are never read."""
    return path.resolve().is_relative_to(root.resolve())


def read_toml(path: Path, rel: str, error: type[ReportError] = ContentError) -> tuple[str, dict]:
    """(text, parsed) of a TOML file; `error` is raised for what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", rel) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise error(f"TOML does not parse: {exc}", rel, int(line.group(1)) if line else None) from None
