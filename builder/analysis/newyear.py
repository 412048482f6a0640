"""`report data new-year YYYY`: rows to fill for a new data year.

Every indicator the report prints relative to its year gets an empty row for the new
year, right after its latest row in the same CSV file (same unit, and the latest row's
labels and source, `{{ year }}` in them kept as written; facts without a year never),
and data/editions.csv gets a stub row. Existing rows are never touched, so running it
again adds nothing. Files are edited as text, keeping their BOM and line endings.

The year must be the next one (the newest of data/editions.csv plus one; or that newest
year again, to add rows it still lacks): anything else is refused before a file is
touched. Every file is written only once all are prepared, and if the data then do not
read back, every file is put back as it was.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from builder.analysis.usage import editions_line, needs
from builder.cache import Cache, atomic_write
from builder.errors import ReportError
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
    check_new_year(project, year)
    wanted = sorted({n.indicator for n in needs(project, cache)})
    inserts: dict[str, dict[int, list[dict]]] = {}    # file -> after line -> rows
    for ident in wanted:
        ind = dataset.indicators[ident]
        if year in ind.rows or not ind.rows:
            continue
        last = ind.rows[max(ind.rows)]
        after = max(r.line for r in ind.rows.values() if r.file == last.file)
        inserts.setdefault(last.file, {}).setdefault(after, []).append({
            "id": ident, "year": str(year), "value": "", "unit": ind.unit, "label_zh": last.label["zh"],
            "label_en": last.label["en"], "source": last.source, "notes": ""})
    changes = {rel: _insert_rows(root / rel, rows) for rel, rows in inserts.items()}
    stub = None
    if year not in dataset.edition_of:
        known = max(dataset.edition_of, default=None)
        edition = year + (dataset.edition_of[known] - known if known else 1)
        changes["data/editions.csv"] = _insert_rows(root / "data" / "editions.csv", {10**9: [
            {"year": str(year), "published": "", "edition": str(edition)}]})
        stub = changes["data/editions.csv"][1]
    # Read again for the lines as they are now (inserted rows shift those below them).
    fresh = _write_all(root, {rel: data for rel, (data, _) in changes.items()})
    todo = [ToFill(row.file, row.line, ident, fresh.indicators[ident].label_in(year, "en"))
            for ident in wanted if (row := fresh.indicators[ident].rows.get(year)) and row.value is None]
    return sum(len(r) for rows in inserts.values() for r in rows.values()), \
        sorted(todo, key=lambda t: (t.file, t.line)), stub


def check_new_year(project: Project, year: int) -> None:
    """Only the next year (or the newest again, to add rows it lacks); else an error
    naming the newest row of data/editions.csv and the year to give."""
    dataset = project.dataset
    newest = max(dataset.edition_of, default=None) or max(dataset.years, default=None)
    if newest is None:
        if not 1900 < year < 2200:
            raise ReportError(f"{year} is not a four-digit year: give the data year to add")
        return
    if year not in (newest, newest + 1):
        raise ReportError(f"{year} is not the next data year: the newest in data/editions.csv is "
                          f"{newest}, so run `report data new-year {newest + 1}`; nothing was changed",
                          "data/editions.csv", editions_line(project, newest))


def _write_all(root: Path, contents: dict[str, bytes]):
    """Write every changed file, then read the data back; if anything fails, put every
    file back as it was and raise."""
    before = {rel: (root / rel).read_bytes() for rel in contents}
    try:
        for rel, data in contents.items():
            atomic_write(root / rel, data)   # never half a file
        return read_dataset(root / "data", root)
    except BaseException:
        for rel, data in before.items():
            atomic_write(root / rel, data)
        raise


def _insert_rows(path: Path, rows_after: dict[int, list[dict]]) -> tuple[bytes, str]:
    """The file with CSV rows inserted after the given physical lines (a line past the end
    appends), in its own column order, encoding and line ending; and the last row's text."""
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
    return (b"\xef\xbb\xbf" if bom else b"") + data, added
