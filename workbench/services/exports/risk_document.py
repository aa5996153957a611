"""The PDF of a signed risk assessment: who signed it when, the heat maps and every risk; the same bytes each time."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import LongTable, Paragraph, Spacer, TableStyle

from workbench.domain.risks import Risk, RiskAssessment
from workbench.services.exports.heat_map_pdf import heat_maps, unplaced_note
from workbench.services.exports.pdf_parts import bounded, markup
from workbench.services.exports.register_pdf import day_text, landscape_pdf, signed_opening

RISK_HEADERS = ("Ref", "Scenario", "Asset or objective", "L", "I", "Inherent", "Treatment", "Controls", "Res. L",
                "Res. I", "Residual", "Owner")
WIDTHS = (42, 160, 80, 18, 18, 40, 120, 60, 30, 30, 42, 68)


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def risk_rows(risks: Sequence[Risk], style: ParagraphStyle) -> list[list[object]]:
    """Return the risk table's rows (header first): free text as escaped paragraphs, never as markup."""
    rows: list[list[object]] = [list(RISK_HEADERS)]
    for risk in risks:
        treatment = ": ".join(filter(None, (risk.treatment.label if risk.treatment else "", risk.treatment_text)))
        scenario = risk.scenario + (" (fraud)" if risk.fraud else "")
        rows.append([
            Paragraph(markup(risk.ref), style), Paragraph(markup(bounded(scenario, 1200, 12)), style),
            Paragraph(markup(bounded(risk.asset, 300, 4)), style), _number(risk.likelihood), _number(risk.impact),
            _number(risk.inherent), Paragraph(markup(bounded(treatment, 800, 8)), style),
            Paragraph(markup(", ".join(risk.controls)), style), _number(risk.residual_likelihood),
            _number(risk.residual_impact), _number(risk.residual),
            Paragraph(markup(bounded(risk.owner, 200, 3)), style),
        ])
    return rows


def risk_table_style(font: str, bold: str) -> TableStyle:
    """Return the grid the risk tables are drawn with."""
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 7), ("FONT", (0, 0), (-1, 0), bold, 7),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b0b0")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6ebf2")),
    ])


def assessment_pdf(organization: str, assessment: RiskAssessment, risks: Sequence[Risk]) -> bytes:
    """Return the PDF of a signed assessment (reportlab's invariant mode: the same input gives the same bytes)."""
    styles, story = signed_opening(
        f"Risk assessment of {organization}",
        f"Signed on {day_text(assessment.signed_on, 'not signed')} by {assessment.signed_by}. Started on "
        f"{day_text(assessment.started_on, 'an unrecorded day')}. {len(risks)} risks, each rated for likelihood (L) "
        "and impact (I) from 1 to 5.", assessment.control_ref)
    story += [Spacer(1, 6), heat_maps(risks, styles.fonts)]
    note = unplaced_note(risks)
    if note:
        story.append(Paragraph(markup(note[:1].upper() + note[1:] + "."), styles.body))
    story += [Spacer(1, 8), LongTable(risk_rows(risks, styles.cell), colWidths=WIDTHS, repeatRows=1,
                                      style=risk_table_style(styles.fonts.regular, styles.fonts.bold), hAlign="LEFT")]
    return landscape_pdf(story, "Risk assessment", organization, styles.fonts)
