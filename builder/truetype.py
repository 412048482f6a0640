"""A TrueType (glyf) font of some characters of a font file, which reportlab needs: Debian's
Noto CJK fonts are CFF collections (builder.fonts makes the CJK subsets with it).

Built directly rather than with fontTools' subsetter and then converted: the subsetter
interprets every CFF charstring three times (closure, desubroutinizing, drawing) and the
conversion compiles the glyphs twice, while reportlab needs only outlines, metrics and a
character map (it does no shaping). Each glyph is drawn and compiled once and kept in a
store (builder.fonts keeps it in the cache), so that a subset with one new character
costs that character, not the whole set again. The font is assembled from the store
alone, so it is the same bytes whichever glyphs were drawn when.

The few structures a subset needs of a CJK font (its cmap, the CFF's INDEXes, DICTs,
charset and FDSelect) are read here from the tables' bytes, where they are needed:
fontTools reads a whole table before it answers, which for a font of 65,000 glyphs took
most of the time of a subset with one new character. fontTools' pens still make the
quadratic glyphs, from the outlines FreeType reads (many glyphs) or fontTools' charstring
interpreter draws (a few): tests check that both give the same bytes.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from builder.cache import Cache


@dataclass(frozen=True)
class StoredGlyph:
    data: bytes          # the compiled glyf record
    advance: int
    bounds: tuple[int, int, int, int] | None   # xMin, yMin, xMax, yMax; None: no outline
    points: int
    contours: int
    glyph_id: int        # in the source: a subset's glyphs are in the source's order


# From this many glyphs on, a CFF font's outlines are read by FreeType (matplotlib's
# ft2font, in C) rather than fontTools' charstring interpreter: a face's cold subset for
# the report, 1.3 -> 0.85 s. Below it, importing matplotlib would cost more than it saves.
FREETYPE_FROM = 200


def draw_glyphs(source, glyphs: dict[str, int], file: tuple[str, int] | None = None) -> dict[str, StoredGlyph]:
    """The glyphs of fontTools TTFont `source` (read from `file`, path and index in its
    collection) named (name -> glyph id) in `glyphs`, as quadratic glyf records. A CFF
    font's are drawn from their charstrings by glyph id, and their advances read from the
    hmtx table's bytes: fontTools would first read the names, charstring offsets (and for
    a glyph set the metrics) of all 65,000 glyphs of a CJK font."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    cubic = "glyf" not in source
    if cubic:
        hmtx, metrics = source.reader["hmtx"], source["hhea"].numberOfHMetrics
        if file is not None and len(glyphs) >= FREETYPE_FROM:
            draw = _freetype_drawer(*file)
        else:
            charstring = _charstrings(source)
            draw = lambda name, gid, pen: charstring(gid).draw(pen)   # noqa: E731
        advance = lambda name, gid: struct.unpack_from(">H", hmtx, 4 * min(gid, metrics - 1))[0]   # noqa: E731
    else:
        glyph_set, hmtx = source.getGlyphSet(), source["hmtx"]
        draw = lambda name, gid, pen: glyph_set[name].draw(pen)   # noqa: E731
        advance = lambda name, gid: hmtx[name][0]   # noqa: E731
    drawn = {}
    for name, gid in glyphs.items():
        pen = TTGlyphPen(None)
        draw(name, gid, Cu2QuPen(pen, max_err=1.0, reverse_direction=True) if cubic else pen)
        glyph = pen.glyph()
        contours = glyph.numberOfContours
        if contours:
            glyph.recalcBounds(None)
        drawn[name] = StoredGlyph(glyph.compile(None, recalcBBoxes=False), advance(name, gid),
                                  (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax) if contours else None,
                                  len(glyph.coordinates) if contours else 0, max(contours, 0), gid)
    return drawn


