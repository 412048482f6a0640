"""What `report check` warns about as typed instead of bound: figures, years, ranks and
data-dependent claims written into the prose, which would not follow next year's data.

Scanned: the front matter and every chapter's zh.md and en.md, line by line, leaving out
figure/table fences, links and everything inside a placeholder (`{{ … }}`, `{% … %}`), so
`{{ fixed("2019 年 6 月") }}`, which prints a historical fact unchanged, is never
flagged; and the titles, axis labels and headers of each chapter's figures.toml.

Numbers, one warning each, the first that applies:
- a year equal to the data year or the year before: `{{ year }}`, `{{ prev_year }}`;
- a thousands separator (1,011, 1，011): placeholders print it themselves;
- digits glued to Chinese (达1011家, 达**1011**家): numbers come from placeholders, set off
  by blanks;
- a number data/ holds (dates, thresholds such as 10 亿元 and numbers below 10 aside).
Words: the phrases of `builder.words.TYPED_CLAIMS` (its comment gives the rule).
References: a figure or table number typed (图 1-1, Figure 1-1): {numref}`id` prints it.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import partial
from pathlib import Path

from builder.cache import Cache
from builder.errors import ReportError
from builder.readers.chapters import read_text
from builder.readers.config import inside, read_toml
from builder.readers.figures import FIGURE_TEXTS
from builder.words import TYPED_CLAIMS, TYPED_EXCEPTIONS

HOLE = "\x00"   # where a placeholder was: "达{{ x }}家" must not read as "达家"
LEADER = "\x01"  # where one naming a group's leader was ({{ g.top.label }}): see typed_words
LEADS = re.compile(r"\.(top|bottom|sorted)\b|\.(top|bottom)_(all|is_unique)\b")
CLAUSE_END = re.compile(r"[。！？；，!?;,]|\.(?=\s|$)")
BOUND = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
NOT_PROSE = re.compile(r"<https?://[^>]*>|\]\([^)]*\)|https?://\S+|<!--.*?-->|`[^`]*`")
NUMBER = re.compile(r"(?<![A-Za-z_.\d])(?<![A-Za-z]-)(\d{1,3}(?:[,，]\d{3})+|\d+)(\.\d+)?(?![A-Za-z_\d])(\s*%)?")
EMPHASIS = "*~"   # Markdown's marks between a number and the Chinese it is glued to
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Dates and thresholds such as "10 亿元" are not data figures.
DATE_PART = re.compile(r"^\s*[月日号亿万]|^(st|nd|rd|th)\b|^\s*(billion|million|trillion)")
TYPED_REF = re.compile(r"[图表]\s*\d+\s*[-－–]\s*\d+|\b(?:Figure|Fig\.|Table)\s+\d+[-–.]\d+\b")
MONTHS = re.compile(r"(January|February|March|April|May|June|July|August|September|October|"
                    r"November|December)\s*$")

SLOTS = {
    "zh": {"n": "[一二三四五六七八九十两几数半百]+", "ord": r"第(?:[一二三四五六七八九十]+|\d+)",
           "q": r"\s*[\d一二三四五六七八九十两几数半百千万]+", "v": "[\x00\x01]"},
    "en": {"n": r"(?:one|two|three|four|five|six|seven|eight|nine|ten|several|a few)",
           "ord": r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))",
           "q": r"(?:\d+(?:[,.]\d+)*|(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|"
                r"a hundred|a thousand|half|a third|a quarter|a fifth|twice|double|triple)(?![A-Za-z]))",
           "v": "[\x00\x01]"},
}
FIX = '; a fixed historical fact: {{ fixed("…") }}'
UNKNOWN = "no indicator has this value: add it to data/ and use its placeholder" + FIX
HINTS = {
    "share": "print it from data: {{ x.share_of(total) }} or {{ x.approx }}, {{ a.share_of(b).approx }}",
    "multiple": "print it from data: {{ a.times(b) }} or {{ x.growth_since(YEAR) }}",
    "trend": "let data choose the words: {{ x.trend }}, {{ x.trend_since(YEAR) }} or {{ x.increase }}",
    "rank": "derive it from data: {{ x.rank_in(group) }}, {{ group.top.label }} (data/groups.toml) "
            "or a value of unit rank: {{ x.ordinal }}",
    "superlative": "derive it from data: {{ group.top.label }} / {{ group.bottom.label }} (data/groups.toml)",
    "approximation": "print it from data: {{ x.approx }} or {{ a.share_of(b).approx }}",
}


def _compile(phrase: str, lang: str) -> str:
    parts = re.split(r"\{(n|ord|q|v)\}", phrase)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(SLOTS[lang][part])
        else:
            out.append(r"\s+".join(re.escape(word) for word in part.split(" ")))
    body = "".join(out)
    return rf"(?<![A-Za-z]){body}(?![A-Za-z])" if lang == "en" else body


def _patterns() -> dict[str, list[tuple[str, re.Pattern]]]:
    """One pattern per phrase (a phrase may overlap another: 退居 and 居第二)."""
    found: dict[str, list[tuple[str, re.Pattern]]] = {}
    for lang, kinds in TYPED_CLAIMS.items():
        flags = re.I if lang == "en" else 0
        groups = list(kinds.items()) + [("exception", TYPED_EXCEPTIONS[lang])]
        found[lang] = [(kind, re.compile(_compile(phrase, lang), flags))
                       for kind, phrases in groups for phrase in phrases]
    return found


PATTERNS = _patterns()


def known_values(dataset) -> dict[tuple[bool, Decimal], str]:
    """Every value of data/, keyed like with like: (is a percentage, value) -> indicator."""
    known: dict[tuple[bool, Decimal], str] = {}
    for ind in dataset.indicators.values():
        for value in (r.value for r in ind.rows.values() if r.value is not None):
            known.setdefault((ind.unit == "percent", value.normalize()), ind.id)
    return known


def typed_warnings(project, year: int, cache: Cache | None = None) -> list[str]:
    """Every typed figure or claim of the report, as `file:line: message`; each text's kept
    in `cache`, so that a check after an edit scans the edited files only."""
    root, known = project.root, known_values(project.dataset)

    def scan(rel: str, lang: str) -> list[str]:
        path = root / rel
        if not path.exists() or not inside(root, path):   # (the reader reports a file outside)
            return []
        try:
            text = read_text(root, rel)
        except ReportError:   # reported by the reader
            return []
        if cache is None:
            return scan_text(text, rel, lang, year, known)
        return cache.memo("checks", ("typed", text, rel, lang, year, project.data_key),
                          partial(scan_text, text, rel, lang, year, known))
    warnings = []
    for lang in ("zh", "en"):
        warnings += scan(f"content/{project.manifest.front}/{lang}.md", lang)
    for entry in project.manifest.chapters:
        for lang in ("zh", "en"):
            warnings += scan(f"content/chapters/{entry.id}/{lang}.md", lang)
        warnings += scan_figures(root, f"content/chapters/{entry.id}/figures.toml", year, known)
    return warnings


def scan_text(text: str, rel: str, lang: str, year: int, known) -> list[str]:
    """The warnings of one chapter file's text (`rel`)."""
    warnings = []
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            if "```" not in line.lstrip()[3:]:   # ```{figure} id``` on one line opens nothing
                fenced = not fenced
            continue
        if not fenced:
            warnings += [f"{rel}:{number}: {m}" for m in scan_line(line, lang, year, known)]
    return warnings


