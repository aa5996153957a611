"""The xlsx workbook for the CPA firm: a cover sheet, control matrix, evidence index (in period or not), requests.

Management's own readiness judgements (the criteria coverage and open-gaps sheets) are added only when asked.
Every sheet has a frozen header row, a filter over its data and column widths fitted to its content.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from workbench.domain.entities import Control
from workbench.domain.enums import AssessmentStatus, ControlStatus
from workbench.services.exports.book_file import BookProperties, save_workbook
from workbench.services.exports.cells import (
    LongTexts,
    SheetStyles,
    SheetWriter,
    TextNotice,
    discard_workbook,
    set_table_layout,
)
from workbench.services.exports.cover import MARKING, CoverFacts, cover_facts
from workbench.services.exports.output import Progress, Steps, atomic_output
from workbench.services.exports.period_marks import period_answer, reflects
from workbench.services.exports.snapshot import ExportOptions, ExportSnapshot, take_snapshot
from workbench.services.exports.workbook_registers import register_tables
from workbench.services.session import OpenProject

# The control-matrix headers are ones our own importer maps back (importers/mapping.py guess_mapping).
CONTROL_HEADERS = ("Ref", "Title", "Description", "Owner", "Frequency", "Nature", "Status", "Criteria",
                   "Evidence count", "Notes")
COVERAGE_HEADERS = ("Criterion", "Category", "Summary", "Assessment status", "Assessment note", "Mapped controls",
                    "Number of controls", "Evidence items")
EVIDENCE_HEADERS = ("Control", "Title", "File name", "Size (bytes)", "Media type", "Collected", "Period start",
                    "Period end", "In period", "Reflects", "Source", "SHA-256")
REQUEST_HEADERS = ("Ref", "Item", "Description", "Criteria", "Control", "Owner", "Due date", "Status",
                   "Auditor status", "Linked evidence")
GAP_HEADERS = ("Kind", "Item", "Title", "Status", "Owner", "What to do")
COVER_HEADERS = ("Field", "Value")
COVER_SHEET = "Cover"
TITLE = "SOC 2 workbook"
ROWS_PER_STEP = 100
READINESS_LEFT_OUT = "left out (management's own judgements; export with --include-readiness to add them)"
READINESS_INCLUDED = "included: the criteria coverage and open-gaps sheets hold management's own judgements"
_OPEN_CRITERIA = (AssessmentStatus.GAP, AssessmentStatus.PARTIALLY_MET)


@dataclass(frozen=True)
class XlsxResult:
    """What an xlsx export wrote: the file, the data rows of each sheet, and text that had to change."""

    path: Path
    sheets: dict[str, int]
    notices: list[TextNotice] = field(default_factory=list)


@dataclass(frozen=True)
class _Table:
    name: str
    headers: Sequence[str]
    rows: list[list[object]]


def _label(member: object) -> str:
    return "" if member is None else str(getattr(member, "label", member))


def _controls(snapshot: ExportSnapshot, counts: Counter[str]) -> _Table:
    rows: list[list[object]] = [
        [c.ref, c.title, c.description, c.owner, _label(c.frequency), _label(c.nature), _label(c.status),
         ", ".join(c.criteria), counts[c.ref], c.notes]
        for c in snapshot.controls
    ]
    return _Table("Controls", CONTROL_HEADERS, rows)


def _coverage(snapshot: ExportSnapshot, counts: Counter[str]) -> _Table:
    mapped: dict[str, list[Control]] = {}
    for control in snapshot.controls:
        for criterion in control.criteria:
            mapped.setdefault(criterion, []).append(control)
    rows: list[list[object]] = []
    for criterion in snapshot.criteria:
        assessment = snapshot.assessment(criterion.id)
        controls = mapped.get(criterion.id, [])
        rows.append([criterion.id, criterion.category.label, criterion.summary, assessment.status.label,
                     assessment.note, ", ".join(c.ref for c in controls), len(controls),
                     sum(counts[c.ref] for c in controls)])
    return _Table("Criteria coverage", COVERAGE_HEADERS, rows)


def _evidence(snapshot: ExportSnapshot) -> _Table:
    rows: list[list[object]] = [
        [e.control_ref, e.title, e.filename, e.size, e.media_type, e.collected_on, e.period_start, e.period_end,
         period_answer(snapshot, e), reflects(e), e.source, e.sha256]
        for e in snapshot.evidence
    ]
    return _Table("Evidence index", EVIDENCE_HEADERS, rows)


def _requests(snapshot: ExportSnapshot) -> _Table:
    names = {e.id: e.filename for e in snapshot.evidence}
    rows: list[list[object]] = []
    for r in snapshot.requests:
        linked = [names.get(i, f"evidence #{i} (not in this export)") for i in r.evidence_ids]
        rows.append([r.ref, r.item, r.description, ", ".join(r.tsc_refs), r.control_ref or "", r.owner, r.due,
                     r.status.label, r.auditor_status, "\n".join(linked)])
    return _Table("Requests", REQUEST_HEADERS, rows)


def _gaps(snapshot: ExportSnapshot, counts: Counter[str]) -> _Table:
    covered = {criterion for c in snapshot.controls for criterion in c.criteria}
    rows: list[list[object]] = []
    for criterion in snapshot.criteria:
        assessment = snapshot.assessment(criterion.id)
        if assessment.status is AssessmentStatus.GAP:
            rows.append(["Criterion gap", criterion.id, criterion.summary, assessment.status.label, "",
                         "Design and implement controls that meet the criterion, then assess it again"])
        elif assessment.status is AssessmentStatus.PARTIALLY_MET:
            rows.append(["Criterion partially met", criterion.id, criterion.summary, assessment.status.label, "",
                         "Close the shortfall noted in the assessment, then assess it again"])
        elif assessment.status is AssessmentStatus.NOT_ASSESSED and criterion.id not in covered:
            rows.append(["Criterion without control", criterion.id, criterion.summary, assessment.status.label,
                         "", "Map a control to the criterion and assess it"])
    for control in snapshot.controls:
        if control.status is not ControlStatus.IMPLEMENTED:
            rows.append(["Control not implemented", control.ref, control.title, control.status.label,
                         control.owner, "Finish implementing the control and set its status to Implemented"])
    for control in snapshot.controls:
        if counts[control.ref] == 0:
            rows.append(["Control without evidence", control.ref, control.title, control.status.label,
                         control.owner, "Attach evidence that the control operates"])
    return _Table("Open gaps", GAP_HEADERS, rows)


def _cover(snapshot: ExportSnapshot, facts: CoverFacts) -> _Table:
    rows: list[list[object]] = [
        ["Marking", MARKING],
        ["Organisation", facts.organization],
        ["System", facts.system],
        ["Report", facts.report],
        ["Trust Services Categories", facts.categories],
        ["Period", facts.period],
        ["Generated on", snapshot.generated_on],
        ["Manifest SHA-256", facts.manifest],
        ["Audit-trail chain head", facts.chain_head],
        ["Audit-trail entries", facts.audit_entries],
        ["Covers", snapshot.options.covers("any date")],
        ["Readiness self-assessment", READINESS_INCLUDED if snapshot.options.include_readiness else READINESS_LEFT_OUT],
        ["Controls", len(snapshot.controls)],
        ["Evidence items", len(snapshot.evidence)],
        *([table.sheet, len(table.values)] for table in snapshot.registers.tables),
    ]
    return _Table(COVER_SHEET, COVER_HEADERS, rows)


def _tables(snapshot: ExportSnapshot, facts: CoverFacts) -> list[_Table]:
    counts = Counter(e.control_ref for e in snapshot.evidence)
    registers = [_Table(name, headers, rows) for name, headers, rows in register_tables(snapshot.registers)]
    if snapshot.options.include_readiness:
        return [_cover(snapshot, facts), _controls(snapshot, counts), _coverage(snapshot, counts),
                _evidence(snapshot), _requests(snapshot), *registers, _gaps(snapshot, counts)]
    return [_cover(snapshot, facts), _controls(snapshot, counts), _evidence(snapshot), _requests(snapshot),
            *registers]


def workbook_steps(snapshot: ExportSnapshot) -> int:
    """Return how many progress units write_workbook advances for this snapshot (for a caller's Steps total)."""
    rows = len(snapshot.controls) * 3 + len(snapshot.criteria) * 2 + len(snapshot.evidence) + len(snapshot.requests)
    rows += sum(len(t.values) for t in snapshot.registers.tables) * 2
    return rows // ROWS_PER_STEP + 8 + 3 * len(snapshot.registers.tables)


def _properties(facts: CoverFacts) -> BookProperties:
    return BookProperties(title=facts.title(TITLE), company=facts.organization,
                          subject=f"{facts.report}, {facts.system}, {facts.period}",
                          keywords=f"SOC 2, {MARKING.lower()}, manifest SHA-256 {facts.manifest}")


def _write(snapshot: ExportSnapshot, facts: CoverFacts, path: Path,
           steps: Steps) -> tuple[dict[str, int], list[TextNotice]]:
    tables = _tables(snapshot, facts)
    steps.advance()
    workbook = Workbook(write_only=True)
    notices: list[TextNotice] = []
    styles: SheetStyles | None = None
    long_texts = LongTexts(t.name for t in tables)
    try:
        for table in tables:
            sheet = workbook.create_sheet(table.name)
            styles = styles or SheetStyles(sheet)
            set_table_layout(sheet, table.headers, table.rows)
            writer = SheetWriter(sheet, styles, notices, long_texts)
            writer.header(table.headers)
            for index, row in enumerate(table.rows, start=1):
                writer.append(row)
                if index % ROWS_PER_STEP == 0:
                    steps.advance()
            steps.advance()
        long_texts.write(workbook, styles, notices)
        steps.advance()
        save_workbook(workbook, path, _properties(facts))
    except BaseException:
        discard_workbook(workbook)
        raise
    sheets = {t.name: len(t.rows) for t in tables}
    if long_texts.rows:
        sheets[long_texts.name] = long_texts.rows
    return sheets, notices


def write_workbook(snapshot: ExportSnapshot, path: Path, steps: Steps,
                   facts: CoverFacts | None = None) -> list[TextNotice]:
    """Write the workbook to path (the zip binder puts the same workbook inside); return the text notices."""
    return _write(snapshot, facts or cover_facts(snapshot), path, steps)[1]


def export_xlsx(project: OpenProject, destination: Path | str, options: ExportOptions | None = None,
                progress: Progress | None = None, today: date | None = None) -> XlsxResult:
    """Export the workbook for the CPA firm; a cancelled or failed export leaves no file behind."""
    destination = Path(destination)
    snapshot = take_snapshot(project, options, today)
    steps = Steps(destination, workbook_steps(snapshot), progress)
    with atomic_output(destination) as temporary:
        sheets, notices = _write(snapshot, cover_facts(snapshot), temporary, steps)
    return XlsxResult(destination, sheets, notices)