def _freetype_drawer(path: str, index: int):
    """draw(name, glyph id, pen): the CFF glyph's outline as FreeType reads it, unscaled and
    unhinted, into a fontTools pen: the pen calls fontTools' interpreter makes (tests check)."""
    from matplotlib.ft2font import FT2Font, LoadFlags
    from matplotlib.path import Path

    face = FT2Font(path, face_index=index)

    def draw(name: str, gid: int, pen) -> None:
        face.load_glyph(gid, LoadFlags.NO_SCALE)
        vertices, codes = face.get_path()
        # (get_path divides by 64, as for 26.6 units; tuples: the pens compare a closing
        # point with the first as fontTools draws them)
        points = list(map(tuple, (vertices * 64).tolist()))
        codes, i = codes.tolist(), 0
        while i < len(codes):
            if codes[i] == Path.LINETO:
                pen.lineTo(points[i])
            elif codes[i] == Path.CURVE4:
                pen.curveTo(*points[i:i + 3])
                i += 2
            elif codes[i] == Path.MOVETO:
                pen.moveTo(points[i])
            elif codes[i] == Path.CLOSEPOLY:
                pen.closePath()
            else:
                raise ValueError(f"glyph {gid}: a path code {codes[i]} in a CFF outline")
            i += 1
    return draw


def _charstrings(source):
    """Glyph id -> the CFF font's charstring of that glyph, read from the table's bytes:
    its CharStrings INDEX and the subroutines it calls are read entry by entry, and its
    private dict (a CID-keyed font's, through FDSelect, is its glyph's font dict's).
    fontTools would first read every offset of every subroutine INDEX, the CFF's strings
    and its 65,000 glyphs' FDSelect: half the time of a subset with one new character."""
    from fontTools.misc.psCharStrings import T2CharString

    cff = source.reader["CFF "]
    top, strings_at = _top_dict(cff)
    global_subrs = _Index(cff, _Index(cff, strings_at).end)
    charstrings = _Index(cff, top[17][0])
    if (12, 30) in top:   # ROS: CID-keyed, a private dict per font dict
        font_dicts = _Index(cff, top[12, 36][0])
        privates = [_private(cff, _dict(font_dicts.raw(i))) for i in range(len(font_dicts))]
        select = lambda gid: privates[_fd_select(cff, top[12, 37][0], gid)]   # noqa: E731
    else:
        private = _private(cff, top)
        select = lambda gid: private   # noqa: E731
    return lambda gid: T2CharString(charstrings.raw(gid), private=select(gid), globalSubrs=global_subrs)


def _top_dict(cff: bytes) -> tuple[dict, int]:
    """A CFF's top DICT, and where its String INDEX starts (after the header: the Name, Top
    DICT, String and Global Subr INDEXes)."""
    tops = _Index(cff, _Index(cff, cff[2]).end)
    return _dict(tops.raw(0)), tops.end


class _Index:
    """A CFF INDEX in `data` at `start`: its entries read one by one; as subroutines, T2
    charstrings (each kept once read: a charstring is decompiled when first run)."""

    def __init__(self, data: bytes, start: int):
        self.data, self.count, self.subrs = data, struct.unpack_from(">H", data, start)[0], {}
        self.size = data[start + 2] if self.count else 0
        self.offsets = start + 3   # an INDEX's offsets count from 1, from the byte before its data
        self.base = self.offsets + (self.count + 1) * self.size - 1
        self.end = self.base + self._offset(self.count) if self.count else start + 2

    def _offset(self, i: int) -> int:
        at = self.offsets + i * self.size
        return int.from_bytes(self.data[at:at + self.size], "big")

    def raw(self, i: int) -> bytes:
        return self.data[self.base + self._offset(i):self.base + self._offset(i + 1)]

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int):
        from fontTools.misc.psCharStrings import T2CharString
        if not 0 <= i < self.count:
            raise IndexError(i)
        if i not in self.subrs:
            self.subrs[i] = T2CharString(self.raw(i))
        return self.subrs[i]