def scan_line(line: str, lang: str, year: int, known) -> list[str]:
    """What one line of prose has typed: a message for each finding."""
    prose = NOT_PROSE.sub(" ", BOUND.sub(lambda m: LEADER if LEADS.search(m.group(0)) else HOLE, line))
    refs = [f'typed reference "{m.group(0)}": {{numref}}`id` prints its number (the figure or table id '
            'of figures.toml), which follows when figures move' for m in TYPED_REF.finditer(prose)]
    return refs + typed_numbers(TYPED_REF.sub(" ", prose), year, known) + typed_words(prose, lang)


def typed_numbers(prose: str, year: int, known) -> list[str]:
    found = []
    for m in NUMBER.finditer(prose):
        digits, decimals, percent = m.group(1), m.group(2) or "", m.group(3) or ""
        value = Decimal(re.sub("[,，]", "", digits) + decimals)
        ident = known.get((bool(percent), value.normalize()))
        use = f"data has it as {ident}: use {{{{ {ident} }}}}" if ident else None
        start, end = _beside(prose, m.start() - 1, -1), _beside(prose, m.end(), 1)
        if not decimals and not percent and digits in (str(year), str(year - 1)):
            which = ("the data year", "year") if digits == str(year) else ("the year before", "prev_year")
            found.append(f"{digits} is typed in the text; it is {which[0]}: use {{{{ {which[1]} }}}} "
                         f"(a date: a value of unit date, {{{{ d.month_year }}}}){FIX}")
        elif "," in digits or "，" in digits:
            found.append(f"{digits}{decimals} is typed in the text with a thousands separator; {use or UNKNOWN}")
        elif CJK.match(prose[start:start + 1]) or CJK.match(prose[end:end + 1]):
            context = _shown(prose[max(start, 0):end + 1])
            found.append(f"{m.group(0).strip()} is typed in the text, glued to Chinese ({context}); "
                         f"{use or UNKNOWN}")
        elif use and not _not_a_figure(prose, m, value):
            found.append(f"{digits}{decimals} is typed in the text; {use}")
    return found


