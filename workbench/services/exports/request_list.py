"""The auditor's request list sent back in the auditor's own columns, with our status, owner and evidence filled in."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.domain.entities import Evidence, Request
from workbench.domain.import_values import cell_text
from workbench.services.exports.output import Progress, Steps, atomic_output
from workbench.services.importers.engine import CREATE, UNCHANGED, UPDATE
from workbench.services.importers.mapping import normalize_header
from workbench.services.importers.table import Table, blank
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

if TYPE_CHECKING:
    from workbench.services.exports.cells import TextNotice
    from workbench.services.importers.requests import RequestImportPlan

LAYOUT_KEY = "export.request_list.layout"
LAYOUT_VERSION = 1
WORKBENCH_STATUS = "Workbench status"
EVIDENCE_PROVIDED = "Evidence provided"
SHA_PREFIX = 12
ROWS_PER_STEP = 50
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


@dataclass(frozen=True)
class RequestLayout:
    """How the auditor's request list was laid out when it was imported, and its rows' own columns."""

    source: str
    sheet: str
    headers: list[str]  # the header row's texts, in the auditor's order
    mapping: dict[str, int]  # request field -> column index
    rows: list[tuple[int, str, dict[int, Any]]]  # (request id, ref, {unmapped column: original value}), import order


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):
        return {"datetime": value.replace(tzinfo=None).isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"seconds": value.total_seconds()}
    return cell_text(value)


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    if "date" in value:
        return date.fromisoformat(value["date"])
    if "time" in value:
        return time.fromisoformat(value["time"])
    if "seconds" in value:
        return timedelta(seconds=value["seconds"])
    return None


def remember_request_layout(uow: UnitOfWork, source: str, table: Table, plan: RequestImportPlan) -> None:
    """Record the imported list's layout and its rows' unmapped cells, inside the import's unit of work."""
    width = len(table.headers)
    raw_header = table.rows[table.header_row - 1] if table.header_row - 1 < len(table.rows) else []
    headers = ["" if i >= len(raw_header) or blank(raw_header[i]) else cell_text(raw_header[i]).strip()
               for i in range(width)]
    mapped = set(plan.mapping.values())
    ids = {r.ref: r.id for r in uow.requests.list()}
    rows: list[list[Any]] = []
    for row_plan in plan.rows:
        if row_plan.action not in (CREATE, UPDATE, UNCHANGED) or row_plan.fields is None:
            continue
        ref = row_plan.fields.ref
        cells = table.rows[row_plan.row - 1]
        own = {str(i): _encode(cells[i]) for i in range(min(width, len(cells))) if i not in mapped
               and not blank(cells[i])}
        rows.append([ids.get(ref), ref, own])
    previous = _load(uow.meta.get(LAYOUT_KEY))
    if previous is not None and previous.headers == headers and previous.sheet == table.sheet:
        fresh = {ref for _, ref, _ in rows}
        kept = [[i, ref, {str(k): _encode(v) for k, v in own.items()}]
                for i, ref, own in previous.rows if ref not in fresh]
        rows = kept + rows
    document = {
        "version": LAYOUT_VERSION, "source": Path(source).name, "sheet": table.sheet, "headers": headers,
        "mapping": dict(plan.mapping), "rows": rows,
    }
    uow.meta.set(LAYOUT_KEY, json.dumps(document, ensure_ascii=False, separators=(",", ":")))


def _load(text: str | None) -> RequestLayout | None:
    if not text:
        return None
    try:
        data = json.loads(text)
        if data.get("version") != LAYOUT_VERSION:
            return None
        headers = [str(h) for h in data["headers"]]
        mapping = {str(k): int(v) for k, v in data["mapping"].items() if 0 <= int(v) < len(headers)}
        rows = [(int(i) if i is not None else -1, str(ref), {int(k): _decode(v) for k, v in own.items()})
                for i, ref, own in data["rows"]]
        return RequestLayout(str(data["source"]), str(data["sheet"]), headers, mapping, rows)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged record: fall back to our standard columns


