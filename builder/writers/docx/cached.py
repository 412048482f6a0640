"""Chapter sections from the cache: each chapter's section is kept as WordprocessingML
(its body, its footnotes, its header and footer parts, its pictures by chart), so that
after an edit only the chapters that changed are written with python-docx; the others
are parsed back and renumbered where what came before them changed.

What ties a chapter to the rest of the document are numbers given in document order:
relationship ids and part names (headers, footers, images), footnote ids, bookmark
names (`Bookmarks`: the contents name the chapters' headings first) and drawing ids.
An entry records the calls that gave them (relate_to, Bookmarks.named) and the numbers
it got; taking it from the cache makes the same calls, so the document goes on exactly
as if the chapter had been written, and rewrites the numbers that came out different.
Entries are JSON (no code is ever loaded from the cache), sealed like every entry."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Callable

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.parts.hdrftr import FooterPart, HeaderPart
from lxml import etree

from builder.cache import cache_key
from builder.media.charts import image as chart_image
from builder.writers.docx.blocks import Draft

NAMESPACE = "docx-parts"
NAME = re.compile(r"_(?:Toc|Ref)\d{6}")
# What each kind of related part is made from: (relationship type, part class, part name, content type)
HEADERS = {"header": (RT.HEADER, HeaderPart, "/word/header%d.xml", CT.WML_HEADER),
           "footer": (RT.FOOTER, FooterPart, "/word/footer%d.xml", CT.WML_FOOTER)}
# Word counts each Chinese character as a word, and each run of other non-space characters.
SPACE = re.compile(r"\s")
WORDS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
DRAWING_IDS = (qn("wp:docPr"), qn("pic:cNvPr"))
KINDS = {RT.HEADER: "header", RT.FOOTER: "footer", RT.IMAGE: "image"}


def record_relations(doc) -> list:
    """Log every relationship the document part is asked for, (type, part, rId), in order."""
    asked: list = []
    relate_to = doc.part.relate_to

    def logged(target, reltype, is_external=False):
        rid = relate_to(target, reltype, is_external)
        asked.append((reltype, target, rid))
        return rid
    doc.part.relate_to = logged
    return asked


def cached_section(draft: Draft, shown: tuple, charts: list, write: Callable[[], None], opens: bool = True) -> None:
    """Write a part of the document with `write()` (a chapter's section, the front), or
    take it from the cache. `shown`: everything it shows (keys.py); `charts`: the charts
    it may show, in a fixed order (entries name them by place); `opens`: it begins with a
    section break (start_section), which is made here, not kept."""
    cache = draft.ctx.cache
    path = cache.file(NAMESPACE, cache_key(NAMESPACE, shown, opens) + ".json")
    if path is None:
        draft.counts = None   # counted in the whole body at the end
        write()
        return
    if draft.last_id is None:
        draft.last_id = _largest_id([draft.doc.element])
    entry = load_entry(cache, path)
    if entry is not None and _splice(draft, charts, entry, opens):
        return
    before = _State(draft)
    write()
    added = list(draft.doc.element.body)[before.body - 1:]   # (the section break), the part, the sentinel w:sectPr
    draft.last_id = max(draft.last_id, _largest_id(added))
    kept = added[1:] if opens else added
    counts = text_counts(kept)
    _count(draft, counts)
    try:
        cache.keep(path, json.dumps(before.entry(draft, charts, kept, counts), ensure_ascii=False).encode())
    except OSError:   # a read-only or full cache folder only costs speed
        pass
    except ValueError:   # a chart not in `charts` (keys.py would miss one): not kept
        pass


class _State:
    """Where the document stands before a chapter is written: what the chapter adds after."""

    def __init__(self, draft: Draft):
        self.body = len(draft.doc.element.body)
        self.relations = len(draft.relations)
        self.notes, self.note_id = len(draft.notes.element), draft.notes.next_id
        self.asked, self.pictures = len(draft.marks.asked), len(draft.pictures)

    def entry(self, draft: Draft, charts: list, added: list, counts: tuple[int, int]) -> dict:
        """`added`: the elements written (after the section break), the sentinel w:sectPr last."""
        shapes = [int(p.get("id")) for p in _iter(added, "wp:docPr")]
        relations = []
        for reltype, part, rid in draft.relations[self.relations:]:
            kind = KINDS[reltype]
            relations.append([rid, kind, part.blob.decode() if kind != "image" else ""])
        named: dict[str, tuple] = {}
        for anchor, prefix in draft.marks.asked[self.asked:]:
            named.setdefault(anchor, (anchor, prefix, draft.marks.names[anchor]))
        return {"body": _xml(draft.doc.element.body, added), "notes": _xml(draft.notes.element, list(draft.notes.element)[self.notes:]),
                "note_id": self.note_id, "shape_id": min(shapes, default=1), "relations": relations,
                "pictures": [[charts.index(chart), name] for chart, name in draft.pictures[self.pictures:]],
                "names": list(named.values()), "counts": counts}


def _xml(parent, elements: list) -> str:
    """`elements` (children of `parent`) inside an element declaring `parent`'s namespaces."""
    holder = etree.Element(parent.tag, nsmap=parent.nsmap)
    for element in elements:
        holder.append(copy.deepcopy(element))
    return etree.tostring(holder, encoding="unicode")


def _iter(elements: list, tag: str):
    for element in elements:
        yield from element.iter(qn(tag))


def text_counts(elements: list) -> tuple[int, int]:
    """The words and characters (spaces not counted) of the paragraphs in `elements`, as
    Word counts them (docProps/app.xml); they add up, paragraph by paragraph."""
    text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for e in elements for p in e.iter(qn("w:p")))
    return len(WORDS.findall(text)), len(SPACE.sub("", text))


