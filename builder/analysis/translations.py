"""Translation status: which zh/en pairs (analysis.pairs) changed on one side since the
pair was last confirmed with `report translations --confirm`.

Each chapter folder keeps `translations.toml`: one line per confirmed pair, in the order
of the text, with a short hash of each side's normalized text and the normalized text
itself, so that a changed side can be shown as a diff against what was confirmed.
Pairs are found by their hashes, not their positions: inserting a paragraph elsewhere
does not unconfirm the pairs after it.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from builder.analysis.pairs import Block, ChapterPairs, chapter_pairs
from builder.cache import Cache, atomic_write
from builder.errors import ContentError, ReportError
from builder.readers.config import read_toml
from builder.readers.manifest import read_manifest

FILE = "translations.toml"
HEADER = ("# Translation pairs of zh.md and en.md as last confirmed (`report translations --confirm`;\n"
          "# do not edit): short hashes of each side's normalized text, and the text, for diffs.\n")
CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
# Spaces that are not text: next to a Chinese character, or inside {{ }} / {% %}.
LOOSE_SPACE = re.compile(rf"(?<=[{CJK}]) | (?=[{CJK}])|(?<=\{{[{{%]) | (?=[%}}]\}})")
DIFF_LINES = 4


def normalize(text: str) -> str:
    """Whitespace never counts: runs collapsed to one space, and none kept where Chinese
    has none (between Chinese characters, or a Chinese character and anything)."""
    return LOOSE_SPACE.sub("", " ".join(text.split()))


def digest(text: str) -> str:
    return hashlib.blake2b(normalize(text).encode(), digest_size=5).hexdigest()


@dataclass(frozen=True)
class Confirmed:
    zh: str
    en: str
    zh_text: str
    en_text: str


@dataclass
class Change:
    zh: Block
    en: Block
    side: str                 # "zh", "en" (that side changed) or "both" (new pair)
    diff: list[str]

    @property
    def block(self) -> Block:
        return self.en if self.side == "en" else self.zh


@dataclass
class Status:
    chapter: str
    pairs: ChapterPairs
    confirmed: list[Confirmed] | None     # None: no translations.toml yet
    changes: list[Change]

    @property
    def folder(self) -> str:
        return f"content/chapters/{self.chapter}"

    def where(self, change: Change) -> str:
        other = "en" if change.side != "en" else "zh"
        return (f"{self.folder}/{change.side if change.side != 'both' else 'zh'}.md:{change.block.start} "
                f"({other}.md:{(change.en if other == 'en' else change.zh).start})")


def read_confirmed(root: Path, chapter: str) -> list[Confirmed] | None:
    path = root / "content" / "chapters" / chapter / FILE
    rel = f"content/chapters/{chapter}/{FILE}"
    if not path.exists() and not path.is_symlink():
        return None
    _, raw = read_toml(path, rel)   # (a folder or a link out of the report folder is an error)
    entries = raw.get("pairs")
    fields = ("zh", "en", "zh_text", "en_text")
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and all(isinstance(e.get(f), str) for f in fields) for e in entries):
        raise ContentError("not as `report translations --confirm` writes it: run it again", rel)
    return [Confirmed(*(e[f] for f in fields)) for e in entries]


def chapter_status(root: Path, chapter: str, cache: Cache | None = None) -> Status | None:
    """None when a chapter file is missing (reading the chapter reports it)."""
    pairs = chapter_pairs(root, chapter, cache)
    if pairs is None:
        return None
    confirmed = read_confirmed(root, chapter)
    known = {(c.zh, c.en) for c in confirmed or []}
    by_zh = {c.zh: c for c in confirmed or []}
    by_en = {c.en: c for c in confirmed or []}
    changes = []
    for zh, en in pairs.pairs:
        hashes = digest(zh.text), digest(en.text)
        if hashes in known:
            continue
        if hashes[0] in by_zh:      # zh as confirmed: en changed
            changes.append(Change(zh, en, "en", short_diff(by_zh[hashes[0]].en_text, normalize(en.text))))
        elif hashes[1] in by_en:
            changes.append(Change(zh, en, "zh", short_diff(by_en[hashes[1]].zh_text, normalize(zh.text))))
        else:
            changes.append(Change(zh, en, "both", []))
    return Status(chapter, pairs, confirmed, changes)


def _words(text: str) -> list[str]:
    """Words, and each Chinese character on its own: what a diff compares."""
    return re.findall(rf"[{CJK}]|\w+|[^\w\s]|\s+", text)


def short_diff(old: str, new: str) -> list[str]:
    """A few lines, one per changed stretch with a little context: [-removed-]{+added+}."""
    a, b = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    lines = []
    for group in matcher.get_grouped_opcodes(8):
        line = ""
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                line += _clip("".join(a[i1:i2]), first=group[0][1] == i1, last=group[-1][2] == i2)
                continue
            line += f"[-{''.join(a[i1:i2])}-]" if i2 > i1 else ""
            line += f"{{+{''.join(b[j1:j2])}+}}" if j2 > j1 else ""
        lines.append(("…" if group[0][1] else "") + line.strip() + ("…" if group[-1][2] < len(a) else ""))
    return lines[:DIFF_LINES] + (["…"] if len(lines) > DIFF_LINES else [])


def _clip(text: str, first: bool, last: bool, width: int = 40) -> str:
    """Context: the end of what comes before a change, the start of what follows."""
    if len(text) <= width:
        return text
    if first:
        return "…" + text[-width // 2:]
    if last:
        return text[:width // 2] + "…"
    return text[:width // 2] + "…" + text[-width // 2:]


def confirm_file(status: Status) -> str:
    """translations.toml for the chapter's current pairs: the same bytes for the same text."""
    lines, seen = [HEADER, "pairs = [\n"], set()
    for zh, en in status.pairs.pairs:
        zh_text, en_text = normalize(zh.text), normalize(en.text)
        line = (f"  {{zh = \"{digest(zh.text)}\", en = \"{digest(en.text)}\", "
                f"zh_text = {_string(zh_text)}, en_text = {_string(en_text)}}},\n")
        if line not in seen:
            seen.add(line)
            lines.append(line)
    return "".join(lines) + "]\n"


