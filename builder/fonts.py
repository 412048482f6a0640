"""Fonts for the PDF (reportlab), the coverage check, and the charts (matplotlib, which
lays chart text out in the PDF's own regular faces).

reportlab only accepts TrueType (glyf) outlines, while Debian's Noto CJK fonts are CFF
collections, so the CJK face is subset to the characters a build uses and redrawn as
TrueType once, then cached by font file and character set. Latin text uses Liberation
Serif as installed.
"""
from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from builder.cache import Cache, cache_key
from builder.errors import FontError
from builder.timing import timed
from builder.truetype import assemble, best_cmap_ids, draw_glyphs, glyph_names

_NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
_LIB_DIR = Path("/usr/share/fonts/truetype/liberation2")
_INSTALL = "apt-get install fonts-noto-cjk fonts-liberation2"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

# role -> (environment variable, family wanted, bold?, Debian path)
_FONTS = {
    "cjk_regular": ("REPORT_CJK_FONT", "Noto Serif CJK SC", False, _NOTO_DIR / "NotoSerifCJK-Regular.ttc"),
    "cjk_bold": ("REPORT_CJK_BOLD_FONT", "Noto Serif CJK SC", True, _NOTO_DIR / "NotoSerifCJK-Bold.ttc"),
    "latin_regular": ("REPORT_LATIN_FONT", "Liberation Serif", False, _LIB_DIR / "LiberationSerif-Regular.ttf"),
    "latin_bold": ("REPORT_LATIN_BOLD_FONT", "Liberation Serif", True, _LIB_DIR / "LiberationSerif-Bold.ttf"),
}

# Always in the CJK subset: writers add labels ("图 1", "资料来源：", page numbers) that
# are not in the content's character set.
_EXTRA_CHARS = (
    {chr(c) for c in range(0x20, 0x7F)}
    | set("。，、；：？！“”‘’（）《》「」【】—…·％")
    | {chr(c) for c in range(0xFF01, 0xFF5F)}  # full-width ASCII forms
    | {chr(c) for c in range(0xFFE0, 0xFFE7)}  # full-width ￠￡￢￣￤￥￦
)
# Part of a subset's digest, which names its file and is printed in its PostScript name
# (so in every PDF): kept as it is so that outputs stay the same. Cache entries of older
# code are not reused anyway (cache.code_version).
_SUBSET_SALT = "3-1"

# Context-free choice: “”‘’—…· are NOT CJK. They occur in English text too, where the
# CJK forms are wrong (full-width quotes leave gaps, the CJK ellipsis sits mid-height);
# in Chinese text the Latin forms look acceptable. Full-width punctuation (，。：（）％)
# is in the ranges below and is CJK.
_CJK_RANGES = (
    (0x1100, 0x11FF),    # Hangul Jamo
    (0x2E80, 0x2FDF),    # CJK radicals supplement, Kangxi radicals
    (0x2FF0, 0x303F),    # ideographic description, CJK symbols and punctuation
    (0x3040, 0x31FF),    # Kana, Bopomofo, Hangul compatibility jamo, Kanbun, strokes
    (0x3200, 0x9FFF),    # enclosed CJK, CJK compatibility, ext A, unified ideographs
    (0xAC00, 0xD7AF),    # Hangul syllables
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0xFE10, 0xFE1F),    # vertical forms
    (0xFE30, 0xFE4F),    # CJK compatibility forms
    (0xFF00, 0xFFEF),    # half-width and full-width forms
    (0x20000, 0x3FFFF),  # ext B and later, compatibility supplement
)


@dataclass(frozen=True)
class FontFiles:
    cjk_regular: Path   # TrueType (glyf) .ttf that reportlab's TTFont accepts
    cjk_bold: Path
    latin_regular: Path
    latin_bold: Path


@functools.lru_cache(maxsize=None)   # called for every character the PDF prints
def is_cjk(ch: str) -> bool:
    """True for characters drawn with the CJK font (see _CJK_RANGES for the choice)."""
    code = ord(ch)
    if any(lo <= code <= hi for lo, hi in _CJK_RANGES):
        return True
    # Symbols the Latin font lacks but the CJK font has (①, ※, ★) must go to the CJK
    # font too, or they would be drawn as boxes.
    try:
        return code not in _coverage("latin") and code in _coverage("cjk")
    except FontError:
        return False  # fonts missing: prepare_pdf_fonts reports that, not is_cjk