def _dict(data: bytes) -> dict:
    """A CFF DICT: operator (an int, or (12, n) for an escaped one) -> its operands."""
    found, operands, i = {}, [], 0
    while i < len(data):
        b = data[i]
        if b <= 21:
            op, i = ((12, data[i + 1]), i + 2) if b == 12 else (b, i + 1)
            found[op], operands = operands, []
            continue
        if b == 28:
            operand, size = struct.unpack_from(">h", data, i + 1)[0], 3
        elif b == 29:
            operand, size = struct.unpack_from(">l", data, i + 1)[0], 5
        elif b == 30:   # a real, in nibbles up to an 0xf: skipped (only offsets are read)
            end = i + 1
            while data[end] >> 4 != 0x0F and data[end] & 0x0F != 0x0F:
                end += 1
            operand, size = None, end + 1 - i
        elif b <= 246:
            operand, size = b - 139, 1
        elif b <= 250:
            operand, size = (b - 247) * 256 + data[i + 1] + 108, 2
        else:
            operand, size = -(b - 251) * 256 - data[i + 1] - 108, 2
        operands.append(operand)
        i += size
    return found


def _private(cff: bytes, font_dict: dict):
    """The private dict of a (top or font) DICT: its widths and local subroutines."""
    from types import SimpleNamespace
    size, offset = font_dict[18]
    private = _dict(cff[offset:offset + size])
    subrs = _Index(cff, offset + private[19][0]) if 19 in private else []
    return SimpleNamespace(Subrs=subrs, defaultWidthX=private.get(20, [0])[0], nominalWidthX=private.get(21, [0])[0])


def _fd_select(cff: bytes, start: int, gid: int) -> int:
    """The font dict of glyph `gid`, from FDSelect format 0 (one byte per glyph) or 3 (ranges)."""
    if cff[start] == 0:
        return cff[start + 1 + gid]
    ranges = struct.unpack_from(">H", cff, start + 1)[0]
    fd = 0
    for r in range(ranges):
        first, fd_here = struct.unpack_from(">HB", cff, start + 3 + 3 * r)
        if first > gid:
            break
        fd = fd_here
    return fd


def glyph_names(source, chars: set[str] | None, cache: Cache | None = None,
                key: str | None = None) -> dict[int, tuple[str, int]]:
    """Code point -> (glyph name, glyph id), for the characters of `chars` (None: all)
    that `source` has. `key`: where `cache` keeps the whole cmap (decompiling a CJK
    font's takes a third of a second)."""
    cmap = cache.load("fonts", key) if key else None
    if cmap is None:
        ids = best_cmap_ids(source)
        cid_name = _cid_names(source) if ids is not None else None
        if cid_name is not None:
            cmap = {code: (cid_name(gid), gid) for code, gid in ids.items()}
        else:
            cmap = {code: (name, source.getGlyphID(name)) for code, name in source.getBestCmap().items()}
        if key:
            cache.store("fonts", key, cmap)
    if chars is None:
        return dict(cmap)
    return {ord(c): cmap[ord(c)] for c in chars if ord(c) in cmap}