def _count(draft: Draft, counts) -> None:
    if draft.counts is not None:
        draft.counts = [draft.counts[0] + counts[0], draft.counts[1] + counts[1]]


def load_entry(cache, path: Path) -> dict | None:
    """A verified entry, or None."""
    try:
        if not path.is_file() or not cache.verified(path):
            return None
        entry = json.loads(path.read_bytes())
        return entry if isinstance(entry, dict) else None
    except (OSError, ValueError):
        return None


def _splice(draft: Draft, charts: list, entry: dict, opens: bool) -> bool:
    """Add the entry's section to the document; False (and nothing added) if the entry
    cannot be read."""
    try:
        body, notes = parse_xml(entry["body"]), parse_xml(entry["notes"])
        relations = [(rid, kind, parse_xml(xml.encode()) if xml else None) for rid, kind, xml in entry["relations"]]
        pictures = [(charts[i], str(name)) for i, name in entry["pictures"]]
        names = [(str(a), str(p), str(n)) for a, p, n in entry["names"]]
        note_id, shape_id = int(entry["note_id"]), int(entry["shape_id"])
        words, characters = (int(n) for n in entry["counts"])
        images = [kind for _, kind, xml in relations if kind == "image" and xml is None]
        made = [kind for _, kind, xml in relations if kind in HEADERS and xml is not None]
        if not len(body) or body[-1].tag != qn("w:sectPr") or len(pictures) != len(images) \
                or len(images) + len(made) != len(relations):
            return False
    except (KeyError, TypeError, ValueError, IndexError, etree.XMLSyntaxError):
        return False
    doc = draft.doc   # nothing changed above: from here on the entry is added
    rids = _relate(draft, relations, [chart for chart, _ in pictures])
    _renumber_relations(body, rids)
    _name_pictures(draft, body, rids, pictures)
    if draft.notes.next_id != note_id:
        _renumber_notes(body, notes, draft.notes.next_id - note_id)
    draft.notes.next_id += len(notes)
    draft.notes.element.extend(list(notes))   # (moves them: `notes` is empty after)
    _rename_bookmarks(body, {old: draft.marks.named(anchor, prefix) for anchor, prefix, old in names})
    _renumber_shapes(draft, body, shape_id)
    sentinel = doc.element.body.add_section_break() if opens else doc.element.body.sectPr
    for element in list(body)[:-1]:
        sentinel.addprevious(element)
    sentinel.getparent().replace(sentinel, body[-1])
    _count(draft, (words, characters))
    return True


