"""How blocks move between pages, as a typesetter would have them.

- Figures float: one that does not fit the rest of the page waits (is deferred) while the
  text after it fills the page, and is placed at the top of the next one. Figures keep
  their order, and a part never ends with one still waiting.
- A heading (or caption) is kept with the start of what follows it, not with the whole of
  it: when the heading and the first lines of the next paragraph fit, they stay on this
  page and the paragraph goes on over the page.
"""
from __future__ import annotations

from reportlab.platypus import KeepTogether, PageBreak
from reportlab.platypus.doctemplate import NullActionFlowable


class FlushFloats(NullActionFlowable):
    """The end of a part: waiting figures are placed before it at the latest, as before a
    page break or a blank page for duplex printing."""
    flushes_floats = True


def mark_float(flowable):
    """Mark a figure's flowable as one that may wait for the next page."""
    flowable.floating = True
    return flowable


def is_float(flowable) -> bool:
    return getattr(flowable, "floating", False)


def _height(flowable, width: float, room: float) -> float:
    if isinstance(flowable, KeepTogether):   # its wrap() asks to be split: its height is _H
        flowable.wrap(width, room)
        return flowable._H
    return flowable.wrap(width, room)[1]


def _fits(doc, flowable) -> bool:
    frame = doc.frame
    room = frame._y - frame._y1p - (0 if frame._atTop else flowable.getSpaceBefore())
    flowable.canv = doc.canv   # wrap() may measure text with the canvas
    try:
        return _height(flowable, frame._getAvailableWidth(), room) <= room + 1e-6
    finally:
        del flowable.canv


def _ends_here(flowable) -> bool:
    """A page break before a new chapter or part, a blank page for duplex printing
    (document.RectoPad), or the end of the part: the last places for waiting figures."""
    return isinstance(flowable, PageBreak) or getattr(flowable, "flushes_floats", False)


def _more_text(flowables: list) -> bool:
    """Is there anything to lay out after the first flowable before the part, or a page, ends?"""
    return len(flowables) > 1 and not _ends_here(flowables[1])


class FloatQueue:
    """The figures waiting for a page, and the page they started waiting on."""

    def __init__(self):
        self.waiting: list = []
        self.page = 0

    def filter(self, doc, flowables: list) -> None:
        """Called before each flowable is laid out (BaseDocTemplate.filterFlowables)."""
        if not flowables or flowables is getattr(doc, "_hanging", None):   # page-start actions, not the story
            return
        first = flowables[0]
        if self.waiting and (doc.page > self.page or _ends_here(first)):
            # reportlab fails a flowable that did not fit an empty frame either, which it
            # knows by a mark: no longer true of one the figures now go before.
            if getattr(first, "_postponed", None):
                del first._postponed
            flowables[0:0] = self.waiting   # the top of a new page, or the last place they can go
            self.waiting = []
            return
        if first is None or not is_float(first) or doc.frame._atTop:
            return
        # A figure after one that waits waits too: figures keep their order.
        if self.waiting or (not _fits(doc, first) and _more_text(flowables)):
            self.waiting.append(flowables.pop(0))
            self.page = doc.page
            flowables.insert(0, None)   # handle_flowable skips it and comes back


class KeepWithStart(KeepTogether):
    """What reportlab makes of headings with keepWithNext and the flowable after them,
    kept together only as far as the start of that flowable: when the headings fit with
    the first lines of a paragraph (or the first rows of a table), they stay on the page."""

    def wrap(self, aW, aH):
        width, big = super().wrap(aW, aH)
        *heads, last = self._content
        if self._H > aH and not is_float(last) and hasattr(last, "split"):
            head_h = sum(f.wrap(aW, aH)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in heads)
            room = aH - head_h - last.getSpaceBefore()
            if room > 0 and len(last.split(aW, room)) >= 2:
                self._H = aH   # the start fits: split() places them one by one
        return width, big
