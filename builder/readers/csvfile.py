"""Reading a CSV file of data/ as text cells, with the line numbers an editor counts."""
from __future__ import annotations

import re
from pathlib import Path

from builder.errors import DataError
from builder.readers.config import check_file, not_utf8

MAX_CSV_BYTES = 1_000_000   # a whole report's data is ~100 KB; reading time grows with the rows


def read_csv(path: Path, columns: list[str], root: Path, optional: tuple[str, ...] = ()):
    """Read a CSV as text cells; wrong header or undecodable bytes are errors. Columns
    `optional` may be left out (their cells read as empty)."""
    import pandas as pd

    where = rel(path, root)
    try:
        check_file(root, path, where, MAX_CSV_BYTES, DataError)
    except DataError as exc:
        if exc.message.startswith("file of "):
            exc.message += " (split it into several files, or keep only the rows the report uses)"
        raise
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            skip_blank_lines=True)
    except UnicodeDecodeError:
        raise not_utf8(path, where, DataError) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise DataError(f"CSV does not parse: {str(exc).strip().splitlines()[-1]}", where,
                        int(line.group(1)) if line else None)
    missing = [c for c in columns if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in columns and c not in optional]
    for column in optional:
        if column not in frame.columns:
            frame[column] = ""
    if missing or unknown:
        raise DataError(f"header must be {','.join(columns)}"
                        + (f"; missing {', '.join(missing)}" if missing else "")
                        + (f"; unknown {', '.join(map(str, unknown[:10]))}" if unknown else "")
                        + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""), where, 1)
    # pandas drops blank lines, so take line numbers from its index only when none were
    # skipped; otherwise recount from the raw file.
    lines = data_line_numbers(path)
    return [(lines[i] if i < len(lines) else i + 2, {c: str(v).strip() for c, v in row.items()})
            for i, row in enumerate(frame.to_dict("records"))]


def data_line_numbers(path: Path) -> list[int]:
    import csv
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_BYTES))   # a cell may be the whole file
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        numbers, start = [], reader.line_num + 1
        for row in reader:   # a row's line is where it starts (a quoted cell may hold line breaks)
            if any(cell.strip() for cell in row):
                numbers.append(start)
            start = reader.line_num + 1
        return numbers


def rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