def _relate(draft: Draft, relations: list, pictures: list) -> dict[str, str]:
    """Make the relationships again, in the order they were made: old rId -> new rId."""
    part, rids, pictures, taken = draft.doc.part, {}, iter(pictures), None
    for rid, kind, element in relations:
        if kind == "image":
            rids[rid] = part.get_or_add_image(str(chart_image(next(pictures), draft.ctx)))[0]
            continue
        reltype, part_class, template, content_type = HEADERS[kind]
        taken = taken or {p.partname for p in part.package.iter_parts()}
        name = next(template % n for n in range(1, len(taken) + 2) if template % n not in taken)   # as next_partname
        taken.add(name)
        made = part_class(PackURI(name), content_type, element, part.package)
        rids[rid] = part.relate_to(made, reltype)
    return rids


def _renumber_relations(body, rids: dict[str, str]) -> None:
    changed = {old: new for old, new in rids.items() if old != new}
    if not changed:
        return
    for tag, attribute in (("w:headerReference", "r:id"), ("w:footerReference", "r:id"), ("a:blip", "r:embed")):
        for element in body.iter(qn(tag)):
            rid = element.get(qn(attribute))
            if rid in changed:
                element.set(qn(attribute), changed[rid])


def _name_pictures(draft: Draft, body, rids: dict[str, str], pictures: list) -> None:
    """Word's file name of each picture: that of the first picture of the same image."""
    for pic, (_, name) in zip(body.iter(qn("pic:pic")), pictures):
        rid = next(pic.iter(qn("a:blip"))).get(qn("r:embed"))
        next(pic.iter(qn("pic:cNvPr"))).set("name", draft.picture_names.setdefault(rid, name))


def _renumber_notes(body, notes, offset: int) -> None:
    for element in (*body.iter(qn("w:footnoteReference")), *notes.iter(qn("w:footnote"))):
        element.set(qn("w:id"), str(int(element.get(qn("w:id"))) + offset))


def _rename_bookmarks(body, names: dict[str, str]) -> None:
    """Bookmark names (and their ids, the names' numbers) as this document gives them."""
    changed = {old: new for old, new in names.items() if old != new}
    if not changed:
        return
    ids = {str(int(old[4:])): str(int(new[4:])) for old, new in changed.items()}
    for element in body.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
        element.set(qn("w:id"), ids.get(element.get(qn("w:id")), element.get(qn("w:id"))))
        if element.get(qn("w:name")) in changed:
            element.set(qn("w:name"), changed[element.get(qn("w:name"))])
    for element in body.iter(qn("w:hyperlink")):
        if element.get(qn("w:anchor")) in changed:
            element.set(qn("w:anchor"), changed[element.get(qn("w:anchor"))])
    for element in body.iter(qn("w:instrText")):
        text = NAME.sub(lambda m: changed.get(m[0], m[0]), element.text or "")
        if text != (element.text or ""):
            element.text = text


def _renumber_shapes(draft: Draft, body, first: int) -> None:
    """Drawing ids count on through the document (python-docx: the largest id so far, plus one)."""
    shapes = list(body.iter(qn("wp:docPr")))
    offset = draft.last_id + 1 - first if shapes else 0
    for shape in shapes if offset else []:
        number = int(shape.get("id")) + offset
        shape.set("id", str(number))
        shape.set("name", f"Picture {number}")
    draft.last_id = max(draft.last_id, _largest_id([body]) if shapes else 0)


def _largest_id(elements: list) -> int:
    """The largest drawing id in `elements`, as python-docx's next_id counts (the largest id
    attribute of no namespace: only drawings have one here)."""
    return max((int(e.get("id")) for root in elements for e in root.iter(DRAWING_IDS)), default=0)
