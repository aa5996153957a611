"""First-page rendering of PDF evidence: real pixels for a real PDF, None for anything else."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from workbench.services.pdf_pages import MAX_PREVIEW_WIDTH, render_first_page


def _pdf(pages: int = 2) -> bytes:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    for number in range(pages):
        drawing.setFont("Helvetica-Bold", 48)
        drawing.drawString(72, 700, f"Page {number + 1}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def test_the_first_page_is_rendered_to_portrait_pixels():
    page = render_first_page(_pdf(3))
    assert page is not None
    assert page.page_count == 3
    assert page.width <= MAX_PREVIEW_WIDTH and page.height > page.width
    assert len(page.rgb) == page.stride * page.height
    # Mostly white paper, with some dark text pixels.
    assert page.rgb.count(255) > len(page.rgb) // 2
    assert min(page.rgb) < 64


def test_not_a_pdf_gives_none():
    assert render_first_page(b"%PDF-1.4 but truncated") is None
    assert render_first_page(b"plain text") is None
    assert render_first_page(b"") is None
