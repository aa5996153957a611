"""Rendering the first page of a PDF to pixels for previews (PDFium through pypdfium2; no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass

MAX_PREVIEW_WIDTH = 900  # pixels; a page is scaled to this width at most
MAX_PREVIEW_HEIGHT = 1400


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """One page as 8-bit RGB pixels, row by row (`stride` bytes per row)."""

    width: int
    height: int
    stride: int
    rgb: bytes
    page_count: int


def render_first_page(data: bytes, max_width: int = MAX_PREVIEW_WIDTH) -> RenderedPage | None:
    """Return the first page of a PDF rendered for a preview, or None when it cannot be rendered."""
    import pypdfium2 as pdfium  # loaded on first use: the command line never needs it

    try:
        document = pdfium.PdfDocument(data)
    except (pdfium.PdfiumError, ValueError, OSError):
        return None
    try:
        if len(document) == 0:
            return None
        page = document[0]
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            return None
        scale = min(max_width / width, MAX_PREVIEW_HEIGHT / height, 2.0)
        bitmap = page.render(scale=scale, rev_byteorder=True)
        if bitmap.n_channels != 3:
            return None
        return RenderedPage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer), len(document))
    except (pdfium.PdfiumError, ValueError, OSError):
        return None
    finally:
        document.close()