def _missing(role: str, detail: str) -> FontError:
    var, family, bold, _ = _FONTS[role]
    regular_var = _FONTS[role.replace("bold", "regular")][0]
    var = regular_var if not os.environ.get(var) and os.environ.get(regular_var) else var
    wanted = _wanted(role)
    name = Path(wanted).name if is_file(wanted) else wanted + (" Bold" if bold else "")
    return FontError(f"font {name} not found ({detail}): run `{_INSTALL}` or set {var} to a font file")


def _face_index(path: Path, family: str) -> int:
    """Index of `family` in a .ttc (else of a Simplified Chinese face, else 0); 0 for single fonts."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    # The faces' names, kept beside the coverage: reading them means importing fontTools.
    stamp = repr((str(path), path.stat().st_mtime_ns, path.stat().st_size))
    cached = _memory.file("fonts", f"{hashlib.sha256(stamp.encode()).hexdigest()[:20]}.names")
    if cached and _memory.verified(cached):
        names = cached.read_text(encoding="utf-8").split("\n")
    else:
        from fontTools.ttLib import TTCollection
        with TTCollection(str(path), lazy=True) as collection:
            names = [f["name"].getBestFamilyName() or "" for f in collection.fonts]
        if cached:
            _keep(cached, "\n".join(names).encode("utf-8"))
    for wanted in (lambda n: n == family, lambda n: n.endswith(" SC")):
        for i, name in enumerate(names):
            if wanted(name):
                return i
    return 0


def _fc_lookup(family: str, bold: bool) -> Path | None:
    """The file fontconfig has for `family` (None: it has no such family, only a substitute)."""
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}\n%{family}", f"{family}:style={'Bold' if bold else 'Regular'}"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    file, _, families = out.partition("\n")
    wanted = family.casefold()
    if not file or wanted not in (f.strip().casefold() for f in families.split(",")):
        return None
    return Path(file)


# The report's fonts (its theme), per role: a family name or a font file's absolute path;
# set once per process by choose(). Empty: the role's default family (see _FONTS).
_chosen: dict[str, str] = {}


def theme_faces(theme) -> dict[str, str]:
    """Role -> family or file of a builder.model.Theme."""
    return {"latin_regular": theme.latin_font, "latin_bold": theme.latin_bold_font,
            "cjk_regular": theme.cjk_font, "cjk_bold": theme.cjk_bold_font}


def choose(faces: dict[str, str]) -> None:
    """Draw with these fonts in this process (see theme_faces)."""
    global _chosen
    if faces != _chosen:
        _chosen = dict(faces)
        is_cjk.cache_clear()


def _override(role: str) -> str | None:
    var, _, bold, _ = _FONTS[role]
    # Only the regular face overridden: use that file for bold too rather than mix an
    # overridden regular face with a bold of another design.
    return os.environ.get(var) or (os.environ.get(_FONTS[role.replace("bold", "regular")][0]) if bold else None)


def _wanted(role: str) -> str:
    """The family or file a role asks for: an environment variable, else the theme."""
    regular = role.replace("bold", "regular")
    return _override(role) or _chosen.get(role) or _chosen.get(regular) or _FONTS[regular][1]


def is_file(value: str) -> bool:
    return value.lower().endswith(FONT_SUFFIXES) or os.sep in value


def family_problem(role: str, family: str) -> str | None:
    """What is wrong with asking for `family` in `role` (None: fontconfig has it, or an
    environment variable overrides the role)."""
    _, default, bold, path = _FONTS[role]
    if _override(role) or (family == default and path.is_file()) or _fc_lookup(family, bold):
        return None
    return f"no font family {family!r} (fc-list : family lists those installed)"


def _source(role: str) -> tuple[Path, int]:
    """The font file and collection index for a role: override, theme, Debian path, or fontconfig."""
    key = (role, _wanted(role))
    # Cached: is_cjk() needs the sources per character, and reading a .ttc's names or
    # running fc-match each time would be slow.
    if key not in _sources:
        _sources[key] = _locate(role, key[1])
    return _sources[key]


_sources: dict[tuple, tuple[Path, int]] = {}


def _locate(role: str, wanted: str) -> tuple[Path, int]:
    _, family, bold, default = _FONTS[role]
    if is_file(wanted):
        path = Path(wanted).expanduser()
        if not path.is_file():
            raise _missing(role, f"no file {path}")
    elif wanted == family and default.is_file():
        path = default
    else:
        found = _fc_lookup(wanted, bold)
        if found is None:
            raise _missing(role, f"fontconfig has no {wanted}" + ("" if wanted != family else f", no {default}"))
        path, family = found, wanted
    try:
        return path, _face_index(path, family)
    except Exception as exc:  # fontTools raises many types for a non-font file
        raise _missing(role, f"{path} is not a readable font: {exc}") from None


def _open(role: str, path: Path, index: int):
    from fontTools.ttLib import TTFont
    file = open(path, "rb")  # opened here so a non-font file is closed, not leaked
    try:
        # recalcTimestamp off: the head table keeps its date, so subsets are byte-stable.
        return TTFont(file, fontNumber=index, lazy=True, recalcTimestamp=False)
    except Exception as exc:
        file.close()
        raise _missing(role, f"{path} is not a readable font: {exc}") from None


def _subset_file(role: str, chars: set[str], cache: Cache, style: str) -> Path:
    path, index = _source(role)
    key = "\0".join([_SUBSET_SALT, str(path.resolve()), str(index),
                     str(path.stat().st_mtime_ns), "".join(sorted(chars))])
    target = cache.file("fonts", f"{hashlib.sha256(key.encode()).hexdigest()}-{style}.ttf")
    if target is None:
        raise FontError("font subsets need a cache folder")
    return target


def _prepare_cjk(role: str, chars: set[str], cache: Cache, style: str) -> Path:
    path, index = _source(role)
    target = _subset_file(role, chars, cache, style)
    if cache.verified(target):   # (a damaged or planted file is not: made again)
        return target
    digest = target.name.split("-")[0]
    with _open(role, path, index) as source:
        if "CFF " not in source and "glyf" not in source:
            raise _missing(role, f"{path} has outlines other than CFF or TrueType")
        try:
            found = glyph_names(source, chars, cache, cache_key("cmap", str(path.resolve()), index,
                                                               path.stat().st_mtime_ns, path.stat().st_size))
            glyph_ids = {".notdef": 0, **dict(found.values())}
            store_key = cache_key("glyphs", str(path.resolve()), index, path.stat().st_mtime_ns)
            store = cache.load("fonts", store_key) or {}
            new = sorted(set(glyph_ids) - set(store))
            if new:
                store.update(draw_glyphs(source, {name: glyph_ids[name] for name in new}, (str(path), index)))
                cache.store("fonts", store_key, store)
            # A PostScript name per subset: reportlab identifies fonts by it, and two subsets
            # sharing one name in a process would draw from whichever was registered first.
            mapping = {code: name for code, (name, _) in found.items()}
            font = assemble(source, mapping, store, f"{source['name'].getDebugName(6)}-{digest[:8]}")
        except Exception as exc:  # a damaged font file: fontTools and the readers raise many types
            raise _missing(role, f"{path} is not a readable font: {type(exc).__name__} {exc}") from None
    try:
        cache.keep(target, lambda tmp: font.save(str(tmp)))   # a concurrent build sees it whole
    finally:
        font.close()
    return target


def _latin(role: str) -> Path:
    path, _ = _source(role)
    with path.open("rb") as file:
        tag = file.read(4)   # TrueType outlines; not "OTTO" (CFF) or "ttcf" (a collection)
    if tag not in (b"\x00\x01\x00\x00", b"true"):
        raise _missing(role, f"{path} is not a single TrueType-outline font, which reportlab needs")
    return path


def _subset_chars(chars: set[str]) -> set[str]:
    return {c for c in chars if not unicodedata.category(c).startswith("C")} | _EXTRA_CHARS


def prepare_cjk_subset(role: str, chars: set[str], cache: Cache, faces: dict[str, str] | None = None) -> Path:
    """One CJK face ("cjk_regular"/"cjk_bold") subset for `chars`: a task of its own, so
    a build converts the two faces in parallel. `faces`: the theme's (see choose)."""
    remember_in(cache)
    if faces is not None:
        choose(faces)
    return _prepare_cjk(role, _subset_chars(chars), cache, role.split("_")[1])


