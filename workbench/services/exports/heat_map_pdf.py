"""The 5x5 risk heat map as PDF tables: inherent beside residual, each risk's reference in its cell."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from workbench.domain.enums import AssessmentStatus
from workbench.domain.palette import TONES
from workbench.domain.risks import HeatMap, Risk, band, heat_map
from workbench.services.exports.pdf_parts import Fonts, markup

# The program's state tints (domain/palette.py), as on screen: black references on them read at WCAG AA.
BAND_COLOURS = {level: colors.HexColor(TONES[state].tint_light) for level, state in (
    ("high", AssessmentStatus.GAP), ("medium", AssessmentStatus.PARTIALLY_MET), ("low", AssessmentStatus.MET))}
CELL = 34  # points a side
MAX_REFS = 6  # references written in a cell; more are counted


def _cell_text(refs: Sequence[str]) -> str:
    shown = list(refs[:MAX_REFS])
    if len(refs) > MAX_REFS:
        shown.append(f"+{len(refs) - MAX_REFS}")
    return "\n".join(shown)


def map_table(grid: HeatMap, title: str, fonts: Fonts) -> Table:
    """Return one heat map: likelihood 5 at the top, impact 1 to 5 left to right, references in the cells."""
    style = ParagraphStyle("cell", fontName=fonts.regular, fontSize=5.5, leading=6.5)
    rows: list[list[object]] = [[title, "", "", "", "", ""]]
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), fonts.regular, 7),  # empty cells too: no reportlab Helvetica in the file
        ("SPAN", (0, 0), (-1, 0)), ("FONT", (0, 0), (-1, 0), fonts.bold, 8),
        ("FONT", (0, 1), (0, -1), fonts.bold, 7), ("FONT", (0, -1), (-1, -1), fonts.bold, 7),
        ("ALIGN", (0, 1), (-1, -1), "CENTER"), ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ("GRID", (1, 1), (-1, -2), 0.4, colors.white),
    ]
    for row_index, likelihood in enumerate(range(5, 0, -1), start=1):
        row: list[object] = [f"L{likelihood}"]
        for column, impact in enumerate(range(1, 6), start=1):
            refs = grid.at(likelihood, impact)
            row.append(Paragraph(markup(_cell_text(refs)), style) if refs else "")
            commands.append(("BACKGROUND", (column, row_index), (column, row_index),
                             BAND_COLOURS[band(likelihood * impact)]))
        rows.append(row)
    rows.append(["", *(f"I{impact}" for impact in range(1, 6))])
    widths = [18] + [CELL] * 5
    heights = [14] + [CELL] * 5 + [12]
    return Table(rows, colWidths=widths, rowHeights=heights, style=TableStyle(commands), hAlign="LEFT")


def heat_maps(risks: Sequence[Risk], fonts: Fonts) -> Table:
    """Return the inherent and residual heat maps side by side, with the risks that could not be placed."""
    inherent, residual = heat_map(risks), heat_map(risks, residual=True)
    pair = Table([[map_table(inherent, "Inherent (likelihood x impact)", fonts),
                   map_table(residual, "Residual (after treatment)", fonts)]],
                 colWidths=[7 * CELL, 7 * CELL], hAlign="LEFT",
                 style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), fonts.regular, 7)]))
    return pair


def unplaced_note(risks: Sequence[Risk]) -> str:
    """Return which risks the maps leave out (a score without its parts, or no rating), or ""."""
    parts = []
    for label, grid in (("inherent", heat_map(risks)), ("residual", heat_map(risks, residual=True))):
        if grid.unplaced:
            parts.append(f"not on the {label} map (no likelihood and impact): {', '.join(grid.unplaced)}")
    return "; ".join(parts)
