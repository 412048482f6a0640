"""data/groups.toml (optional): named groups of indicators, so the prose can name the
leader of a group and the rank of a member from data, never typed.

    [univ_regions]                     # the group's name, used in templates like an indicator
    members = ["univ_beijing", "univ_jiangsu", "univ_shanghai"]   # two or more, one unit
    label = {zh = "五省市", en = "the five regions"}              # optional: {{ univ_regions.label }}

A group is checked like a data/checks.toml rule: every member is an indicator, all
of one unit (not date), listed once; its name is not an indicator id. Templates use it
through readers.group_values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from builder.errors import DataError
from builder.readers.config import read_toml

# Names the templates give a meaning of their own: no indicator or group may take them.
RESERVED = frozenset({"year", "prev_year", "edition", "each", "fixed"})
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
KEYS = {"members", "label"}


@dataclass(frozen=True)
class Group:
    name: str
    members: tuple[str, ...]
    label: tuple[tuple[str, str], ...]   # (("zh", ...), ("en", ...)), or () without a label
    file: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def read_groups(path: Path, rel: str, indicators: dict, problems: list) -> dict[str, Group]:
    """Every valid group of `path` (none when the file is absent); problems are appended."""
    if not path.exists():
        return {}
    try:
        text, raw = read_toml(path, rel, DataError)
    except DataError as exc:
        problems.append(exc)
        return {}
    # tomllib gives no positions: a group is found at its `[name]` header.
    lines = {m.group(1).strip('"\' '): text.count("\n", 0, m.start()) + 1
             for m in re.finditer(r"^[ \t]*\[([^\[\]]+)\][ \t]*(?:#.*)?$", text, re.M)}
    groups = {}
    for name, item in raw.items():
        line = lines.get(name, 1)
        problem = _problem(name, item, indicators)
        if problem:
            problems.append(DataError(f"group {name}: {problem}", rel, line))
            continue
        label = item.get("label")
        groups[name] = Group(name, tuple(item["members"]), tuple(sorted(label.items())) if label else (),
                             rel, line)
    return groups


def _problem(name: str, item, indicators: dict) -> str | None:
    """Why a group cannot be used, or None."""
    if not isinstance(item, dict):
        return "write it as a table: [name] with members = [...]"
    if not NAME.match(name):
        return "a group name must be lower_snake_case"
    if name in indicators:
        return f"{name!r} is an indicator id too; give the group another name"
    if name in RESERVED:
        return f"{name!r} is a word of the templates; give the group another name"
    unknown = set(item) - KEYS
    members = item.get("members")
    label = item.get("label")
    if unknown:
        return f"unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(KEYS))})"
    if not isinstance(members, list) or len(members) < 2 or not all(isinstance(m, str) for m in members):
        return "members must be a list of at least two indicator ids"
    if label is not None and (not isinstance(label, dict) or set(label) != {"zh", "en"}
                              or not all(isinstance(v, str) and v for v in label.values())):
        return 'label needs zh and en, e.g. label = {zh = "五省市", en = "the five regions"}'
    twice = sorted({m for m in members if members.count(m) > 1})
    if twice:
        return f"member {twice[0]!r} is listed twice"
    missing = [m for m in members if m not in indicators]
    if missing:
        return f"unknown indicator {missing[0]!r}"
    units = sorted({indicators[m].unit for m in members})
    if len(units) > 1:
        return f"members have different units ({', '.join(units)})"
    if units == ["date"]:
        return "members are dates, which are not ranked"
    return None
