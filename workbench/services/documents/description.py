"""The system description (section III of a SOC 2 report) as a document: one Heading 1 per DC section in order,
DC3's parts as Heading 2, the user's text as paragraphs and lists, and the tables the project's records fill."""

from __future__ import annotations

from datetime import date

from workbench.domain.description import DcSection, DcTable, SystemDescription, hint_of, unwritten
from workbench.domain.documents import Block, BulletList, Document, Heading, Paragraph, Table, text_blocks
from workbench.domain.enums import ReportType
from workbench.services.documents.drafted import Drafted
from workbench.services.documents.wording import isolated, joined, long_date, period_words
from workbench.services.session import OpenProject

TITLE = "Description of the system"
NOT_WRITTEN = "[Not written yet.]"
# Relative column widths for the tables the program fills, by their header (equal widths otherwise).
_WIDTHS: dict[tuple[str, ...], tuple[float, ...]] = {
    ("Kind", "Component", "Description", "In scope"): (1.0, 1.4, 3.4, 0.7),
    ("#", "Control", "Criteria"): (0.35, 4.2, 1.4),
    ("Criterion", "What it asks", "Controls"): (0.8, 2.8, 2.4),
    ("Criterion", "What it asks", "Reason"): (0.8, 2.8, 2.4),
    ("Organisation", "Service", "Method", "SOC report"): (1.3, 2.6, 0.9, 1.8),
    ("Date", "Change"): (1.0, 5.0),
}


def _text(text: str, checklist: tuple[str, ...] = ()) -> list[Block]:
    blocks = list(text_blocks(text))
    if blocks:
        return blocks
    if not checklist:
        return [Paragraph(NOT_WRITTEN)]
    return [Paragraph(f"{NOT_WRITTEN} This section should cover:"), BulletList(checklist)]


def _table(table: DcTable) -> list[Block]:
    out: list[Block] = [Heading(table.title, 2)]
    if not table.rows:
        return [*out, Paragraph("None recorded in the project.")]
    return [*out, Table(table.header, table.rows, _WIDTHS.get(table.header))]


def _section(section: DcSection) -> list[Block]:
    out: list[Block] = [Heading(f"{section.code} {section.title}", 1)]
    if section.parts:
        if section.text.strip():
            out += _text(section.text)
        for part in section.parts:
            out += [Heading(part.title, 2), *_text(part.text, (hint_of(part.key),) if part.key else ())]
    elif section.text.strip() or not any(table.rows for table in section.tables):
        out += _text(section.text, section.checklist)
    for table in section.tables:
        out += _table(table)
    return out


def description_blocks(description: SystemDescription) -> tuple[Block, ...]:
    """Return the blocks of the description: DC1-DC9 in order, each with its text, parts and tables."""
    return tuple(block for section in description.sections for block in _section(section))


def _period(description: SystemDescription) -> tuple[str, str]:
    kind = ReportType(description.report_type)
    end = description.period_end or description.period_start
    if end is None:
        return "Period", "not set"
    if kind is ReportType.TYPE1:
        return "As of", long_date(end)
    start = description.period_start or end
    return "Period", period_words(kind, start, end).removeprefix("for the period ")


def description_document(project: OpenProject, on: date | None = None) -> Drafted:
    """Return the system description drafted from the project, warning when sections are still unwritten."""
    from workbench.services.description import get_system_description, mapped_outside_scope

    described = get_system_description(project)
    on = on or project.now().date()
    org, system = isolated(described.organization), isolated(described.system_name)
    kind = ReportType(described.report_type).label
    period_label, period = _period(described)
    when = period if period_label == "Period" and period != "not set" else ""
    subtitle = " · ".join(filter(None, (org, system, f"SOC 2 {kind}", when or (
        f"as of {period}" if period_label == "As of" else ""))))
    document = Document(
        TITLE, subtitle,
        (("Organisation", org), ("System", system), ("Report", f"SOC 2 {kind}"), (period_label, period),
         ("Trust services categories", joined(described.categories)), ("Prepared on", long_date(on))),
        description_blocks(described), org, f"Description of the {system or 'system'} (SOC 2 {kind}, DC1-DC9)",
        ("SOC 2", kind, "system description", org, system))
    missing = unwritten(described)
    warnings = (f"the system description has unwritten sections: {', '.join(missing)}",) if missing else ()
    return Drafted(document, warnings + tuple(mapped_outside_scope(project)))
