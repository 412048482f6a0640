"""Report folders for the tests: the roots (tests/roots/<name>/, and "default", the
repository's own report) and copying one to build or edit."""
from __future__ import annotations

import shutil
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