def _beside(prose: str, at: int, step: int) -> int:
    """The position of the first character from `at` on (going by `step`) that is not an
    emphasis mark: the number's neighbour as printed."""
    while 0 <= at < len(prose) and prose[at] in EMPHASIS:
        at += step
    return at


def _not_a_figure(prose: str, m: re.Match, value: Decimal) -> bool:
    is_year = 1900 <= value <= 2100 and not m.group(2)
    is_date = DATE_PART.match(prose[m.end():]) or MONTHS.search(prose[:m.start()])
    return bool(is_year or is_date or value < 10)


def typed_words(prose: str, lang: str) -> list[str]:
    """Phrases of TYPED_CLAIMS; overlapping matches are one finding, the first kind found.
    A rank or superlative in a clause naming a group's leader from data (`{{ g.top.label }}
    以 {{ g.top }} 所居首`, `{{ g.top.label }} leads with …`) is true by construction: quiet."""
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in PATTERNS[lang]:
        spans += [(m.start(), m.end(), kind) for m in pattern.finditer(prose) if m.end() > m.start()]
    excepted = [(a, b) for a, b, kind in spans if kind == "exception"]
    merged: list[list] = []
    for start, end, kind in sorted(s for s in spans if s[2] != "exception"):
        if any(a < end and start < b for a, b in excepted) or \
                kind in ("rank", "superlative") and LEADER in _clause(prose, start):
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, kind])
    return [f'typed {kind} "{_shown(prose[start:end])}": {HINTS[kind]}{FIX}' for start, end, kind in merged]


def _clause(prose: str, at: int) -> str:
    """The clause of `prose` around position `at` (up to a comma or a sentence's end)."""
    ends = [m.end() for m in CLAUSE_END.finditer(prose)]
    start = max([e for e in ends if e <= at], default=0)
    end = min([e for e in ends if e > at], default=len(prose))
    return prose[start:end]


def _shown(text: str) -> str:
    return text.replace(HOLE, "{{…}}").replace(LEADER, "{{…}}").strip()


def scan_figures(root: Path, rel: str, year: int, known) -> list[str]:
    """Titles, axis labels and headers of figures.toml: text with placeholders too."""
    path = root / rel
    if not path.exists() or not inside(root, path):   # (the reader reports a file outside)
        return []
    try:
        text, raw = read_toml(path, rel)
    except ReportError:   # reported as an error by the chapter reader
        return []
    lines = text.splitlines()
    warnings = []
    for kind in ("figure", "table"):
        for item in raw.get(kind) if isinstance(raw.get(kind), list) else []:
            if not isinstance(item, dict):   # (reported by the chapter reader)
                continue
            ident = item.get("id")
            start = next((n for n, line in enumerate(lines, 1)
                           if re.match(rf'\s*id\s*=\s*"{re.escape(str(ident))}"', line)), 1)
            for key, lang, label in _labels(item):
                line = _line_of(lines, json.dumps(label, ensure_ascii=False)[1:-1], start)
                warnings += [f"{rel}:{line}: {kind} {ident} {key} ({lang}): {m}"
                             for m in scan_line(label, lang, year, known)]
    return warnings


def _labels(item: dict):
    """(key, language, text) of each title, header cell, axis label, note and source of a
    definition."""
    for key in ("title", "header", *FIGURE_TEXTS):
        value = item.get(key)
        for lang, texts in value.items() if isinstance(value, dict) else []:
            for text in texts if isinstance(texts, list) else [texts]:
                if lang in PATTERNS and isinstance(text, str):
                    yield key, lang, text


def _line_of(lines: list[str], needle: str, start: int) -> int:
    """The first line (1-based) from line `start` on holding `needle`; else `start`."""
    for number in range(start, len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return start
