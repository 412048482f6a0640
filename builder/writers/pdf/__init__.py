"""The PDF writer (reportlab): chapters laid out as cached parts, assembled with pypdf."""
from builder.writers.pdf.document import chapter_pages, pdf_characters, write_pdf

__all__ = ["chapter_pages", "pdf_characters", "write_pdf"]
