"""Errors a user can fix. The CLI prints each as one line and exits with its code."""
from __future__ import annotations


class ReportError(Exception):
    """A problem in the user's content, data, config or environment."""
    exit_code = 1

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 column: str | int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def __reduce__(self):
        # Keep file and line when an error crosses from a worker process to the CLI.
        return (self.__class__, (self.message, self.file, self.line, self.column))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = str(self.file)
            if self.line:
                where += f":{self.line}"
            if self.column:
                where += f": column {self.column}"
            where += ": "
        return f"{where}{self.message}"


class ContentError(ReportError):
    """Markdown, manifest or placeholder problems."""


class DataError(ReportError):
    """CSV data problems."""


class FontError(ReportError):
    """No usable font, or a character no font covers."""
    exit_code = 3


class ProblemList(ReportError):
    """Several problems found at once (by `report check` or a build's validation)."""

    def __init__(self, problems: list[ReportError]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) found")

    def __reduce__(self):
        return (self.__class__, (self.problems,))
