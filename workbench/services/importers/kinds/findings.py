"""A security tool's report (kind `findings`) as a RegisterSpec: the kind reads its own files (spec.reader).

The report is read by services/importers/findings (its format known by content), one row per finding; the run (tool,
version, scope, the time its data reflects, the file's SHA-256) rides on the table. An import adds one tool run with
its findings and keeps the report's bytes in the evidence store; with --control the run is filed as evidence of that
control at the date its data reflects. Undo removes the run (and that evidence record).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.domain.errors import WorkbenchError
from workbench.domain.findings import Finding, FindingStatus, ToolRun, criteria_of
from workbench.services.changes import Touched
from workbench.services.importers.readers import Cell
from workbench.services.importers.spec import CREATE, Detail, Field, FieldType, Loaded, RegisterSpec, wizard_texts
from workbench.services.importers.table import Table
from workbench.services.tool_run_files import add_run

if TYPE_CHECKING:  # the kinds load without the storage layer, so that a file can be read while it loads
    from workbench.domain.tool_runs import StoredRun
    from workbench.store import UnitOfWork

TEXT = FieldType.TEXT
HEAD_ROWS = 200  # findings read before the import starts (the column samples' rows)
BATCH = 1_000  # findings read on at a time
_NAMES = ("row", "check_id", "check_title", "resource", "status", "severity", "criteria", "service", "region",
          "detail")
_LABELS = ("Row", "Check ID", "Check title", "Resource", "Status", "Severity", "Criteria", "Service", "Region",
           "Detail")
_SHORT = frozenset({"row", "check_id", "status", "severity", "service", "region"})
FIELDS = tuple(Field(name, TEXT, label, (label.lower(),), required=name in ("row", "check_id"),
                     what=f"the finding's {label.lower()}", brief=name in _SHORT)
               for name, label in zip(_NAMES, _LABELS, strict=True))


@dataclass(frozen=True, slots=True)
class ReportTable(Table):
    """A tool report's findings as a table, with the run they belong to."""

    run: ToolRun | None = None
    undated: bool = False  # the report carries no time: the run is dated by the file's modification time


@dataclass(frozen=True, slots=True)
class Kept:
    """What an applied findings import added: the run, and the evidence record it filed (None without --control)."""

    run_id: int
    evidence_id: int | None
    already: bool = False  # the run was in the project before (the same report imported again): nothing written


def _cells(finding: Finding) -> list[Cell]:
    return [str(finding.row), finding.check_id, finding.check_title, finding.resource, finding.status.value,
            finding.severity, " ".join(finding.criteria), finding.service, finding.region, finding.detail]


def _batches(findings: Iterator[Finding]) -> Iterator[list[list[Cell]]]:
    """Yield the findings still to read as rows of cells, BATCH at a time."""
    while batch := [_cells(finding) for finding in islice(findings, BATCH)]:
        yield batch


def read_findings(source: Path) -> ReportTable:
    """Return a tool report's findings as the engine's table (its format found by content); raise WorkbenchError.

    The table holds the first HEAD_ROWS findings (what the column samples look at); its `more` reads the others as
    they are imported, so a streamed import holds a window of findings at a time, never the whole report.
    """
    from workbench.services.importers.findings import read_report

    report = read_report(source)
    head = [_cells(finding) for finding in islice(report.findings, HEAD_ROWS)]  # none for a clean scan: still a run
    more = _batches(report.findings)
    if report.document:
        return ReportTable("", 0, list(_LABELS), head, document=True, more=more, run=report.run,
                           undated=report.undated)
    return ReportTable(source.stem, 1, list(_LABELS), [list(_LABELS), *head], more=more, run=report.run,
                       undated=report.undated)


