"""`report data new-year YYYY`: rows to fill for a new data year.

Every indicator the report prints relative to its year gets an empty row for the new
year, right after its latest row in the same CSV file (same unit, labels and source),
and data/editions.csv gets a stub row. Existing rows are never touched, so running it
again adds nothing. Files are edited as text, keeping their BOM and line endings.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from builder.analysis.usage import needs
from builder.cache import Cache, atomic_write
from builder.readers.data import read_dataset
from builder.readers.project import Project


@dataclass
class ToFill:
    file: str
    line: int
    indicator: str
    label: str


def new_year(project: Project, cache: Cache, year: int) -> tuple[int, list[ToFill], str | None]:
    """Add the rows; return (rows added, every empty row of `year` the report needs,
    the editions stub added or None)."""
    root, dataset = project.root, project.dataset
    wanted = sorted({n.indicator for n in needs(project, cache)})
    inserts: dict[str, dict[int, list[dict]]] = {}    # file -> after line -> rows
    for ident in wanted:
        ind = dataset.indicators[ident]
        if year in ind.rows:
            continue
        last = ind.rows[max(ind.rows)]
        after = max(r.line for r in ind.rows.values() if r.file == last.file)
        inserts.setdefault(last.file, {}).setdefault(after, []).append({
            "id": ident, "year": str(year), "value": "", "unit": ind.unit, "label_zh": ind.label["zh"],
            "label_en": ind.label["en"], "source": ind.source, "notes": ""})
    for rel, rows in inserts.items():
        _insert_rows(root / rel, rows)
    stub = None
    if year not in dataset.edition_of:
        known = max(dataset.edition_of, default=None)
        edition = year + (dataset.edition_of[known] - known if known else 1)
        stub = _insert_rows(root / "data" / "editions.csv", {10**9: [
            {"year": str(year), "published": "", "edition": str(edition)}]})
    # Read again for the lines as they are now (inserted rows shift those below them).
    fresh = read_dataset(root / "data", root)
    todo = [ToFill(row.file, row.line, ident, fresh.indicators[ident].label["en"])
            for ident in wanted if (row := fresh.indicators[ident].rows.get(year)) and row.value is None]
    return sum(len(r) for rows in inserts.values() for r in rows.values()), \
        sorted(todo, key=lambda t: (t.file, t.line)), stub


def _insert_rows(path: Path, rows_after: dict[int, list[dict]]) -> str:
    """Insert CSV rows after the given physical lines (a line past the end appends),
    in the file's own column order, encoding and line ending. Returns the last row's text."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    header = next(csv.reader([lines[0]]))
    header = [h.strip() for h in header]
    out: list[str] = []
    added = ""

    def emit(rows):
        nonlocal added
        for row in rows:
            buf = io.StringIO()
            csv.writer(buf, lineterminator=newline).writerow([row.get(c, "") for c in header])
            out.append(buf.getvalue())
            added = buf.getvalue().strip()

    for number, line in enumerate(lines, 1):
        out.append(line)
        emit(rows_after.get(number, []))
    emit([r for after, rows in rows_after.items() if after > len(lines) for r in rows])
    data = "".join(out).encode("utf-8")
    atomic_write(path, (b"\xef\xbb\xbf" if bom else b"") + data)   # never half a file
    return added
