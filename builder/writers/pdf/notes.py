"""Footnotes for the PDF writer: printed at the foot of the page that references them.

A paragraph with notes is wrapped in FootnotedParagraph, whose height is the paragraph's
plus its notes', so it is only placed where both fit. Once placed, the document gives the
notes' height back to the frame and raises the frame bottom by as much (see
ReportDocTemplate.afterFlowable), and draws the page's notes at page end.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable, Paragraph

from builder.writers.pdf.text import nonspace_len

RULE_GAP = 6      # space between the text and the rule, and the rule and the first note
RULE_WIDTH = 0.3  # of the frame width
NOTE_GAP = 1.5    # between notes


@dataclass
class PlacedNote:
    end: int              # non-space characters of the paragraph up to the end of the mark
    paragraph: Paragraph  # the note text as drawn at the page foot


class NoteZone:
    """The notes of the page being laid out (one frame per page)."""

    def __init__(self):
        self.notes: list[Paragraph] = []

    def clear(self) -> None:
        self.notes = []

    def height_with(self, notes: list[PlacedNote], width: float) -> float:
        """Extra height the zone needs to take `notes` on this page."""
        if not notes:
            return 0.0
        h = sum(n.paragraph.wrap(width, 10_000)[1] + NOTE_GAP for n in notes)
        return h + (0 if self.notes else 2 * RULE_GAP)

    def draw(self, canv, x: float, bottom: float, width: float) -> None:
        """Draw the notes stacked from `bottom` up, with a short rule above them."""
        if not self.notes:
            return
        y = bottom
        for para in reversed(self.notes):
            _, h = para.wrap(width, 10_000)
            para.drawOn(canv, x, y)
            y += h + NOTE_GAP
        y += RULE_GAP - NOTE_GAP
        canv.saveState()
        canv.setLineWidth(0.5)
        canv.line(x, y, x + RULE_WIDTH * width, y)
        canv.restoreState()


class FootnotedParagraph(Flowable):
    """A paragraph plus the footnotes it references, kept on the same page."""

    def __init__(self, para: Paragraph, notes: list[PlacedNote], zone: NoteZone, line: int | None = None):
        super().__init__()
        self.line = line   # in the chapter's file, for a layout error
        self.para = para
        self.notes = notes
        self.zone = zone
        self.notes_h = 0.0

    def identity(self, maxLen=None):
        """How a layout error names it."""
        text = self.para.getPlainText()
        return f"the paragraph “{text[:30]}{'…' if len(text) > 30 else ''}” with its footnotes"

    def getSpaceBefore(self):
        return self.para.getSpaceBefore()

    def getSpaceAfter(self):
        return self.para.getSpaceAfter()

    def wrap(self, aW, aH):
        w, h = self.para.wrap(aW, aH)
        self.notes_h = self.zone.height_with(self.notes, aW)
        self.width, self.height = w, h + self.notes_h
        return self.width, self.height

    def draw(self):
        # The flowable's box is paragraph + notes; the paragraph sits on top.
        self.para.drawOn(self.canv, 0, self.notes_h)

    def split(self, aW, aH):
        """Split the paragraph so that the first part and the notes it references fit."""
        def attempt(reserve):
            parts = self.para.split(aW, aH - reserve)
            if len(parts) != 2:
                return None
            first, rest = parts
            done = nonspace_len(first.getPlainText())
            inside = [n for n in self.notes if n.end <= done]
            need = self.zone.height_with(inside, aW)
            return (first, rest, inside, done, need) if need <= reserve else None

        # Reserve room for all notes first, then for fewer if even two lines do not fit.
        best = None
        for k in range(len(self.notes), -1, -1):
            best = attempt(self.zone.height_with(self.notes[:k], aW))
            if best:
                break
        # The first part may hold fewer notes than reserved for: give it that room.
        for _ in range(3):
            if best is None:
                return []
            better = attempt(best[4])
            if better is None or better[4] >= best[4]:
                best = better or best
                break
            best = better
        first, rest, inside, done, _ = best
        later = [PlacedNote(n.end - done, n.paragraph) for n in self.notes if n.end > done]
        return [FootnotedParagraph(first, inside, self.zone, self.line) if inside else first,
                FootnotedParagraph(rest, later, self.zone, self.line) if later else rest]
