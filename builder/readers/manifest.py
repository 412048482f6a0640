"""content/report.toml: the report's titles, people, chapter order and theme (theme.py).

Unknown keys and wrong types are errors with the line they are on, so a typo never
silently falls back to a default.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from builder.errors import ContentError
from builder.model import LAYOUTS, Theme
from builder.readers.config import read_toml
from builder.readers.theme import read_theme

MANIFEST = "content/report.toml"
BILINGUAL_KEYS = ("title", "subtitle", "institute", "running_title")
MAX_CHARS = {"title": 150, "subtitle": 250, "institute": 150, "running_title": 100}
OPTIONAL_KEYS = ("institute", "running_title")   # absent: no institute; the theme's running header


@dataclass(frozen=True)
class ChapterEntry:
    id: str
    numbered: bool


@dataclass(frozen=True)
class Manifest:
    texts: dict[str, dict[str, str]]    # key -> {"zh": ..., "en": ...}; optional keys may be absent
    author: str
    front: str                          # folder under content/ with zh.md and en.md (optional)
    chapters: list[ChapterEntry]
    theme: Theme = field(default_factory=Theme)
    layout: str = LAYOUTS[0]            # [bilingual] layout: the bilingual edition's body


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line) or line.strip() == f"[{key}]":
            return number
    return None


def read_manifest(project: Path) -> Manifest:
    path = project / MANIFEST
    if not path.exists():
        raise ContentError("missing report manifest", MANIFEST)
    text, raw = read_toml(path, MANIFEST)

    def fail(message: str, key: str):
        raise ContentError(message, MANIFEST, _line_of(text, key))

    known = set(BILINGUAL_KEYS) | {"author", "front", "chapters", "theme", "bilingual"}
    for key in raw:
        if key not in known:
            fail(f"unknown key {key!r} (known: {', '.join(sorted(known))})", key)
    texts = {}
    for key in BILINGUAL_KEYS:
        value = raw.get(key)
        if value is None and key in OPTIONAL_KEYS:
            continue
        if not isinstance(value, dict) or set(value) != {"zh", "en"} or \
                not all(isinstance(v, str) and v for v in value.values()):
            fail(f"{key} must be a table with non-empty zh and en strings", key)
        longest = max(value.values(), key=len)
        if len(longest) > MAX_CHARS[key]:   # a cover line is a few lines at most: the rest would be cut off
            fail(f"{key} of {len(longest):,} characters: the limit is {MAX_CHARS[key]} (it must fit its place "
                 "on the cover and in the headers)", key)
        texts[key] = value
    if not isinstance(raw.get("author"), str):
        fail("author must be a string", "author")
    if not isinstance(raw.get("front", ""), str):
        fail("front must be a folder name", "front")
    if "front" in raw and not _folder_name(raw["front"]):
        fail(f"front {raw['front']!r}: the name of a folder in content/ (no path)", "front")
    if "front" in raw and not (project / "content" / raw["front"]).is_dir():   # the default may be absent
        fail(f"front: no folder content/{raw['front']} (leave the key out for no front matter)", "front")
    chapters = raw.get("chapters")
    if not isinstance(chapters, list) or not chapters:
        fail("chapters must be a list of [[chapters]] tables", "chapters")
    entries = []
    headers = [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[\s*chapters\s*\]\]", line)]
    for number, item in enumerate(chapters):
        line = headers[number] if number < len(headers) else _line_of(text, "chapters")
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ContentError("each [[chapters]] needs id = \"folder-name\"", MANIFEST, line)
        if not _folder_name(item["id"]):
            raise ContentError(f"chapter id {item['id']!r}: the name of a folder in content/chapters/ (no path)",
                               MANIFEST, line)
        extra = set(item) - {"id", "numbered"}
        if extra:
            fail(f"unknown key {sorted(extra)[0]!r} in [[chapters]] (known: id, numbered)", sorted(extra)[0])
        if not isinstance(item.get("numbered", True), bool):
            fail("numbered must be true or false", "numbered")
        entries.append(ChapterEntry(item["id"], item.get("numbered", True)))
    ids = [e.id for e in entries]
    for ident in ids:
        if ids.count(ident) > 1:
            lines = [n for n, line in enumerate(text.splitlines(), 1)
                     if re.match(rf'\s*id\s*=\s*"{re.escape(ident)}"', line)]
            raise ContentError(f"chapter {ident!r} listed twice", MANIFEST, lines[-1] if lines else None)
    theme = read_theme(raw.get("theme"), text, project)
    return Manifest(texts, raw["author"], raw.get("front", "front"), entries, theme, _layout(raw, fail))


def text_line(root: Path, key: str, lang: str) -> int | None:
    """The line of report.toml that holds `key`'s text in `lang` ([key] then lang = …, or
    key = {zh = …, en = …} on one line)."""
    lines = (root / MANIFEST).read_text(encoding="utf-8-sig").splitlines()
    start = _line_of("\n".join(lines), key)
    if start is None:
        return None
    if lines[start - 1].strip().startswith("["):   # a table: its lang = … below, before the next table
        for number in range(start + 1, len(lines) + 1):
            if lines[number - 1].strip().startswith("["):
                break
            if re.match(rf"\s*{lang}\s*=", lines[number - 1]):
                return number
    return start


def _folder_name(name: str) -> bool:
    """A folder's own name: not empty, no path (/, \\, ..), nothing hidden: what the
    manifest names is read inside content/, never elsewhere."""
    return bool(name) and not name.startswith(".") and not re.search(r"[/\\:]", name) and name == name.strip()


def _layout(raw: dict, fail) -> str:
    """[bilingual] layout = "parallel" | "sequential"."""
    table = raw.get("bilingual", {})
    if not isinstance(table, dict):
        fail("bilingual must be a table: [bilingual] with layout = \"parallel\" or \"sequential\"", "bilingual")
    for key in table:
        if key != "layout":
            fail(f"unknown key {key!r} in [bilingual] (known: layout)", key)
    layout = table.get("layout", LAYOUTS[0])
    if layout not in LAYOUTS:
        fail(f"bilingual layout {layout!r}: choose {' or '.join(repr(l) for l in LAYOUTS)}", "layout")
    return layout
