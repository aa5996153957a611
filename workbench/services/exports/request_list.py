"""The auditor's request list sent back in the auditor's own columns, with our status, owner and evidence filled in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.domain.entities import Evidence, Request
from workbench.domain.period import Period, in_period, project_period
from workbench.services.exports.chain_head import ChainHead, chain_head_of
from workbench.services.exports.output import Progress
from workbench.services.exports.period_marks import OUT_OF_PERIOD
from workbench.services.exports.table_file import write_table_file
from workbench.services.importers.mapping import normalize_header
from workbench.services.request_layout import LAYOUT_KEY, RequestLayout, load_layout, request_layout
from workbench.services.session import OpenProject

if TYPE_CHECKING:
    from workbench.services.exports.cells import TextNotice

__all__ = ["EVIDENCE_PROVIDED", "WORKBENCH_STATUS", "export_request_list", "request_layout"]

WORKBENCH_STATUS = "Workbench status"
EVIDENCE_PROVIDED = "Evidence provided"
SHA_PREFIX = 12
# Our own columns, used when no request list was ever imported; each maps back through the request importer.
STANDARD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("ref", "Ref"), ("item", "Item"), ("description", "Description"), ("criteria", "Criteria"),
    ("control", "Control"), ("owner", "Owner"), ("due", "Due date"), ("status", "Status"),
    ("auditor_status", "Auditor status"), ("priority", "Priority"), ("evidence", EVIDENCE_PROVIDED),
)
# Headers of an auditor's column meant for the evidence the client provides (filled with ours on export).
_EVIDENCE_HEADERS = frozenset(normalize_header(h) for h in (
    "evidence provided", "provided evidence", "evidence", "evidence links", "linked evidence", "evidence link",
    "evidence submitted", "submitted evidence", "evidence files", "evidence file", "evidence reference",
    "evidence references", "evidence ref", "attachments", "attachment", "files provided", "documents provided",
    "client evidence", "evidence location", "file name", "file names", "filename",
))


class EvidenceProvided:
    """Writes a request's "Evidence provided" cell: the evidence linked to the request itself, then its control's.

    One line per file: its name and the start of its SHA-256, "control REF:" before a file that is evidence of the
    request's control, and OUT OF PERIOD after one reflecting days outside the audit period.
    """

    def __init__(self, evidence: Sequence[Evidence], period: Period | None) -> None:
        self.by_id = {e.id: e for e in evidence}
        self.by_control: dict[str, list[Evidence]] = defaultdict(list)
        for item in evidence:
            self.by_control[item.control_ref].append(item)
        self.period = period

    def _line(self, item: Evidence, control_ref: str | None) -> str:
        text = f"{item.filename} (SHA-256 {item.sha256[:SHA_PREFIX]}…)"
        if control_ref is not None:
            text = f"control {control_ref}: {text}"
        if self.period is not None and in_period(self.period, item.period_start, item.period_end,
                                                 item.collected_on) is False:
            text += f" {OUT_OF_PERIOD}"
        return text

    def text(self, request: Request) -> str:
        """Return the cell's text for a request ("" when nothing was handed over)."""
        own = [self.by_id[i] for i in request.evidence_ids if i in self.by_id]
        lines = [self._line(item, None) for item in own]
        if request.control_ref:
            listed = {item.id for item in own}
            lines += [self._line(item, request.control_ref) for item in self.by_control.get(request.control_ref, ())
                      if item.id not in listed]
        return "\n".join(lines)


def _field_value(name: str, request: Request, evidence: EvidenceProvided) -> object:
    if name == "criteria":
        return ", ".join(request.tsc_refs)
    if name == "control":
        return request.control_ref or ""
    if name == "due":
        return request.due
    if name == "status":
        return request.status.label
    if name == "evidence":
        return evidence.text(request)
    return getattr(request, name)


def _plan_columns(layout: RequestLayout | None) -> tuple[list[str], list[tuple[str, int | None]]]:
    """Return the headers and, per column, (field or "" for the auditor's own column, that column's index)."""
    if layout is None:
        return [title for _, title in STANDARD_COLUMNS], [(name, None) for name, _ in STANDARD_COLUMNS]
    by_index = {index: name for name, index in layout.mapping.items()}
    headers = list(layout.headers)
    columns: list[tuple[str, int | None]] = []
    has_evidence = False
    for index, header in enumerate(headers):
        if index in by_index:
            columns.append((by_index[index], index))
        elif not has_evidence and normalize_header(header) in _EVIDENCE_HEADERS:
            columns.append(("evidence", index))
            has_evidence = True
        else:
            columns.append(("", index))
    if "status" not in layout.mapping:
        headers.append(WORKBENCH_STATUS)
        columns.append(("status", None))
    if not has_evidence:
        headers.append(EVIDENCE_PROVIDED)
        columns.append(("evidence", None))
    return headers, columns


def _ordered(requests: Sequence[Request], layout: RequestLayout | None) -> list[tuple[Request, dict[int, Any]]]:
    """Return the requests in the order of import (then any added since), each with its row's own cells."""
    if layout is None:
        return [(r, {}) for r in requests]
    by_id = {r.id: r for r in requests}
    by_ref = {r.ref: r for r in requests}
    placed: set[int] = set()
    ordered: list[tuple[Request, dict[int, Any]]] = []
    for request_id, ref, own in layout.rows:
        request = by_id.get(request_id) or by_ref.get(ref)
        if request is None or request.id in placed:
            continue
        placed.add(request.id)
        ordered.append((request, own))
    ordered.extend((r, {}) for r in requests if r.id not in placed)
    return ordered


def _table(project: OpenProject) -> tuple[str, list[str], list[list[object]], ChainHead]:
    with project.uow() as uow:
        layout = load_layout(uow.meta.get(LAYOUT_KEY))
        requests = uow.requests.list()
        evidence = EvidenceProvided(uow.evidence.list(), project_period(uow.settings.get()))
        chain = chain_head_of(uow)
    headers, columns = _plan_columns(layout)
    rows = [[_field_value(name, request, evidence) if name else own.get(index) for name, index in columns]
            for request, own in _ordered(requests, layout)]
    return (layout.sheet if layout else "Requests"), headers, rows, chain


def export_request_list(project: OpenProject, destination: Path | str, progress: Progress | None = None,
                        notices: list[TextNotice] | None = None) -> Path:
    """Write the request list in the auditor's columns (xlsx, or CSV for a .csv name); return the file written.

    Text an xlsx cell cannot hold as it is gets fitted and reported into `notices` when a list is given; text
    longer than a cell holds is kept whole on a "Long text" sheet, the cell showing its beginning. An xlsx names
    the audit-trail chain head on an "About" sheet and in its properties; a CSV stays the bare table.
    """
    sheet_name, headers, rows, chain = _table(project)
    return write_table_file(destination, sheet_name, headers, rows, progress, notices, chain)
