"""One PDF of the laid-out parts (pypdf): their pages with each font copied once, page
labels, the outline, the contents' links, and the document's metadata."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from builder.model import Report
from builder.writers.pdf.parts import Part

LANG_TAGS = {"zh": "zh-CN", "en": "en-US"}


def assemble(report: Report, parts: list[Part], path: Path) -> int:
    """Write the PDF of `parts` (the front, then the chapters) to `path`; return its pages."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter()
    starts = add_pages(writer, parts)
    add_page_labels(writer, parts, starts)
    add_outline_and_links(writer, parts, starts)
    add_metadata(writer, report)
    # The same parts give the same file: the ID is their digest, not a random one.
    digest = hashlib.md5()
    for part in parts:
        digest.update(part.pdf)
    writer._ID = ArrayObject([ByteStringObject(digest.digest())] * 2)
    with open(path, "wb") as file:
        writer.write(file)
    return len(writer.pages)


def page_fonts(page) -> dict:
    resources = page["/Resources"]
    return resources["/Font"] if "/Font" in resources else {}


def add_pages(writer, parts: list[Part]) -> list[int]:
    """Every part's pages; returns the index of each part's first page. The parts embed
    the same font subsets (see glyphs.embed_glyphs): each is copied once, and the pages
    of later parts refer to that copy."""
    from pypdf import PdfReader
    from pypdf.generic import NameObject

    starts = []
    fonts: dict[str, object] = {}   # subset identity (see PartCanvas) -> the copy in `writer`
    for part in parts:
        starts.append(len(writer.pages))
        for page in PdfReader(io.BytesIO(part.pdf)).pages:
            used = page_fonts(page)
            for name in list(used):
                same = fonts.get(part.fonts[name])
                if same is not None:
                    used[NameObject(name)] = same
            for name, ref in page_fonts(writer.add_page(page)).items():
                fonts.setdefault(part.fonts[name], ref)
    return starts


def add_page_labels(writer, parts: list[Part], starts: list[int]) -> None:
    labels = [(start + i, style, first, prefix) for start, part in zip(starts, parts)
              for i, style, first, prefix in part.labels]
    kept = []   # a chapter part's label that only goes on counting is left out
    for index, style, first, prefix in labels:
        if kept and style == kept[-1][1] == "/D" and first == kept[-1][2] + index - kept[-1][0]:
            continue
        kept.append((index, style, first, prefix))
    for (index, style, first, prefix), end in zip(kept, [k[0] for k in kept[1:]] + [len(writer.pages)]):
        writer.set_page_label(index, end - 1, style=style, prefix=prefix, start=first)


def add_outline_and_links(writer, parts: list[Part], starts: list[int]) -> None:
    """Chapters and their sections in the outline; the contents' entries linked to them."""
    from pypdf.annotations import Link
    from pypdf.generic import Fit

    where = {}
    parent = None
    for start, part in zip(starts, parts):
        for mark in part.marks:
            page = start + mark.page
            where[mark.anchor] = (page, Fit.xyz(mark.left, mark.top, 0))
            if mark.level == 1:
                parent = writer.add_outline_item(title=mark.text, page_number=page, fit=where[mark.anchor][1])
            elif mark.level == 2:
                writer.add_outline_item(title=mark.text, page_number=page, parent=parent,
                                        fit=where[mark.anchor][1], is_open=False)
    for start, part in zip(starts, parts):
        for index, rect, anchor in part.links:
            if anchor not in where:   # a reference to a chapter an extract leaves out
                continue
            page, fit = where[anchor]
            writer.add_annotation(start + index, Link(rect=rect, target_page_index=page, fit=fit))


def add_metadata(writer, report: Report) -> None:
    from pypdf.generic import NameObject, TextStringObject

    lang = report.langs[0] if report.langs else "zh"
    writer.add_metadata({"/Title": report.title, "/Author": report.author, "/Creator": "report",
                         "/Producer": "report (reportlab, pypdf)",
                         "/Subject": report.covers[0].subtitle if report.covers else report.title})
    writer.root_object[NameObject("/Lang")] = TextStringObject(LANG_TAGS.get(lang, lang))
    writer.create_viewer_preferences().display_doctitle = True
    writer.page_mode = "/UseOutlines"