def convert_cjk_subset(role: str, chars: set[str], cache: Cache, faces: dict[str, str]) -> None:
    """A build task: prepare_cjk_subset, timed."""
    with timed("CJK font subsets"):
        prepare_cjk_subset(role, chars, cache, faces)


def cjk_subset_cached(role: str, chars: set[str], cache: Cache) -> bool:
    return cache.verified(_subset_file(role, _subset_chars(chars), cache, role.split("_")[1]))


def metrics_stamp() -> tuple:
    """Where the layout's metrics (widths, ascent, descent) come from: the four faces'
    source files (a CJK subset of more characters has the same metrics for the same)."""
    return tuple((str(path), index, path.stat().st_mtime_ns, path.stat().st_size)
                 for path, index in map(_source, _FONTS))


def prepare_pdf_fonts(chars: set[str], cache: Cache) -> FontFiles:
    """TrueType CJK subsets for `chars` (kept in the cache) and the Latin font files."""
    # A bold face from the regular's file and face: the regular's subset serves both.
    same = _source("cjk_regular") == _source("cjk_bold")
    regular = prepare_cjk_subset("cjk_regular", chars, cache)
    return FontFiles(
        cjk_regular=regular,
        cjk_bold=regular if same else prepare_cjk_subset("cjk_bold", chars, cache),
        latin_regular=_latin("latin_regular"),
        latin_bold=_latin("latin_bold"),
    )