def best_cmap_ids(source) -> dict[int, int] | None:
    """Code point -> glyph id, as fontTools' getBestCmap maps them (bar glyph names), when
    the subtable it prefers is the font's first Windows full-repertoire one (3, 10) in
    format 12, as a CJK font's is; read from the table's bytes (fontTools decompiles it
    and names every glyph: a third of a second for a CJK font). None: another subtable."""
    data = source.reader["cmap"]
    for i in range(struct.unpack_from(">H", data, 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHL", data, 4 + 8 * i)
        if (platform, encoding) != (3, 10):
            continue
        if struct.unpack_from(">H", data, offset)[0] != 12:
            return None
        ids: dict[int, int] = {}
        for group in range(struct.unpack_from(">L", data, offset + 12)[0]):
            start, end, first = struct.unpack_from(">LLL", data, offset + 16 + 12 * group)
            pairs = zip(range(start, end + 1), range(first, first + end - start + 1))
            if not first:   # a code of glyph 0 is not mapped
                next(pairs)
            ids.update(pairs)
        return ids
    return None


def _cid_names(source):
    """Glyph id -> its name as fontTools gives it ("cid01234"), from the charset of a
    CID-keyed CFF font (fontTools would read the whole CFF table first); None for any
    other font."""
    if "CFF " not in source:
        return None
    cff = source.reader["CFF "]
    top, _ = _top_dict(cff)
    if (12, 30) not in top:
        return None
    start = top[15][0]
    ranges = []   # (first glyph id, first CID, count) of a format 1 or 2 charset
    if cff[start] in (1, 2):
        size, at, gid = 1 if cff[start] == 1 else 2, start + 1, 1
        while gid < source["maxp"].numGlyphs:
            first, left = struct.unpack_from(">H" + ("B" if size == 1 else "H"), cff, at)
            ranges.append((gid, first, left + 1))
            gid, at = gid + left + 1, at + 2 + size

    def name(gid: int) -> str:
        if gid == 0:
            return ".notdef"
        if cff[start] == 0:
            return "cid%05d" % struct.unpack_from(">H", cff, start + 1 + 2 * (gid - 1))[0]
        for first_gid, first, count in ranges:
            if first_gid <= gid < first_gid + count:
                return "cid%05d" % (first + gid - first_gid)
        raise ValueError(f"glyph {gid} is not in the CFF charset")
    return name


def assemble(source, mapping: dict[int, str], store: dict[str, StoredGlyph], postscript_name: str):
    """A new fontTools TTFont of the glyphs of `mapping` (all in `store`), with the
    vertical metrics and names of `source`, named `postscript_name`."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    # In the source's glyph order, so the result does not depend on how chars was made.
    order = [".notdef", *sorted(set(mapping.values()) - {".notdef"}, key=lambda name: store[name].glyph_id)]
    glyphs = {name: store[name] for name in order}
    head, hhea = source["head"], source["hhea"]
    builder = FontBuilder(head.unitsPerEm, isTTF=True)
    font = builder.font
    # Bounds and maxima come from the store: glyphs are not decompiled to compute them.
    font.recalcBBoxes = False
    font.recalcTimestamp = False   # else the head's date is the time of saving
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(mapping)
    font["loca"], font["glyf"] = newTable("loca"), newTable("glyf")   # (setupGlyf would decompile them)
    font["glyf"].glyphs = {name: Glyph(g.data) for name, g in glyphs.items()}
    font["glyf"].glyphOrder = order
    builder.setupHorizontalMetrics({n: (g.advance, g.bounds[0] if g.bounds else 0) for n, g in glyphs.items()})
    drawn = [g for g in glyphs.values() if g.bounds] or [StoredGlyph(b"", 0, (0, 0, 0, 0), 0, 0, 0)]
    x_min, y_min = min(g.bounds[0] for g in drawn), min(g.bounds[1] for g in drawn)
    x_max, y_max = max(g.bounds[2] for g in drawn), max(g.bounds[3] for g in drawn)
    builder.setupHorizontalHeader(
        ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap,
        advanceWidthMax=max(g.advance for g in glyphs.values()), minLeftSideBearing=x_min,
        minRightSideBearing=min(g.advance - g.bounds[2] for g in drawn), xMaxExtent=x_max)
    builder.setupHead(unitsPerEm=head.unitsPerEm, fontRevision=head.fontRevision, created=head.created,
                      modified=head.modified, macStyle=head.macStyle, lowestRecPPEM=head.lowestRecPPEM,
                      xMin=x_min, yMin=y_min, xMax=x_max, yMax=y_max)
    font["name"] = source["name"]
    for record in font["name"].names:
        if record.nameID == 6:
            record.string = postscript_name
    font["OS/2"] = source["OS/2"]
    builder.setupMaxp()
    font["maxp"].maxPoints = max(g.points for g in glyphs.values())
    font["maxp"].maxContours = max(g.contours for g in glyphs.values())
    builder.setupPost()
    return font
