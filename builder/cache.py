"""The build cache in .cache/: one folder per namespace, entries keyed by everything they
depend on (the builder's own code and the installed packages' versions included, so one
version scheme serves every stage), each written whole or not at all, the least recently
used removed when a namespace outgrows its limit. Deleting .cache/ is always safe.

A report folder may come from someone else, its .cache/ included, so nothing in it is
trusted: every entry is sealed with a keyed hash (HMAC-SHA256) whose key is this user's
own, kept outside the folder; an entry that does not verify (damaged, truncated, made by
another user or planted) is ignored and computed again, and only then are stored values
unpickled, by an unpickler that builds nothing but the builder's own dataclasses and
plain values."""
from __future__ import annotations

import atexit
import collections
import dataclasses
import decimal
import functools
import hashlib
import hmac
import io
import os
import pickle
import secrets
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")

# MB per namespace; every namespace a stage uses is listed, so every one is pruned.
LIMITS_MB = {"data": 20, "chapters": 50, "probes": 20, "charts": 100, "fonts": 200, "pdf-parts": 300,
             "pdf-files": 100,   # pdf-files: the assembly's (font objects, re-encoded pages)
             "docx-parts": 100,
             "checks": 10}   # what `report check` found in each text (analysis/check.py)


# Namespaces whose values no one changes: a process that builds again (`report watch`)
# keeps the last SHARED_COUNT of them it loaded or made, rather than read and unpickle
# them again. (A chapter as read is changed by the transforms: read each time.)
SHARED = ("probes", "pdf-parts")
SHARED_COUNT = 64
_shared: collections.OrderedDict[str, object] = collections.OrderedDict()   # cache key -> value


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


SECRET_VARIABLE = "REPORT_CACHE_SECRET"   # hands the key to the pool's workers
_SEAL = b"report-cache-1\n"


@functools.cache
def secret() -> bytes:
    """This user's cache key: from $XDG_CACHE_HOME/report/secret (~/.cache/...), made on
    first use; where no such file can be kept, a key for this run only (the cache then
    serves one build, still correctly)."""
    if os.environ.get(SECRET_VARIABLE):
        return bytes.fromhex(os.environ[SECRET_VARIABLE])
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path("~/.cache").expanduser()) / "report"
    path = home / "secret"
    try:
        key = path.read_bytes() if path.is_file() else b""
        if len(key) != 32:
            key = secrets.token_bytes(32)
            home.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(key)
    except OSError:
        key = secrets.token_bytes(32)
    os.environ[SECRET_VARIABLE] = key.hex()
    return key


def _mac(data: bytes) -> bytes:
    return hmac.digest(secret(), data, "sha256")


def seal(data: bytes) -> bytes:
    return _SEAL + _mac(data) + data


def unseal(blob: bytes) -> bytes | None:
    """The data of a sealed blob, or None if it was not sealed with this user's key."""
    head, mac = len(_SEAL), len(_SEAL) + 32
    if not blob.startswith(_SEAL) or len(blob) < mac:
        return None
    data = blob[mac:]
    return data if hmac.compare_digest(blob[head:mac], _mac(data)) else None


class _ValueUnpickler(pickle.Unpickler):
    """Builds only the builder's own dataclasses and a few plain value types, whatever the
    bytes say (pickle's "restricting globals"): a second wall behind the seal."""

    PLAIN = {("decimal", "Decimal"): decimal.Decimal}

    def find_class(self, module, name):
        if (module, name) in self.PLAIN:
            return self.PLAIN[module, name]
        if module.split(".")[0] == "builder":
            found = super().find_class(module, name)
            if isinstance(found, type) and dataclasses.is_dataclass(found):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a cache value")


def cache_key(*parts) -> str:
    """`parts` must have a stable repr (dataclasses, tuples, strings, numbers)."""
    return hashlib.sha256(repr((code_version(), parts)).encode()).hexdigest()[:32]