_coverages: dict[tuple, frozenset[int]] = {}
# What this module reads from font files (faces' names, cmaps) is remembered in memory
# for the process and on disk in the build's cache (keyed by the font files), so that a
# warm build does not even import fontTools.
_memory = Cache(None)


def remember_in(cache: Cache) -> None:
    """Keep what is read from font files in `cache` (a build's, set once per process)."""
    global _memory
    _memory = cache


def _keep(path: Path, data: bytes) -> None:
    try:
        _memory.keep(path, data)
    except OSError:   # a read-only or full cache only costs speed
        pass


def _coverage(kind: str) -> frozenset[int]:
    """Code points both the regular and the bold face of `kind` ("cjk"/"latin") draw."""
    key = (_source(f"{kind}_regular"), _source(f"{kind}_bold"))
    if key not in _coverages:
        # Reading a CJK collection's cmaps takes half a second, in every process that
        # checks or writes text: kept in a file, keyed by the font files.
        stamp = repr([(str(p), i, p.stat().st_mtime_ns) for p, i in key])
        cached = _memory.file("fonts", f"{hashlib.sha256(stamp.encode()).hexdigest()[:20]}.cmap")
        if cached and _memory.verified(cached):
            _coverages[key] = frozenset(map(int, cached.read_text().split()))
            return _coverages[key]
        cmaps = []
        for role, (path, index) in zip((f"{kind}_regular", f"{kind}_bold"), key):
            with _open(role, path, index) as font:
                ids = best_cmap_ids(font)
                cmaps.append(set(font.getBestCmap() if ids is None else ids))
        _coverages[key] = frozenset(cmaps[0] & cmaps[1])
        if cached:
            _keep(cached, " ".join(map(str, sorted(_coverages[key]))).encode())
    return _coverages[key]


def uncovered_chars(chars: set[str]) -> list[str]:
    """Characters (sorted) that neither font family draws in both regular and bold."""
    cjk, latin = _coverage("cjk"), _coverage("latin")
    return sorted(c for c in chars
                  if not (c.isspace() or unicodedata.category(c) == "Cc")
                  and ord(c) not in cjk and ord(c) not in latin)


def _chart_family(role: str) -> str:
    """The family matplotlib knows a role's face by (a file's is read from the file)."""
    wanted = _wanted(role)
    if not is_file(wanted):
        return wanted
    path, index = _source(role)
    from fontTools.ttLib import TTFont
    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        return font["name"].getBestFamilyName() or path.stem


def chart_font_family() -> list[str]:
    """font.family for the charts: the regular faces the PDF prints its text in, Latin
    first (matplotlib takes each glyph from the first family that has it, as is_cjk
    chooses), so that chart text is laid out in the fonts the PDF draws it with. Found
    without importing matplotlib: a build whose charts are all cached never imports it."""
    return [_chart_family("latin_regular"), _chart_family("cjk_regular")]


_chart_files_added: set[Path] = set()


def register_chart_fonts() -> list[str]:
    """Add the chart fonts' files to matplotlib (once per process); return font.family."""
    files = {_source(role)[0] for role in ("latin_regular", "cjk_regular")} - _chart_files_added
    if files:
        from matplotlib import font_manager
        known = {f.fname for f in font_manager.fontManager.ttflist}
        for path in sorted(files):
            if str(path) not in known:
                font_manager.fontManager.addfont(path)
        _chart_files_added.update(files)
    return chart_font_family()
