"""One PDF of the laid-out parts: their pages, the text re-encoded for the fonts of the
whole file (glyphs.py), each font embedded once, page labels, the outline, the contents'
links and the document's metadata.

Written here object by object rather than with a PDF library: reportlab's parts are plain
(pages, content streams, a font dictionary), and reading and writing them with pypdf took
longer than the rest of a warm build."""
from __future__ import annotations

import hashlib
import itertools
import re
import zlib
from pathlib import Path
from typing import Callable

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import stringWidth

from builder.cache import Cache, cache_key
from builder.fonts import FontFiles
from builder.model import Report
from builder.writers.pdf.glyphs import file_encoding, font_objects, reencode, resource_names
from builder.writers.pdf.document import FOOTER_PT, PAGE_NUMBER
from builder.writers.pdf.parts import Part
from builder.writers.pdf.text import LATIN, register_fonts

LANG_TAGS = {"zh": "zh-CN", "en": "en-US"}
_REF = re.compile(rb"(\d+) 0 R")
_PAGE_NUMBER = re.compile(rb"^" + PAGE_NUMBER.encode() + rb" (/\S+) (\S+) (\S+)$", re.M)   # a line of its own


def objects(pdf: bytes) -> dict[int, bytes]:
    """Object number -> its body (dictionary, then any stream) of a PDF with one xref table."""
    xref = int(pdf[pdf.rindex(b"startxref") + 9:].split()[0])
    head = pdf.index(b"\n", xref + 5) + 1   # after "xref\n0 N\n"
    count = int(pdf[xref + 5:head].split()[1])
    offsets = {}
    for number in range(1, count):
        entry = pdf[head + 20 * number:head + 20 * number + 20]
        if entry[17:18] == b"n":
            offsets[number] = int(entry[:10])
    ends = sorted(offsets.values()) + [xref]
    found = {}
    for number, start in offsets.items():
        body = pdf[start:ends[ends.index(start) + 1]]
        found[number] = body[body.index(b"obj") + 4:body.rindex(b"endobj")].rstrip(b"\n")
    return found


def stream_data(body: bytes) -> bytes:
    length = int(re.search(rb"/Length (\d+)", body)[1])
    start = body.index(b"\nstream\n") + 8
    return body[start:start + length]


def text_string(text: str) -> bytes:
    if text.isascii():
        return b"(" + escapePDF(text.encode("ascii")).encode("latin-1") + b")"
    return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"


def _num(value: float) -> bytes:
    return fp_str(value).encode()


class Writer:
    """A PDF file being written: numbered objects, then the xref table and trailer."""

    def __init__(self):
        self.chunks = [b"%PDF-1.4\n%\x93\x8c\x8b\x9e\n"]
        self.size = len(self.chunks[0])
        self.offsets: list[int | None] = []

    def reserve(self) -> int:
        self.offsets.append(None)
        return len(self.offsets)

    def put(self, number: int, body: bytes) -> int:
        self.offsets[number - 1] = self.size
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        self.chunks.append(chunk)
        self.size += len(chunk)
        return number

    def add(self, body: bytes) -> int:
        return self.put(self.reserve(), body)

    def copy(self, source: dict[int, bytes], number: int, done: dict[int, int]) -> int:
        """Object `number` of `source` and every object it refers to, renumbered."""
        if number not in done:
            done[number] = self.reserve()
            body = source[number]
            cut = body.find(b"\nstream\n")
            head = body if cut < 0 else body[:cut]
            head = _REF.sub(lambda m: b"%d 0 R" % self.copy(source, int(m[1]), done), head)
            self.put(done[number], head if cut < 0 else head + body[cut:])
        return done[number]

    def finish(self, root: int, info: int) -> bytes:
        digest = hashlib.md5(b"".join(self.chunks)).hexdigest().encode()
        xref = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.offsets) + 1)]
        xref += [b"%010d 00000 n \n" % offset for offset in self.offsets]
        trailer = b"trailer\n<< /ID [<%s> <%s>] /Info %d 0 R /Root %d 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (
            digest, digest, info, root, len(self.offsets) + 1, self.size)
        return b"".join(self.chunks + xref + [trailer])


