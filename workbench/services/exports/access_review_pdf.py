"""The PDF of a closed access review: the system, the listing and its SHA-256, the reviewer's signature, every
account with its flags and decision, and the change since the system's last review."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import LongTable, Paragraph, Spacer, TableStyle

from workbench.domain.access_reviews import Campaign, Difference, Flag
from workbench.services.exports.pdf_parts import markup
from workbench.services.exports.register_pdf import day_text, landscape_pdf, signed_opening

WIDTHS = (110, 110, 80, 40, 60, 60, 140, 50, 90)


def review_pdf(organization: str, campaign: Campaign, flags: dict[str, tuple[Flag, ...]],
               change: Difference | None) -> bytes:
    """Return the PDF of a closed campaign (reportlab's invariant mode: the same input gives the same bytes)."""
    styles, story = signed_opening(
        f"Access review {campaign.ref}: {campaign.system}",
        f"{organization}. Reviewed and signed by {campaign.reviewer} on {day_text(campaign.closed_on, 'not closed')}. "
        f"User list {campaign.source or 'imported'} taken on {day_text(campaign.started_on, 'an unrecorded day')}, "
        f"{len(campaign.entries)} accounts, SHA-256 {campaign.sha256 or 'not recorded'}.", campaign.control_ref)
    fonts, body, cell = styles.fonts, styles.body, styles.cell
    if change is not None:
        story.append(Paragraph(markup(f"Since the previous review: {change.text}."), body))
    removals = sum(1 for e in campaign.entries if e.decision is not None and e.decision.value == "remove")
    story.append(Paragraph(markup(f"Decisions: {len(campaign.entries)} accounts, {removals} to remove (each "
                                  "tracked as a task to done)."), body))
    rows = [[Paragraph(markup(h), cell) for h in ("Login", "Email", "Role", "Admin", "Status", "Last login",
                                                  "Flags", "Decision", "Note")]]
    for e in campaign.entries:
        rows.append([Paragraph(markup(str(v)), cell) for v in (
            e.login, e.email, e.role, "" if e.admin is None else "yes" if e.admin else "no", e.status,
            e.last_login.isoformat() if e.last_login else "", ", ".join(f.label for f in flags.get(e.login, ())),
            e.decision.label if e.decision else "", e.note)])
    style = TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.regular), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    story += [Spacer(1, 6), LongTable(rows, colWidths=WIDTHS, repeatRows=1, style=style, hAlign="LEFT")]
    return landscape_pdf(story, f"Access review {campaign.ref}", organization, fonts)
