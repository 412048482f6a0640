"""Report folders for the tests: the roots (tests/roots/<name>/, and "default", the
repository's own report) and copying one to build or edit."""
from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"


def root_folder(root: str) -> Path:
    """The folder of a root: "default" is the repository's own report."""
    path = REPO if root == "default" else ROOTS / root
    if not (path / "content").is_dir() or not (path / "data").is_dir():
        raise ValueError(f"no report root {root!r} (tests/roots/ has {sorted(p.name for p in ROOTS.iterdir())})")
    return path


def copy_root(root: str, dest: Path) -> Path:
    """content/ and data/ of a root into `dest` (created; may exist if empty). Tests build
    copies only: a build writes .cache/ and output/ into its folder."""
    source = root_folder(root)
    for part in ("content", "data"):
        shutil.copytree(source / part, dest / part)
    return dest


def edit(path: Path, old: str, new: str, count: int = -1) -> None:
    """Replace `old`, which must be in the text file `path`: everywhere, or the first `count` times."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


class Restorer:
    """Puts a folder back as a saved copy of it left it, redoing only what changed since
    the last time: what a test added is removed, files it changed or removed are copied
    again, folder modes are set back (a full copy of a built project takes ~50 ms, and
    hundreds of tests start from one).

    A file is unchanged if it has the inode and ctime it had once copied: only the kernel
    sets a ctime (a test can fake an mtime). A change in the same tick of the kernel's
    clock as the copy would keep that ctime, so a restore ends at the next tick."""

    def __init__(self, saved: Path, target: Path):
        self.saved, self.target = saved, target
        self.modes = {p.relative_to(saved): p.lstat().st_mode for p in [saved, *saved.rglob("*")]}
        self.stamps: dict[Path, tuple[int, int]] = {}   # file -> (inode, ctime) when copied
        self.tick = saved.with_name(saved.name + ".tick")   # its ctime: the kernel's clock for files

    def restore(self) -> Path:
        if not self.stamps:
            self._copy_all()
        else:
            try:
                self._sync()
            except OSError:   # a folder a test made unreadable, say
                self._copy_all()
        self.tick.touch()
        while self.tick.stat().st_ctime_ns <= self.newest:
            time.sleep(0.001)
            self.tick.touch()
        return self.target

    def _stamp(self, rel: Path) -> None:
        st = (self.target / rel).lstat()
        self.stamps[rel] = st.st_ino, st.st_ctime_ns
        self.newest = max(self.newest, st.st_ctime_ns)

    def _copy_all(self) -> None:
        if self.target.exists():
            _remove(self.target)
        shutil.copytree(self.saved, self.target, symlinks=True)   # copy2: with the mtimes, which cache keys of fonts use
        self.stamps, self.newest = {}, 0
        for rel, mode in self.modes.items():
            if not stat.S_ISDIR(mode):
                self._stamp(rel)

    def _sync(self) -> None:
        self.newest = 0
        self._fix_mode(Path("."))
        for folder, dirs, files in os.walk(self.target):
            for name in [*dirs, *files]:
                rel = (Path(folder) / name).relative_to(self.target)
                mode = (self.target / rel).lstat().st_mode
                wanted = self.modes.get(rel)
                if wanted is None or stat.S_IFMT(wanted) != stat.S_IFMT(mode):
                    _remove(self.target / rel)
                    if name in dirs:
                        dirs.remove(name)   # (not walked into)
                elif stat.S_ISDIR(mode):
                    self._fix_mode(rel)
                elif self.stamps.get(rel) != _inode_and_ctime(self.target / rel):
                    (self.target / rel).unlink()
        for rel in sorted(self.modes):
            path = self.target / rel
            if path.exists() or path.is_symlink():
                continue
            if stat.S_ISDIR(self.modes[rel]):
                shutil.copytree(self.saved / rel, path, symlinks=True)
                for inner, mode in self.modes.items():
                    if rel in inner.parents and not stat.S_ISDIR(mode):
                        self._stamp(inner)
            else:
                shutil.copy2(self.saved / rel, path, follow_symlinks=False)
                self._stamp(rel)

    def _fix_mode(self, rel: Path) -> None:
        path = self.target / rel
        if path.lstat().st_mode != self.modes[rel]:
            path.chmod(stat.S_IMODE(self.modes[rel]))


def _inode_and_ctime(path: Path) -> tuple[int, int]:
    st = path.lstat()
    return st.st_ino, st.st_ctime_ns


def _remove(path: Path) -> None:
    """A file, link or folder, whatever modes a test gave the folders in it."""
    if path.is_dir() and not path.is_symlink():
        for folder in [path, *path.rglob("*")]:
            if folder.is_dir() and not folder.is_symlink():
                folder.chmod(0o755)
        shutil.rmtree(path)
    else:
        path.unlink()