def request_layout(project: OpenProject) -> RequestLayout | None:
    """Return the layout of the last imported request list, or None when none was imported."""
    with project.uow() as uow:
        return _load(uow.meta.get(LAYOUT_KEY))


def _evidence_text(request: Request, evidence: Mapping[int, Evidence]) -> str:
    return "\n".join(f"{evidence[i].filename} (SHA-256 {evidence[i].sha256[:SHA_PREFIX]}…)"
                     for i in request.evidence_ids if i in evidence)


def _field_value(name: str, request: Request, evidence: Mapping[int, Evidence]) -> object:
    if name == "criteria":
        return ", ".join(request.tsc_refs)
    if name == "control":
        return request.control_ref or ""
    if name == "due":
        return request.due
    if name == "status":
        return request.status.label
    if name == "evidence":
        return _evidence_text(request, evidence)
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


def _table(project: OpenProject) -> tuple[str, list[str], list[list[object]]]:
    with project.uow() as uow:
        layout = _load(uow.meta.get(LAYOUT_KEY))
        requests = uow.requests.list()
        evidence = {e.id: e for e in uow.evidence.list()}
    headers, columns = _plan_columns(layout)
    rows = [[_field_value(name, request, evidence) if name else own.get(index) for name, index in columns]
            for request, own in _ordered(requests, layout)]
    return (layout.sheet if layout else "Requests"), headers, rows


def _csv_value(value: object) -> str:
    from workbench.services.exports.cells import csv_safe

    if isinstance(value, str):
        return csv_safe(value)
    return cell_text(value)


def _write_csv(path: Path, headers: list[str], rows: list[list[object]], steps: Steps) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([_csv_value(h) for h in headers])
        for index, row in enumerate(rows, start=1):
            writer.writerow([_csv_value(v) for v in row])
            if index % ROWS_PER_STEP == 0:
                steps.advance()


def _write_xlsx(path: Path, sheet_name: str, headers: list[str], rows: list[list[object]], steps: Steps,
                notices: list[TextNotice]) -> None:
    # openpyxl is imported only when writing, so that importing a request list does not pay for it.
    from openpyxl import Workbook

    from workbench.services.exports.cells import (
        LongTexts,
        SheetStyles,
        SheetWriter,
        discard_workbook,
        set_table_layout,
    )

    workbook = Workbook(write_only=True)
    title = "".join("_" if ch in "\\/?*[]:" else ch for ch in sheet_name).strip("'")[:31].strip() or "Requests"
    try:
        sheet = workbook.create_sheet(title)
        set_table_layout(sheet, headers, rows)
        styles = SheetStyles(sheet)
        long_texts = LongTexts([title])
        writer = SheetWriter(sheet, styles, notices, long_texts)
        writer.header(headers)
        for index, row in enumerate(rows, start=1):
            writer.append(row)
            if index % ROWS_PER_STEP == 0:
                steps.advance()
        long_texts.write(workbook, styles, notices)
        workbook.save(path)
    except BaseException:
        discard_workbook(workbook)
        raise


def export_request_list(project: OpenProject, destination: Path | str, progress: Progress | None = None,
                        notices: list[TextNotice] | None = None) -> Path:
    """Write the request list in the auditor's columns (xlsx, or CSV for a .csv name); return the file written.

    Text an xlsx cell cannot hold as it is gets fitted and reported into `notices` when a list is given; text
    longer than a cell holds is kept whole on a "Long text" sheet, the cell showing its beginning.
    """
    destination = Path(destination)
    sheet_name, headers, rows = _table(project)
    steps = Steps(destination, len(rows) // ROWS_PER_STEP + 1, progress)
    with atomic_output(destination) as temporary:
        if destination.suffix.lower() == ".csv":
            _write_csv(temporary, headers, rows, steps)
        else:
            _write_xlsx(temporary, sheet_name, headers, rows, steps, notices if notices is not None else [])
        steps.advance()
    return destination
