"""The page and paragraph styles and the opening shared by the one-register PDFs (a signed risk assessment, a closed
access review)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from workbench.services.exports.cover import MARKING
from workbench.services.exports.pdf_parts import Fonts, draw_furniture, markup, one_line, package_fonts


@dataclass(frozen=True, slots=True)
class Styles:
    """The package fonts and the title, body and table-cell paragraph styles of a register PDF."""

    fonts: Fonts
    title: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle


def register_styles() -> Styles:
    """Register the package fonts and return the styles a register PDF is written in."""
    fonts = package_fonts()
    return Styles(fonts, ParagraphStyle("title", fontName=fonts.bold, fontSize=16, leading=20, spaceAfter=6),
                  ParagraphStyle("body", fontName=fonts.regular, fontSize=9, leading=12, spaceAfter=4),
                  ParagraphStyle("cell", fontName=fonts.regular, fontSize=7, leading=8.5))


def signed_opening(heading: str, statement: str, control_ref: str | None) -> tuple[Styles, list[object]]:
    """Return the styles of a signed register PDF and its first paragraphs: its heading, who signed it when and what
    it holds, and the control it is evidence for (when it is)."""
    styles = register_styles()
    story: list[object] = [Paragraph(markup(heading), styles.title), Paragraph(markup(statement), styles.body)]
    if control_ref:
        story.append(Paragraph(markup(f"Evidence for control {control_ref}."), styles.body))
    return styles, story


def day_text(day: date | None, missing: str) -> str:
    """Return a day as YYYY-MM-DD, or what to say when there is none."""
    return day.isoformat() if day else missing


def landscape_pdf(story: list[object], title: str, author: str, fonts: Fonts) -> bytes:
    """Return the bytes of a landscape letter PDF of this story (reportlab's invariant mode: same story, same bytes).

    Every page carries the organisation and the title at its top, the Confidential marking and its page number.
    """
    header = one_line(f"{author} · {title}" if author.strip() else title)

    def furniture(canvas: Canvas, _doc: SimpleDocTemplate) -> None:
        draw_furniture(canvas, header, MARKING, f"Page {canvas.getPageNumber()}", (fonts.regular, fonts.bold))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(letter), leftMargin=0.5 * inch, rightMargin=0.5 * inch,
                            topMargin=0.5 * inch, bottomMargin=0.5 * inch, title=header,
                            author=author, subject=title, keywords=f"SOC 2, {MARKING}", creator="SOC 2 Workbench",
                            invariant=1, initialFontName=fonts.regular)  # not reportlab's Helvetica on every page
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buffer.getvalue()