def assemble(report: Report, parts: list[Part], firsts: list[int | None], path: Path, fonts: FontFiles,
             cache: Cache) -> int:
    """Write the PDF of `parts` (the front, then the chapters) to `path`; return its pages.
    `firsts`: the printed number of each part's first page (None: the front's own)."""
    out = Writer()
    root, tree, info = out.reserve(), out.reserve(), out.reserve()
    used: dict[str, set[str]] = {}
    for part in parts:
        for name, subsets in part.fonts.values():
            used.setdefault(name, set()).update(*subsets)
    codes = file_encoding(used)
    encoding = cache_key("encoding", sorted(codes.items()))   # (once: the fonts' and every part's)
    font_dict = add_fonts(out, codes, encoding, fonts, cache)
    sources = [objects(part.pdf) for part in parts]
    kids = [[out.reserve() for _ in _page_numbers(source)] for source in sources]
    starts = [sum(len(k) for k in kids[:i]) for i in range(len(kids))]
    pages = [number for numbers in kids for number in numbers]
    where = destinations(parts, starts, pages)
    annots = links(out, parts, starts, pages, where)
    for part, first, source, numbers, start in zip(parts, firsts, sources, kids, starts):
        streams = page_streams(part, first, source, codes, encoding, fonts, cache)
        for index, (old, number) in enumerate(zip(_page_numbers(source), numbers)):
            add_page(out, source, old, number, tree, font_dict, annots.get(start + index, []), streams[index])
    out.put(tree, b"<< /Count %d /Kids [%s] /Type /Pages >>" % (len(pages), b" ".join(b"%d 0 R" % n for n in pages)))
    outline = add_outline(out, parts, starts, pages)
    out.put(info, metadata(report))
    lang = report.langs[0] if report.langs else "zh"
    out.put(root, b"<< /Lang %s%s /PageLabels << /Nums [%s] >> /PageMode /UseOutlines /Pages %d 0 R /Type /Catalog "
            b"/ViewerPreferences << /DisplayDocTitle true >> >>" % (
                text_string(LANG_TAGS.get(lang, lang)), b" /Outlines %d 0 R" % outline if outline else b"",
                page_labels(parts, firsts, starts, len(pages)), tree))
    path.write_bytes(out.finish(root, info))
    return len(pages)


def _page_numbers(source: dict[int, bytes]) -> list[int]:
    catalog = next(body for body in source.values() if b"/Type /Catalog" in body)
    tree = source[int(re.search(rb"/Pages (\d+) 0 R", catalog)[1])]
    return [int(n) for n in _REF.findall(tree[tree.index(b"/Kids"):])]


def add_fonts(out: Writer, codes: dict[str, dict[int, int]], encoding: str, fonts: FontFiles, cache: Cache) -> int:
    """The font objects of the file (made by reportlab, kept in the cache per character
    set: `encoding` is the cache key of `codes`) and the one font dictionary every page uses."""
    key = cache_key("fonts", fonts_stamp(fonts), encoding)
    kept = cache.file("pdf-files", f"{key}.fonts.pdf")
    if kept is not None and cache.verified(kept):
        carrier = kept.read_bytes()
    else:
        register_fonts(fonts)
        carrier = font_objects(codes)
        if kept is not None:
            try:
                cache.keep(kept, carrier)
            except OSError:   # a read-only or full cache only costs speed
                pass
    source = objects(carrier)
    page = source[_page_numbers(source)[0]]
    names = source[int(re.search(rb"/Font (\d+) 0 R", page)[1])]
    done: dict[int, int] = {}
    entries = [b"/%s %d 0 R" % (m[1], out.copy(source, int(m[2]), done))
               for m in re.finditer(rb"/(F\d+\+\d+) (\d+) 0 R", names)]
    return out.add(b"<< " + b" ".join(entries) + b" >>")


def fonts_stamp(fonts: FontFiles) -> tuple:
    """Changes when a font file is replaced (a new file: another inode), not when the
    cache marks a subset as recently used (its modification time)."""
    return tuple((str(p), p.stat().st_size, p.stat().st_ino) for p in (fonts.cjk_regular, fonts.cjk_bold,
                                                                        fonts.latin_regular, fonts.latin_bold))