def _stated_day(plan: Any) -> date | None:
    """Return the day --generated-at states, None when it is not given; raise WorkbenchError when it is no date."""
    text = (dict(plan.options.details).get("generated_at") or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise WorkbenchError(plan.source, f"--generated-at {text!r} is not a date (YYYY-MM-DD)") from None


def _run(plan: Any) -> ToolRun:
    """Return the run read, dated by --generated-at when the report carries no time of its own."""
    run = getattr(plan.table, "run", None)
    if run is None:
        raise WorkbenchError(plan.source, "was not read as a tool's report")
    day = _stated_day(plan)
    if day is None:
        return run
    if getattr(plan.table, "undated", False):
        return replace(run, reflects_at=datetime.combine(day, time(), UTC))
    if run.reflects_at.date() != day:
        raise WorkbenchError(plan.source, f"the report states its own time, {_shown(run.reflects_at)}, and "
                                          f"--generated-at {day.isoformat()} contradicts it; leave --generated-at out")
    return run


def _shown(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _dating(plan: Any, run: ToolRun) -> tuple[str, list[dict[str, Any]]]:
    """Return where the run's time comes from (report, option or file) and the warning a file's time calls for."""
    if not getattr(plan.table, "undated", False):
        return "report", []
    if _stated_day(plan) is not None:
        return "option", []
    message = (f"{Path(plan.source).name} carries no scan or report time, so its data is dated "
               f"{_shown(run.reflects_at)}, the file's modification time (a copy or a download changes it); give "
               "--generated-at YYYY-MM-DD to state the day the scan ran")
    return "file", [{"row": 0, "level": "warning", "field": "", "message": message}]


def _control_ref(plan: Any) -> str:
    return (dict(plan.options.details).get("control") or "").strip()


def same_run(uow: UnitOfWork, run: ToolRun, control: str | None) -> StoredRun | None:
    """Return the project's run of this very report (same SHA-256 and scope, filed under the same control), else
    None: importing it again adds nothing, as a re-import of any other kind changes nothing."""
    for stored in uow.findings.runs():
        if stored.run.sha256 == run.sha256 and stored.run.scope == run.scope and \
                (stored.control_ref or "") == (control or ""):
            return stored
    return None


def control_of(uow: UnitOfWork, source: str, ref: str) -> str:
    """Return the project's control of this reference; raise WorkbenchError naming it when there is none."""
    control = uow.controls.get(ref.strip())
    if control is None:
        raise WorkbenchError(source, f"--control {ref!r} is not a control of this project")
    return control.ref


class RunWriter:
    """A streamed import's records adapter bound to its plan: the run is added first, its findings batch by batch."""

    def __init__(self, uow: UnitOfWork, plan: Any) -> None:
        ref = _control_ref(plan)
        control = control_of(uow, plan.source, ref) if ref else None
        held = same_run(uow, _run(plan), control)
        self.kept = Kept(*add_run(uow, Path(plan.source), _run(plan), (), control)) if held is None else \
            Kept(held.id, held.evidence_id, already=True)
        self.count = 0

    def write(self, uow: UnitOfWork, creates: Sequence[Finding], updates: Sequence[tuple[Any, Any]]) -> None:
        """Add a batch of the run's findings after those written already (none to a run held already)."""
        if not self.kept.already:
            self.count += uow.findings.add_findings(self.kept.run_id, creates, self.count)

    def remember(self, uow: UnitOfWork, plan: Any) -> Kept:
        """Return the run added (and its evidence record): what undo removes."""
        return self.kept


class Tally:
    """A streamed dry run's records adapter bound to its plan: writes nothing, counts the findings by status and the
    criteria they name (what findings_summary reports), so the dry run's memory does not grow with the report."""

    def __init__(self, uow: UnitOfWork, plan: Any) -> None:
        ref = _control_ref(plan)
        held = same_run(uow, _run(plan), control_of(uow, plan.source, ref) if ref else None)
        self.already = None if held is None else held.id  # the run an import would find, adding nothing
        self.statuses: Counter[FindingStatus] = Counter()
        self.criteria: set[str] = set()

    def write(self, uow: UnitOfWork, creates: Sequence[Finding], updates: Sequence[tuple[Any, Any]]) -> None:
        """Count a batch of the findings the import would add."""
        self.statuses.update(finding.status for finding in creates)
        for finding in creates:
            self.criteria.update(finding.criteria)

    def remember(self, uow: UnitOfWork, plan: Any) -> Tally:
        """Return the counts: what the summary reports in place of a run."""
        return self


class FindingRecords:
    """Findings as the engine plans them: streamed, the run is added first and its findings written batch by batch
    (RunWriter); planned whole (a preview), the run is written with its findings when the import is kept."""

    streams = True  # see table_stream.streams

    def bound(self, uow: UnitOfWork, plan: Any) -> RunWriter:
        """Return the adapter a streamed import writes through: the run added, ready for its findings."""
        return RunWriter(uow, plan)

    def unwritten(self) -> UnwrittenFindings:
        """Return the records adapter a streamed dry run plans with (stream_preview.py): one that writes nothing."""
        return UnwrittenFindings()

    def load(self, uow: UnitOfWork) -> Loaded:
        """Return no existing records: every import adds a run."""
        return Loaded({})

    def build(self, values: Mapping[str, Any], key: str, current: Any, loaded: Loaded
              ) -> tuple[Finding, list[tuple[str, str]]]:
        """Return the finding a row holds."""
        text = {name: str(values.get(name) or "") for name in _NAMES}
        criteria = tuple(text["criteria"].split())
        return Finding(text["check_id"], text["check_title"], text["resource"], FindingStatus(text["status"]),
                       text["severity"], criteria, text["service"], text["region"], text["detail"],
                       int(key) if key.isdigit() else 0), []

    def criteria_count(self, record: Finding) -> int:
        """Return how many criteria a finding maps to (the result's criteria_links)."""
        return len(record.criteria)

    def same(self, current: Any, record: Any) -> bool:
        """Findings are never compared: each import is a run of its own."""
        return False

    def snapshot(self, current: Any) -> Any:
        """Nothing: undo removes the run (see forget)."""
        return None

    def values(self, record: Finding | tuple[StoredRun, Finding]) -> dict[str, Any]:
        """Return a finding's fields; a listed one also names its run and tool."""
        if isinstance(record, tuple):
            stored, finding = record
            return {"run": stored.id, "tool": stored.run.tool, **self.values(finding)}
        return {"row": record.row, "check_id": record.check_id, "check_title": record.check_title,
                "resource": record.resource, "status": record.status.value, "severity": record.severity,
                "criteria": record.criteria, "service": record.service, "region": record.region,
                "detail": record.detail}

    def write(self, uow: UnitOfWork, creates: Sequence[Any], updates: Sequence[tuple[Any, Any]]) -> None:
        """Nothing per batch: the run is written whole in remember()."""

    def revert(self, uow: UnitOfWork, source: str, created: Sequence[str], restored: Sequence[Any]) -> None:
        """Nothing per finding: forget() removes the run."""

    def listing(self, uow: UnitOfWork) -> list[tuple[StoredRun, Finding]]:
        """Return the findings of every run, run by run."""
        return [(stored, finding) for stored in uow.findings.runs() for finding in uow.findings.findings(stored.id)]

    def remember(self, uow: UnitOfWork, plan: Any) -> Kept:
        """Add the run with its planned findings, keep the report's bytes, file it under --control; return them."""
        run = _run(plan)
        ref = _control_ref(plan)
        control = control_of(uow, plan.source, ref) if ref else None
        held = same_run(uow, run, control)
        if held is not None:
            return Kept(held.id, held.evidence_id, already=True)
        findings = (r.record for r in plan.rows if r.action == CREATE and r.record is not None)
        run_id, evidence_id = add_run(uow, Path(plan.source), run, findings, control)
        return Kept(run_id, evidence_id)

    def forget(self, uow: UnitOfWork, kept: Kept) -> None:
        """Remove the imported run and the evidence record it filed (nothing when the run was there before)."""
        if kept.already:
            return
        uow.findings.remove_run(kept.run_id)
        if kept.evidence_id is not None:
            uow.evidence.remove(kept.evidence_id)


class UnwrittenFindings(FindingRecords):
    """Findings as a streamed dry run plans them: bound to a Tally, so nothing is added or kept."""

    def bound(self, uow: UnitOfWork, plan: Any) -> Tally:  # type: ignore[override]
        """Return the adapter a streamed dry run "writes" through: it only counts."""
        return Tally(uow, plan)


def findings_summary(uow: UnitOfWork, plan: Any, kept: Kept | Tally | None) -> dict[str, Any]:
    """Return what a findings import adds to the report: the tool, the format, counts by status, the criteria."""
    run = _run(plan)
    ref = _control_ref(plan)
    records = [r.record for r in plan.rows if r.action == CREATE and r.record is not None]
    links: dict[str, int] = {}
    if isinstance(kept, Tally):  # a streamed dry run: counted as planned, nothing in the project
        counts = {status: kept.statuses[status] for status in FindingStatus}
        criteria = kept.criteria
    elif kept is None or records:  # planned whole (a preview, the wizard): the plan holds every finding
        counts = {status: sum(1 for f in records if f.status is status) for status in FindingStatus}
        criteria = {ref for f in records for ref in f.criteria}
        links["criteria_links"] = sum(len(f.criteria) for f in records)  # the plan counts criteria fields: none
    else:  # streamed, the plan holds none: counted in the project (the writer counted the links: criteria_count)
        stored = uow.findings.get(kept.run_id)
        counts = dict(zip(FindingStatus, (stored.passed, stored.failed, stored.manual, stored.muted), strict=True))
        criteria = {ref for refs, _status in uow.findings.statuses([kept.run_id]) for ref in refs}
    control = control_of(uow, plan.source, ref) if ref else None
    dated_by, warning = _dating(plan, run)
    problems = [{"row": p.row, "level": p.level, "field": p.field, "message": p.message} for p in plan.problems]
    summary = {"tool": run.tool, "tool_version": run.version, "format": run.format, "scope": run.scope,
               "reflects_at": run.reflects_at.isoformat(timespec="seconds"), "reflects_from": dated_by,
               "problems": warning + problems, "sha256": run.sha256,
               "passed": counts[FindingStatus.PASS], "failed": counts[FindingStatus.FAIL],
               "manual": counts[FindingStatus.MANUAL], "muted": counts[FindingStatus.MUTED],
               "criteria": list(criteria_of(sorted(criteria))), "control": control,
               "run": kept.run_id if isinstance(kept, Kept) else None, "already_run": None, **links}
    return summary | _already(uow, run, control, kept, sum(counts.values()))


def _already(uow: UnitOfWork, run: ToolRun, control: str | None, kept: Kept | Tally | None, count: int
             ) -> dict[str, Any]:
    """Return what a report the project holds already changes in the result: its findings are unchanged, none
    created, and the run is the one imported before (empty for a report new to the project)."""
    if isinstance(kept, Kept):
        held = kept.run_id if kept.already else None
    elif isinstance(kept, Tally):
        held = kept.already
    else:
        stored = same_run(uow, run, control)
        held = None if stored is None else stored.id
    if held is None:
        return {}
    kept_at = uow.findings.get(held).run.reflects_at  # the run as imported before, not as dated this time
    return {"created": 0, "unchanged": count, "run": held, "already_run": held, "criteria_links": 0,
            "reflects_at": kept_at.isoformat(timespec="seconds")}


FINDINGS = RegisterSpec(
    kind="findings", singular="finding", title="Import a tool's findings", fields=FIELDS, key="row",
    label="check_id", natural_key=("check_id", "resource"), id_prefix="F-", missing_label="has no check",
    records=FindingRecords(),
    sheet_hint=re.compile(r"(findings|prowler|trivy|security ?hub|steampipe|powerpipe|scan)", re.IGNORECASE),
    reader=read_findings,
    pick_order=(*_NAMES[1:], "row"),  # the fixed headers: the check takes its own column before the row's key
    preview=("resource", "status", "severity"),
    details=(Detail("control", "the control the tool run evidences"),
             Detail("generated_at", "the day the scan ran, YYYY-MM-DD, for a report that carries no time")),
    touches=Touched.FINDINGS | Touched.EVIDENCE,
    summary=findings_summary,
    texts=wizard_texts("findings",
                       "A security tool's report: Prowler (CSV, OCSF JSON, ASFF), AWS Security Hub (ASFF), the AWS "
                       "IAM credential report, Steampipe or Powerpipe benchmark results, or Trivy JSON. The format "
                       "is recognised by content; the report is kept as evidence with the date its data reflects.",
                       "Each finding's check, resource and status are read from the report as the tool wrote them."),
)