def files_digest(folder: Path, suffixes: tuple[str, ...], root: Path) -> str:
    """Changes with any file under `folder` ending in `suffixes`: its path, where it
    points, its bytes (not read if it lies outside the report folder `root`: reading it
    is an error of the reader's)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.suffix in suffixes and path.is_file():
            target = path.resolve()
            digest.update(repr((str(path.relative_to(folder)), str(target))).encode())
            size = path.stat().st_size
            if target.is_relative_to(root.resolve()):   # (a file too large to read: refused by its reader)
                digest.update(path.read_bytes() if size <= 50 * 2**20 else repr((size, path.stat().st_mtime_ns)).encode())
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
        self.problem = None   # why .cache/ is not used (a folder of this run's own instead)
        if root is not None and _planted(root):   # links may lead anywhere: prune() would delete there
            self.problem = "a link or a file where the cache's folders go"
            self.root = Path(tempfile.mkdtemp(prefix="report-cache-"))
            atexit.register(shutil.rmtree, self.root, True)

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
            data = unseal(_read(path) or b"")
            if data is None:
                return None
            value = _ValueUnpickler(io.BytesIO(data)).load()
            os.utime(path)   # recently used: kept by prune()
            return value
        except Exception:   # whatever is wrong with an entry, it is computed again
            return None

    def store(self, namespace: str, key: str, value) -> None:
        path = self.file(namespace, f"{key}.pickle")
        if path is None:
            return
        try:
            atomic_write(path, seal(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
        except OSError:   # a read-only or full cache folder only costs speed
            pass

    def keep(self, path: Path, write: bytes | Callable[[Path], T]) -> None:
        """Write a file entry (see `file`) whole, and its seal beside it."""
        for place in (path, _seal_of(path)):   # a folder there (planted): the place is the cache's own
            if place.is_dir() and not place.is_symlink():
                shutil.rmtree(place)
        atomic_write(path, write)
        atomic_write(_seal_of(path), _mac(path.read_bytes()))

    def verified(self, path: Path) -> bool:
        """Whether a file entry is there as a build of this user's wrote it (kept with
        `keep`): a damaged, truncated or planted one is not, and is made again."""
        try:
            seal, data = _read(_seal_of(path)), _read(path)
            if seal is None or data is None or not hmac.compare_digest(seal, _mac(data)):
                return False
            os.utime(path)   # recently used: kept by prune(), with its seal
            os.utime(_seal_of(path))
            return True
        except OSError:
            return False

    def memo(self, namespace: str, parts: tuple, compute: Callable[[], T]) -> T:
        """The value of `compute()` for `parts` (see cache_key), computed once."""
        key = cache_key(namespace, parts)
        if key in _shared:
            _shared.move_to_end(key)
            return _shared[key]
        found = self.load(namespace, key)
        if found is None:
            found = compute()
            self.store(namespace, key, found)
        if namespace in SHARED:
            _shared[key] = found
            if len(_shared) > SHARED_COUNT:
                _shared.popitem(last=False)
        return found

    def unwritable(self) -> str | None:
        """Why nothing can be kept in the cache (a read-only folder, say), or None. Then
        every entry is computed and dropped: the build is as it would be, only slower."""
        if self.root is None:
            return None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".probe-", suffix=".tmp", dir=self.root)
            os.close(fd)
            os.unlink(name)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    def prune(self) -> None:
        """Every namespace back under its limit: every edit stores new entries, and a
        writer edits all day."""
        if self.root:
            for namespace, megabytes in LIMITS_MB.items():
                prune(self.root / namespace, megabytes * 2**20)


MAX_ENTRY = 300 * 2**20


def _read(path: Path) -> bytes | None:
    """An entry's bytes, if it is a regular file of at most MAX_ENTRY bytes and not a link
    (a planted one may lead to any file, to /dev/zero or to a pipe)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        return file.read() if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_ENTRY else None


def _planted(root: Path) -> bool:
    """Whether .cache/ or a namespace's folder is a link or not a folder."""
    return any(path.is_symlink() or (path.exists() and not path.is_dir())
               for path in [root] + [root / namespace for namespace in LIMITS_MB])


def _seal_of(path: Path) -> Path:
    return path.with_name(path.name + ".seal")


def prune(folder: Path, keep_bytes: int) -> None:
    """Remove the least recently used files until `folder` holds at most `keep_bytes`."""
    files = []
    try:
        entries = list(os.scandir(folder))
    except OSError:   # no such folder (yet)
        return
    for entry in entries:
        try:
            if not entry.is_file():
                continue
            info = entry.stat()
        except OSError:   # removed meanwhile by a concurrent build
            continue
        if entry.name.endswith(".tmp"):   # left by a build stopped mid-write (Ctrl-C): a concurrent one is younger
            if info.st_mtime < time.time() - 600:
                Path(entry.path).unlink(missing_ok=True)
        else:
            files.append((info.st_mtime, info.st_size, entry.path))
    total = sum(size for _, size, _ in files)
    for _, size, path in sorted(files):
        if total <= keep_bytes:
            break
        try:
            os.unlink(path)
        except FileNotFoundError:   # removed meanwhile by a concurrent build
            pass
        total -= size
