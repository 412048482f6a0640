"""The build cache in .cache/: one folder per namespace, entries keyed by everything they
depend on (the builder's own code and the installed packages' versions included, so one
version scheme serves every stage), each written whole or not at all, the least recently
used removed when a namespace outgrows its limit. Deleting .cache/ is always safe."""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")

# MB per namespace; every namespace a stage uses is listed, so every one is pruned.
LIMITS_MB = {"data": 20, "chapters": 50, "probes": 20, "charts": 100, "fonts": 200, "pdf-parts": 300}


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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, write: bytes | Callable[[Path], T]) -> T | None:
    """Write `path` whole or not at all: bytes, or `write(tmp)` filling a temporary file
    created exclusively (unpredictable name, pid inside for clean-up) beside `path`, then
    renamed over it. Returns what `write` returned."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            if isinstance(write, bytes):
                file.write(write)
        result = None if isinstance(write, bytes) else write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())   # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
        return result
    finally:
        tmp.unlink(missing_ok=True)


class Cache:
    """`.cache/` of one report folder; `Cache(None)` keeps nothing."""

    def __init__(self, root: Path | None):
        self.root = root

    def file(self, namespace: str, name: str) -> Path | None:
        """Where a file entry (a chart, a font subset) lives; None without a cache."""
        assert namespace in LIMITS_MB, namespace
        return self.root / namespace / name if self.root else None

    def load(self, namespace: str, key: str):
        """The value stored under `key`, or None (none stored, or unreadable)."""
        path = self.file(namespace, f"{key}.pickle")
        if path is None:
            return None
        try:
            with path.open("rb") as file:
                value = pickle.load(file)
            os.utime(path)   # recently used: kept by prune()
            return value
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None

    def store(self, namespace: str, key: str, value) -> None:
        path = self.file(namespace, f"{key}.pickle")
        if path is None:
            return
        try:
            atomic_write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:   # a read-only or full cache folder only costs speed
            pass

    def memo(self, namespace: str, parts: tuple, compute: Callable[[], T]) -> T:
        """The value of `compute()` for `parts` (see cache_key), computed once."""
        key = cache_key(namespace, parts)
        found = self.load(namespace, key)
        if found is None:
            found = compute()
            self.store(namespace, key, found)
        return found

    def prune(self) -> None:
        """Every namespace back under its limit: every edit stores new entries, and a
        writer edits all day."""
        if self.root:
            for namespace, megabytes in LIMITS_MB.items():
                prune(self.root / namespace, megabytes * 2**20)


def prune(folder: Path, keep_bytes: int) -> None:
    """Remove the least recently used files until `folder` holds at most `keep_bytes`."""
    files = []
    for path in folder.glob("*"):
        try:
            stat = path.stat()
        except OSError:   # removed meanwhile by a concurrent build
            continue
        if path.is_file() and not path.name.endswith(".tmp"):
            files.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in files)
    for _, size, path in sorted(files):
        if total <= keep_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size