def page_streams(part: Part, first: int | None, source: dict[int, bytes], codes: dict[str, dict[int, int]],
                 encoding: str, fonts: FontFiles, cache: Cache) -> list[bytes]:
    """The content streams of the part's pages, their text in the file's encoding (`codes`,
    whose cache key is `encoding`), numbered from `first`, compressed. The cache keeps them,
    and the re-encoded pages whose numbers are still marks: an edit re-encodes the parts it
    changed, and only numbers anew those it moved."""
    key = cache_key("streams", hashlib.sha256(part.pdf).hexdigest(), part.fonts, encoding)
    numbered = _kept_streams(cache, f"{key}-{first}")
    if numbered is not None:
        return numbered
    names, tables = resource_names(codes), {}
    marked = _kept_streams(cache, f"{key}-marked")
    if marked is None:
        marked = [zlib.compress(reencode(stream_data(source[_contents(source[page])]), part.fonts, codes, names,
                                         tables), 1) for page in _page_numbers(source)]
        if first is not None:
            _keep_streams(cache, f"{key}-marked", marked)
    if first is not None:
        register_fonts(fonts)   # (the numbers are measured; all else may come from the cache)

    def numbered_page(index: int, stream: bytes) -> bytes:
        stream = zlib.decompress(stream)
        if first is not None:
            stream = draw_page_number(stream, first + index, lambda ops: reencode(ops, part.fonts, codes, names, tables))
        return zlib.compress(stream, 6)
    numbered = [numbered_page(index, stream) for index, stream in enumerate(marked)]
    _keep_streams(cache, f"{key}-{first}", numbered)
    return numbered


def _kept_streams(cache: Cache, name: str) -> list[bytes] | None:
    kept = cache.file("pdf-files", f"{name}.streams")
    if kept is None or not cache.verified(kept):
        return None
    sizes, _, data = kept.read_bytes().partition(b"\n")
    ends = list(itertools.accumulate(map(int, sizes.split())))
    return [data[end - int(size):end] for size, end in zip(sizes.split(), ends)]


def _keep_streams(cache: Cache, name: str, streams: list[bytes]) -> None:
    kept = cache.file("pdf-files", f"{name}.streams")
    if kept is not None:
        try:
            cache.keep(kept, b" ".join(b"%d" % len(s) for s in streams) + b"\n" + b"".join(streams))
        except OSError:   # a read-only or full cache only costs speed
            pass


def draw_page_number(stream: bytes, number: int, encode: Callable[[bytes], bytes] = bytes) -> bytes:
    """A chapter page's stream with its `number` drawn where the part marked it
    (document.mark_page_number): the operators draw_footer's drawCentredString writes, in
    the part's encoding (digits are ASCII in its first subset), then `encode`d (reencode,
    for a stream already re-encoded: the operators set their font, so they re-encode alone
    as within the page)."""
    def draw(m: re.Match) -> bytes:
        label = str(number)
        x = float(m[2]) - 0.5 * stringWidth(label, LATIN, FOOTER_PT)
        return encode(b"q\nBT 1 0 0 1 %s Tm %s %s Tf %s TL (%s) Tj T* ET\nQ" % (
            fp_str(x, float(m[3])).encode(), m[1], _num(FOOTER_PT), _num(FOOTER_PT * 1.2), label.encode()))
    return _PAGE_NUMBER.sub(draw, stream, 1)


def _contents(page: bytes) -> int:
    return int(re.search(rb"/Contents (\d+) 0 R", page)[1])