def _string(text: str) -> str:
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def chapter_ids(root: Path, selected: tuple[str, ...] = ()) -> list[str]:
    """The chapters of content/report.toml, or those selected by id, name (alpha for
    01-alpha) or number."""
    ids = [entry.id for entry in read_manifest(root).chapters]
    if not selected:
        return ids
    chosen = []
    for wanted in selected:
        match = [i for n, i in enumerate(ids, 1) if wanted in (i, i.split("-", 1)[-1], str(n))]
        if not match:
            raise ContentError(f"no chapter {wanted!r}: the chapters are {', '.join(ids)}", "content/report.toml")
        chosen += [i for i in match if i not in chosen]
    return chosen


def statuses(root: Path, chapters: list[str],
             cache: Cache | None = None) -> tuple[list[Status], list[str], list[str]]:
    """(status of each readable chapter, errors, warnings): pairs printing different data
    or translations.toml unreadable are errors; a block in one language only a warning."""
    found, errors, warnings = [], [], []
    for chapter in chapters:
        try:
            status = chapter_status(root, chapter, cache)
        except ReportError as exc:
            errors.append(str(exc))
            continue
        if status is not None:
            found.append(status)
            errors += status.pairs.problems
            warnings += status.pairs.gaps
    return found, errors, warnings


def translation_problems(root: Path, chapters: list[str], cache: Cache | None = None) -> tuple[list[str], list[str]]:
    """For `report check`: (errors, warnings), the second with one line per chapter
    with pairs to confirm."""
    found, errors, warnings = statuses(root, chapters, cache)
    for status in found:
        first = status.pairs.pairs[0][0] if status.pairs.pairs else None
        if status.confirmed is None and first is not None:
            warnings.append(f"{status.folder}/zh.md:{first.start}: translations not confirmed yet "
                            f"({len(status.pairs.pairs)} pair(s)): check them, then run "
                            f"`report translations --confirm {status.chapter}`")
        elif status.changes:
            warnings.append(f"{status.where(status.changes[0])}: {len(status.changes)} translation pair(s) "
                            f"new or changed since confirmed, the first here: see `report translations`")
    return errors, warnings


def status_lines(status: Status) -> list[str]:
    """`report translations`: the chapter's summary line, then each pair to confirm."""
    total = len(status.pairs.pairs)
    if status.confirmed is None:
        return [f"{status.folder}: not confirmed yet ({total} pair(s)): "
                f"run `report translations --confirm {status.chapter}`"]
    if not status.changes:
        return [f"{status.folder}: all {total} pair(s) confirmed"]
    lines = [f"{status.folder}: {len(status.changes)} of {total} pair(s) to confirm"]
    for change in status.changes:
        what = "new pair, or both sides changed" if change.side == "both" else \
            f"{change.side}.md changed since confirmed"
        lines.append(f"  {status.where(change)}: {what}")
        lines += [f"      {line}" for line in change.diff]
    return lines


def confirm(root: Path, status: Status) -> bool:
    """Write the chapter's translations.toml; False when it was already so."""
    path = root / "content" / "chapters" / status.chapter / FILE
    data = confirm_file(status).encode()
    if path.is_file() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True
