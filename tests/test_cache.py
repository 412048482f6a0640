"""The build cache: values keyed by what they depend on, pruned least recently used first."""
import os

from builder.cache import cache_key, files_digest, load, prune, store


def test_store_and_load(tmp_path):
    store(tmp_path / "a.pickle", {"x": [1, 2]})
    assert load(tmp_path / "a.pickle") == {"x": [1, 2]}
    assert load(tmp_path / "missing.pickle") is None
    (tmp_path / "broken.pickle").write_bytes(b"not a pickle")
    assert load(tmp_path / "broken.pickle") is None
    assert not list(tmp_path.glob(".*.tmp"))


def test_keys_change_with_their_parts():
    assert cache_key("chapter", 1) == cache_key("chapter", 1)
    assert cache_key("chapter", 1) != cache_key("chapter", 2)


def test_files_digest_follows_bytes_and_names(tmp_path):
    (tmp_path / "a.csv").write_text("1")
    first = files_digest(tmp_path, (".csv",))
    (tmp_path / "notes.txt").write_text("not data")
    assert files_digest(tmp_path, (".csv",)) == first
    (tmp_path / "a.csv").write_text("2")
    second = files_digest(tmp_path, (".csv",))
    (tmp_path / "a.csv").rename(tmp_path / "b.csv")
    assert len({first, second, files_digest(tmp_path, (".csv",))}) == 3


def test_prune_keeps_the_recently_used(tmp_path):
    for i in range(5):
        store(tmp_path / f"{i}.pickle", b"x" * 1000)
        os.utime(tmp_path / f"{i}.pickle", (i, i))   # 0 oldest ... 4 newest
    load(tmp_path / "0.pickle")                       # used now
    prune(tmp_path, 2500)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pickle", "4.pickle"]


def test_code_version_follows_the_installed_packages(tmp_path, monkeypatch):
    """Parts laid out by another reportlab (or any other package) are not reused."""
    import sys

    from builder.cache import code_version
    site = tmp_path / "site-packages"
    (site / "reportlab-4.0.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(site)])
    code_version.cache_clear()
    first = code_version()
    (site / "reportlab-4.0.dist-info").rename(site / "reportlab-4.1.dist-info")
    code_version.cache_clear()
    assert code_version() != first
    monkeypatch.undo()
    code_version.cache_clear()
