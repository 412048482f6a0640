"""The build cache in .cache/: results keyed by everything they depend on, the builder's
own code included, each file written whole or not at all."""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path


@functools.cache
def code_version() -> str:
    """Changes with any of the builder's source files and with the installed packages'
    versions: a cached result made by other code (reportlab's, say) is never reused."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    for folder in sys.path:   # "reportlab-4.2.0.dist-info": names carry the versions
        if folder.endswith("site-packages") and os.path.isdir(folder):
            digest.update(repr(sorted(n for n in os.listdir(folder) if n.endswith(".dist-info"))).encode())
    return digest.hexdigest()


def cache_key(*parts) -> str:
    """`parts` must have a stable repr (dataclasses, tuples, strings, numbers)."""
    return hashlib.sha256(repr((code_version(), parts)).encode()).hexdigest()[:32]


def files_digest(folder: Path, suffixes: tuple[str, ...]) -> str:
    """Changes with any file under `folder` ending in `suffixes`: its path, where it
    points, its bytes."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.suffix in suffixes and path.is_file():
            digest.update(repr((str(path.relative_to(folder)), str(path.resolve()))).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def write_whole(path: Path, data: bytes) -> None:
    """Temporary file beside `path` + rename: a concurrent build sees no file or a whole one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def load(path: Path):
    """The value stored at `path`, or None if there is none (or it cannot be read)."""
    try:
        with path.open("rb") as file:
            value = pickle.load(file)
        os.utime(path)   # recently used: kept by prune()
        return value
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None


def store(path: Path, value) -> None:
    try:
        write_whole(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:   # a read-only or full cache folder only costs speed
        pass


def prune(folder: Path, keep_bytes: int) -> None:
    """Remove the least recently used values until `folder` holds at most `keep_bytes`:
    every edit stores new ones, and a writer edits all day."""
    files = []
    for path in folder.glob("*.pickle"):
        try:
            stat = path.stat()
        except OSError:   # removed meanwhile by a concurrent build
            continue
        files.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in files)
    for _, size, path in sorted(files):
        if total <= keep_bytes:
            break
        try:
            path.unlink()
        except OSError:
            pass
        total -= size
