"""The build cache: values keyed by what they depend on, pruned least recently used first."""
import os

from builder.cache import LIMITS_MB, Cache, atomic_write, cache_key, files_digest, prune


def test_store_and_load(tmp_path):
    cache = Cache(tmp_path)
    cache.store("data", "a", {"x": [1, 2]})
    assert cache.load("data", "a") == {"x": [1, 2]}
    assert cache.load("data", "missing") is None
    (tmp_path / "data" / "broken.pickle").write_bytes(b"not a pickle")
    assert cache.load("data", "broken") is None
    assert not list((tmp_path / "data").glob(".*.tmp"))
    assert Cache(None).load("data", "a") is None


def test_memo_computes_once(tmp_path):
    cache, calls = Cache(tmp_path), []
    for _ in range(2):
        assert cache.memo("chapters", ("x", 1), lambda: calls.append(1) or "value") == "value"
    assert calls == [1]


def test_atomic_write_leaves_no_temporary_and_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "out.pdf"
    atomic_write(target, b"first")
    def fail(tmp):
        tmp.write_bytes(b"half")
        raise OSError("disk full")
    try:
        atomic_write(target, fail)
    except OSError:
        pass
    assert target.read_bytes() == b"first" and [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_every_namespace_is_pruned(tmp_path):
    cache = Cache(tmp_path)
    for namespace in LIMITS_MB:
        (tmp_path / namespace).mkdir()
        (tmp_path / namespace / "big").write_bytes(b"x" * 100)
    LIMITS = dict(LIMITS_MB)
    try:
        LIMITS_MB.update({n: 0 for n in LIMITS_MB})
        cache.prune()
    finally:
        LIMITS_MB.update(LIMITS)
    assert all(not any((tmp_path / n).iterdir()) for n in LIMITS_MB)


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
    cache = Cache(tmp_path)
    for i in range(5):
        cache.store("data", str(i), b"x" * 1000)
        os.utime(tmp_path / "data" / f"{i}.pickle", (i, i))   # 0 oldest ... 4 newest
    cache.load("data", "0")                                    # used now
    tmp_path = tmp_path / "data"
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
