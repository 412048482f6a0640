"""The DOCX writer (python-docx)."""
from builder.writers.docx.document import write_docx

__all__ = ["write_docx"]
