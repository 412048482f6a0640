"""The build context: everything about a build that is not the report's content, made
once by the command and passed down unchanged (options, folders, cache, fonts)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.cache import Cache
from builder.model import PrintOptions


@dataclass(frozen=True)
class Fonts:
    """The charts' fonts (the text's are the theme's, model.Theme: builder.fonts locates
    and subsets them for the PDF, the DOCX names them)."""
    chart_family: tuple[str, ...] = ()      # matplotlib font.family, Latin first


@dataclass(frozen=True)
class BuildContext:
    root: Path                  # the report folder (content/, data/)
    output: Path                # where the files go
    cache: Cache
    options: PrintOptions = PrintOptions()
    fonts: Fonts = field(default_factory=Fonts)
    jobs: int = 1               # processes to write with

    @classmethod
    def for_folder(cls, root: Path, output: Path | None = None, **kw) -> BuildContext:
        """The usual context: output/ and .cache/ inside the report folder."""
        return cls(root, output or root / "output", Cache(root / ".cache"), **kw)
