"""The tests' Restorer (tests/projects.py) puts a folder back whatever a test did in it."""
from __future__ import annotations

import shutil

from tests.projects import Restorer


def test_every_kind_of_change_is_undone(tmp_path):
    saved = tmp_path / "saved"
    (saved / "a" / "b").mkdir(parents=True)
    (saved / "a" / "b" / "f.txt").write_text("same")
    (saved / "g.txt").write_text("gone")
    (saved / "link").symlink_to("g.txt")
    target = tmp_path / "target"
    restorer = Restorer(saved, target)
    restorer.restore()

    def tree(folder):
        return sorted((str(p.relative_to(folder)), p.lstat().st_mode,
                       None if p.is_dir() or p.is_symlink() else p.read_bytes()) for p in folder.rglob("*"))

    assert tree(target) == tree(saved)
    (target / "a" / "b" / "f.txt").write_text("diff")   # the same size, at once: the same mtime tick maybe
    (target / "g.txt").unlink()
    (target / "new").mkdir()
    (target / "new" / "x").write_text("x")
    (target / "link").unlink()
    (target / "link").mkdir()
    (target / "a").chmod(0o500)
    restorer.restore()
    assert tree(target) == tree(saved)
    (target / "a" / "b").chmod(0o000)   # unreadable: copied all again
    restorer.restore()
    assert tree(target) == tree(saved)
    shutil.rmtree(target)
    restorer.restore()
    assert tree(target) == tree(saved)