def add_page(out: Writer, source: dict[int, bytes], old: int, number: int, tree: int, font_dict: int,
             annots: list[int], stream: bytes) -> None:
    """Page `old` of a part as page object `number`, with `stream` (compressed) for its
    contents, the file's fonts and its links `annots`."""
    body = source[old]
    contents = out.add(b"<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    fonts = int(re.search(rb"/Font (\d+) 0 R", body)[1])
    done = {_contents(body): contents, fonts: font_dict, int(re.search(rb"/Parent (\d+) 0 R", body)[1]): tree}
    body = _REF.sub(lambda m: b"%d 0 R" % out.copy(source, int(m[1]), done), body)
    refs = b" ".join(b"%d 0 R" % a for a in annots)
    if annots and b"/Annots [" in body:   # (reportlab's own: none so far)
        body = body.replace(b"/Annots [", b"/Annots [" + refs + b" ", 1)
    elif annots:
        body = body[:body.rindex(b">>")] + b"/Annots [%s] >>" % refs
    out.put(number, body)


def destinations(parts: list[Part], starts: list[int], pages: list[int]) -> dict[str, bytes]:
    """Anchor -> the destination of its heading, figure or table."""
    return {mark.anchor: b"[%d 0 R /XYZ %s %s 0]" % (pages[start + mark.page], _num(mark.left), _num(mark.top))
            for start, part in zip(starts, parts) for mark in part.marks}


def links(out: Writer, parts: list[Part], starts: list[int], pages: list[int],
          where: dict[str, bytes]) -> dict[int, list[int]]:
    """Page index -> its link annotations (the contents' entries, cross-references)."""
    annots: dict[int, list[int]] = {}
    for start, part in zip(starts, parts):
        for index, rect, anchor in part.links:
            if anchor in where:   # (not a reference to a chapter an extract leaves out)
                link = out.add(b"<< /Border [0 0 0] /Dest %s /Rect [%s] /Subtype /Link /Type /Annot >>" % (
                    where[anchor], b" ".join(map(_num, rect))))
                annots.setdefault(start + index, []).append(link)
    return annots


def add_outline(out: Writer, parts: list[Part], starts: list[int], pages: list[int]) -> int | None:
    """Chapters and, closed under them, their sections."""
    top: list[tuple] = []   # (title, destination, [children])
    for start, part in zip(starts, parts):
        for mark in part.marks:
            item = (mark.text, b"[%d 0 R /XYZ %s %s 0]" % (pages[start + mark.page], _num(mark.left), _num(mark.top)), [])
            if mark.level == 1 or (mark.level == 2 and not top):
                top.append(item)
            elif mark.level == 2:
                top[-1][2].append(item)
    if not top:
        return None
    root = out.reserve()
    first, last = _outline_items(out, top, root)
    out.put(root, b"<< /Count %d /First %d 0 R /Last %d 0 R /Type /Outlines >>" % (
        len(top) + sum(len(children) for _, _, children in top), first, last))
    return root


def _outline_items(out: Writer, items: list[tuple], parent: int) -> tuple[int, int]:
    numbers = [out.reserve() for _ in items]
    for i, (title, dest, children) in enumerate(items):
        fields = [b"/Title " + text_string(title), b"/Parent %d 0 R" % parent, b"/Dest " + dest]
        if i:
            fields.append(b"/Prev %d 0 R" % numbers[i - 1])
        if i + 1 < len(items):
            fields.append(b"/Next %d 0 R" % numbers[i + 1])
        if children:
            first, last = _outline_items(out, children, numbers[i])
            fields.append(b"/Count %d /First %d 0 R /Last %d 0 R" % (len(children), first, last))
        out.put(numbers[i], b"<< " + b" ".join(fields) + b" >>")
    return numbers[0], numbers[-1]


def page_labels(parts: list[Part], firsts: list[int | None], starts: list[int], count: int) -> bytes:
    """The /Nums of the page labels: where the style, start or prefix changes (a chapter
    part's label that only goes on counting is left out). A chapter part's label starts
    at None: at its first page's number, `firsts`."""
    labels = [(start + i, style, part_first if style == "/D" and first is None else first, prefix)
              for start, part, part_first in zip(starts, parts, firsts)
              for i, style, first, prefix in part.labels]
    kept = []
    for index, style, first, prefix in labels:
        if kept and style == kept[-1][1] == "/D" and first == kept[-1][2] + index - kept[-1][0]:
            continue
        kept.append((index, style, first, prefix))
    nums = [] if kept and kept[0][0] == 0 else [b"0 << /S /D >>"]
    for index, style, first, prefix in kept:
        fields = ([b"/S " + style.encode()] if style else []) + ([b"/P " + text_string(prefix)] if prefix else [])
        fields += [b"/St %d" % first] if first not in (None, 0) else []
        nums.append(b"%d << %s >>" % (index, b" ".join(fields)))
    return b" ".join(nums)


def metadata(report: Report) -> bytes:
    fields = {"/Author": report.author, "/Creator": "report", "/Producer": "report (reportlab)",
              "/Subject": report.covers[0].subtitle if report.covers else report.title, "/Title": report.title}
    return b"<< " + b" ".join(k.encode() + b" " + text_string(v) for k, v in fields.items()) + b" >>"
