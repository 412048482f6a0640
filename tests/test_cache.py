"""The build cache: values keyed by what they depend on, pruned least recently used first."""
import os
import pickle
import stat

from builder import cache as cache_module
from builder.cache import LIMITS_MB, Cache, atomic_write, cache_key, files_digest, prune, seal


class RunsCode:
    """Unpickled, it would run a command: what a planted cache entry would carry."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_store_and_load(tmp_path):
    cache = Cache(tmp_path)
    cache.store("data", "a", {"x": [1, 2]})
    assert cache.load("data", "a") == {"x": [1, 2]}
    assert cache.load("data", "missing") is None
    (tmp_path / "data" / "broken.pickle").write_bytes(b"not a pickle")
    assert cache.load("data", "broken") is None
    assert not list((tmp_path / "data").glob(".*.tmp"))
    assert Cache(None).load("data", "a") is None


def test_a_planted_pickle_runs_nothing(tmp_path):
    """A report folder received from someone else: its .cache/ entries are not sealed with
    this user's key, and even one that is (or a bug) cannot build anything but values."""
    marker = tmp_path / "ran"
    entry = tmp_path / "data" / "x.pickle"
    entry.parent.mkdir()
    for blob in (pickle.dumps(RunsCode(marker)),                              # plain pickle
                 cache_module._SEAL + b"\0" * 32 + pickle.dumps(RunsCode(marker)),   # forged seal
                 seal(pickle.dumps(RunsCode(marker)))):                        # sealed, still refused
        entry.write_bytes(blob)
        assert Cache(tmp_path).load("data", "x") is None
    assert not marker.exists()


def test_damaged_or_foreign_entries_are_computed_again(tmp_path, monkeypatch):
    cache, calls = Cache(tmp_path), []
    compute = lambda: calls.append(1) or {"value": 1}   # noqa: E731
    cache.memo("chapters", ("k",), compute)
    [entry] = (tmp_path / "chapters").iterdir()
    whole = entry.read_bytes()
    for damaged in (whole[:len(whole) // 2], whole[:-1] + bytes([whole[-1] ^ 1]), b"", whole[:10]):
        entry.write_bytes(damaged)
        assert cache.memo("chapters", ("k",), compute) == {"value": 1}
    monkeypatch.setattr(cache_module, "secret", lambda: b"another user's key".ljust(32))
    assert cache.memo("chapters", ("k",), compute) == {"value": 1}
    assert len(calls) == 6


def test_the_key_is_the_users_own_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv(cache_module.SECRET_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    cache_module.secret.cache_clear()
    try:
        key = cache_module.secret()
        path = tmp_path / "home-cache" / "report" / "secret"
        assert path.read_bytes() == key and stat.S_IMODE(path.stat().st_mode) == 0o600
        cache_module.secret.cache_clear()
        monkeypatch.delenv(cache_module.SECRET_VARIABLE)
        assert cache_module.secret() == key          # the next run finds it
        cache_module.secret.cache_clear()
        monkeypatch.delenv(cache_module.SECRET_VARIABLE)
        monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-such-place")   # cannot be kept: a key for this run
        assert len(cache_module.secret()) == 32 and cache_module.secret() != key
    finally:
        cache_module.secret.cache_clear()


def test_memo_computes_once(tmp_path):
    cache, calls = Cache(tmp_path), []
    for _ in range(2):
        assert cache.memo("chapters", ("x", 1), lambda: calls.append(1) or "value") == "value"
    assert calls == [1]


def test_values_no_one_changes_are_kept_in_memory_the_rest_read_again(tmp_path):
    """A probe or a PDF part is the very value a process loaded or made before (report
    watch: not read and unpickled again); a chapter, which the transforms change, is a
    fresh copy from the cache each time."""
    cache = Cache(tmp_path)
    probe = cache.memo("probes", ("kept", 1), lambda: ({"a"}, []))
    chapter = cache.memo("chapters", ("read", 1), lambda: ["a"])
    assert cache.memo("probes", ("kept", 1), lambda: None) is probe
    again = cache.memo("chapters", ("read", 1), lambda: None)
    assert again == chapter and again is not chapter


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
    first = files_digest(tmp_path, (".csv",), tmp_path)
    (tmp_path / "notes.txt").write_text("not data")
    assert files_digest(tmp_path, (".csv",), tmp_path) == first
    (tmp_path / "a.csv").write_text("2")
    second = files_digest(tmp_path, (".csv",), tmp_path)
    (tmp_path / "a.csv").rename(tmp_path / "b.csv")
    assert len({first, second, files_digest(tmp_path, (".csv",), tmp_path)}) == 3


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
