"""`report init DIR`: a new report folder from the example in template/ (content/ and
data/ of a small bilingual report that builds as it is), copied file by file."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from builder.errors import ReportError


def _files(folder, prefix: tuple[str, ...] = ()):
    """(relative parts, bytes) of every file under a resources folder."""
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.is_dir():
            yield from _files(item, prefix + (item.name,))
        else:
            yield prefix + (item.name,), item.read_bytes()


def init(dest: Path) -> list[Path]:
    """Write the example report into `dest`, which must not exist or be empty; the files
    written, relative to it. Nothing is written outside `dest`."""
    if dest.exists() and not dest.is_dir():
        raise ReportError("cannot start a report here: it is a file, not a folder", str(dest))
    if dest.is_dir() and any(dest.iterdir()):
        raise ReportError("cannot start a report here: the folder is not empty (give a new or empty one)",
                          str(dest))
    files = list(_files(resources.files(__package__) / "template"))
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for parts, data in files:
        path = dest.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(Path(*parts))
    return written
