"""TOML files of a report folder (report.toml, figures.toml, checks.toml) read the same
way: UTF-8 (a BOM allowed), parse errors as one line naming the file and line; and the
rule that every file read lies inside the report folder."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from builder.chars import UNPRINTABLE
from builder.errors import ContentError, ReportError

MAX_BYTES = 1_000_000   # a config file is a few KB: anything this big is a mistake


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, its symlinks followed, lies in the report folder `root`: files
    outside it are never read."""
    return path.resolve().is_relative_to(root.resolve())


def read_toml(path: Path, rel: str, error: type[ReportError] = ContentError) -> tuple[str, dict]:
    """(text, parsed) of a TOML file `rel` of the report folder; `error` is raised for what
    is wrong with it: outside the folder (checked before it is opened), not a file, too
    large, not UTF-8, not TOML, a string holding a character no report may print."""
    root = path.parents[len(Path(rel).parts) - 1]
    check_file(root, path, rel, MAX_BYTES, error)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise not_utf8(path, rel, error) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise error(f"TOML does not parse: {exc}", rel, int(line.group(1)) if line else None) from None
    except RecursionError:   # [[[[…]]]]: Python's parser stops at a depth
        raise error("TOML nests lists or tables too deeply to read", rel) from None
    for string in _strings(raw):
        bad = UNPRINTABLE.search(string)
        if bad:
            raise error(f"control character U+{ord(bad[0]):04X} in text; remove it", rel, _line_of(text, bad[0]))
    return text, raw


def not_utf8(path: Path, rel: str, error: type[ReportError] = ContentError) -> ReportError:
    """The error for a file that is not UTF-8 (GBK, say): at the line of its first bad byte."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        start = 0
    except UnicodeDecodeError as exc:
        start = exc.start
    return error(f"not UTF-8 text (byte {start}); save the file as UTF-8", rel, raw.count(b"\n", 0, start) + 1)


def check_file(root: Path, path: Path, rel: str, limit: int, error: type[ReportError] = ContentError) -> None:
    """Before `path` is opened: it lies in the report folder, is a file (not a folder, a
    pipe or a device, which would block or never end) and is at most `limit` bytes."""
    if not inside(root, path):
        raise error("resolves to a file outside the report folder; copy it in instead", rel)
    if not path.is_file():
        raise error("not a file" if path.exists() else "missing", rel)
    size = path.stat().st_size
    if size > limit:
        raise error(f"file of {size:,} bytes: the limit is {limit:,}", rel)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _line_of(text: str, char: str) -> int | None:
    """The line where `char` is written, as itself or as a TOML escape (\\u202e)."""
    escapes = (char, f"\\u{ord(char):04x}", f"\\U{ord(char):08x}")
    for number, line in enumerate(text.splitlines(), 1):
        if any(e in line or e.lower() in line.lower() for e in escapes):
            return number
    return None
