"""The [theme] table of content/report.toml: how the report looks (builder.model.Theme
holds every key with its default, kind and doc). A key missing takes its default; an
unknown key or a value of the wrong kind is an error naming its line."""
from __future__ import annotations

import re
from pathlib import Path

from builder.errors import ContentError
from builder.fonts import FONT_SUFFIXES, family_problem
from builder.model import LANGS, NUMBERINGS, PAPERS, Theme

MANIFEST = "content/report.toml"
COLOR = re.compile(r"#[0-9a-fA-F]{6}")
CHAPTER_NUMBERINGS = tuple(n for n in NUMBERINGS if n != "1.1")
FONT_ROLES = {"latin_font": "latin_regular", "latin_bold_font": "latin_bold",
              "cjk_font": "cjk_regular", "cjk_bold_font": "cjk_bold"}


def theme_line(text: str, key: str) -> int | None:
    """The line of `key` in the [theme] table (or of its [theme.key] table); else of [theme]."""
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines) if line.strip() == "[theme]"), None)
    for number, line in enumerate(lines, 1):
        if line.strip() == f"[theme.{key}]" or re.match(rf"\s*theme\.{re.escape(key)}\s*=", line):
            return number
        if start is not None and number > start + 1 and re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return start + 1 if start is not None else None


def read_theme(raw, text: str, root: Path) -> Theme:
    """The theme of `raw` (the parsed [theme] table, None if absent)."""
    if raw is None:
        return Theme()
    if not isinstance(raw, dict):
        raise ContentError("theme must be a [theme] table", MANIFEST, theme_line(text, "theme"))
    keys = {name: kind for name, kind, _, _ in Theme.keys()}
    values = {}
    for key, value in raw.items():
        if key not in keys:
            raise ContentError(f"unknown key {key!r} in [theme] (known: {', '.join(keys)})",
                               MANIFEST, theme_line(text, key))
        try:
            values[key] = _value(key, keys[key], value, root)
        except ValueError as exc:
            raise ContentError(f"theme {key}: {exc}", MANIFEST, theme_line(text, key)) from None
    return Theme(**values)


def _value(key: str, kind: str, value, root: Path):
    """`value` checked against its kind (ValueError: what is wrong), normalised."""
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if kind in ("numbering", "texts"):
        return _per_language(key, kind, value)
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if not value and kind.endswith(" or empty"):
        return value
    kind = kind.removesuffix(" or empty")
    if kind == "paper" and value not in PAPERS:
        raise ValueError(f"{value!r} is not a paper size (choose from {', '.join(PAPERS)})")
    if kind == "color" and not COLOR.fullmatch(value):
        raise ValueError(f"{value!r} is not a colour: write it as \"#rrggbb\"")
    if kind == "font":
        return _font(key, value, root)
    if kind == "family name" and not value.strip():   # the DOCX names it: it need not be on this machine
        raise ValueError("must name a font family")
    if kind == "file":
        path = _inside(value, root)
        if path.suffix.lower() != ".docx":
            raise ValueError(f"{value!r} is not a .docx file")
        return str(path)
    return value


# Texts printed on one line (like report.toml's running_title, manifest.MAX_CHARS).
MAX_TEXT_CHARS = {"running_header": 100, "extract_label": 100}


def _per_language(key: str, kind: str, value) -> dict[str, str]:
    if isinstance(value, str) and kind == "numbering":
        value = {lang: value for lang in LANGS}
    if not isinstance(value, dict) or set(value) != set(LANGS) or \
            not all(isinstance(v, str) for v in value.values()):
        either = "a string or " if kind == "numbering" else ""
        raise ValueError(f"must be {either}a table with zh and en strings")
    allowed = CHAPTER_NUMBERINGS if key == "chapter_numbering" else NUMBERINGS
    for text in value.values():
        if kind == "numbering" and text not in allowed:
            raise ValueError(f"{text!r} is not a numbering (choose from {', '.join(allowed)})")
        if len(text) > MAX_TEXT_CHARS.get(key, len(text)):
            raise ValueError(f"{len(text)} characters: at most {MAX_TEXT_CHARS[key]} fit in one line of a page")
        if key == "extract_label" and re.sub(r"\{\{\s*year\s*\}\}", "", text).count("{{"):
            raise ValueError("the only placeholder here is {{ year }}")
    return {lang: value[lang] for lang in LANGS}


def _inside(value: str, root: Path) -> Path:
    """A file named relative to the report folder, which must hold it."""
    path = (root / value).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError(f"{value!r} is outside the report folder")
    if not path.is_file():
        raise ValueError(f"no file {value!r} in the report folder")
    return path


def _font(key: str, value: str, root: Path) -> str:
    """A font file (by its suffix: an absolute path) or a family name fontconfig knows."""
    if value.lower().endswith(FONT_SUFFIXES):
        path = _inside(value, root)
        with open(path, "rb") as file:   # TrueType, OpenType, a collection
            if file.read(4) not in (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf"):
                raise ValueError(f"{value!r} is not a TrueType or OpenType font file")
        return str(path)
    problem = family_problem(FONT_ROLES[key], value)
    if problem:
        raise ValueError(problem)
    return value


def readme_table() -> str:
    """The README's list of the theme's keys, made from model.Theme (a test compares them)."""
    def shown(value) -> str:
        if isinstance(value, dict):
            return "{ " + ", ".join(f'{k} = "{v}"' for k, v in value.items()) + " }"
        return str(value).lower() if isinstance(value, bool) else f'"{value}"'
    rows = ["| Key | Kind | Default | What it sets |", "|---|---|---|---|"]
    rows += [f"| `{name}` | {kind} | `{shown(default)}` | {doc} |" for name, kind, default, doc in Theme.keys()]
    return "\n".join(rows)
