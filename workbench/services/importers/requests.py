"""Importing the auditor's request list (PBC) with the control-register engine's readers, table finder and mapping."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from workbench.domain.criteria_cells import parse_criteria_cell
from workbench.domain.entities import Request
from workbench.domain.enums import RequestStatus
from workbench.domain.errors import NotFoundError, WorkbenchError
from workbench.domain.import_values import cell_text, parse_date
from workbench.services.exports.request_list import remember_request_layout
from workbench.services.importers.engine import (
    CREATE,
    KEEP,
    PROGRESS_EVERY,
    UNCHANGED,
    UPDATE,
    ImportCancelled,
    KeyIndex,
    Problem,
    Progress,
    RowKinds,
    TablePlan,
    field_text,
    sort_rows,
    stored_key,
)
from workbench.services.importers.mapping import (
    META_PREFIX,
    THRESHOLD,
    control_only_score,
    criteria_share,
    decode_mapping,
    encode_mapping,
    foreign_headers,
    header_list,
    key_rank,
    layout_key,
    missing_column,
    normalize_header,
    own_id_score,
)
from workbench.services.importers.readers import Cell, Workbook, open_workbook
from workbench.services.importers.table import (
    HEADER_SEARCH_ROWS,
    Table,
    blank,
    filled_count,
    find_table,
    samples,
    table_at,
)
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

REQUEST_FIELDS: tuple[str, ...] = (
    "ref", "item", "description", "criteria", "control", "owner", "due", "status", "auditor_status", "priority",
)
# The order in which fields pick their column: identifiers and the narrow, telling columns first, prose last.
_PICK_ORDER = ("ref", "control", "criteria", "auditor_status", "status", "due", "owner", "priority", "item",
               "description")
REQUEST_META_PREFIX = "import.requests.mapping."
# Other names a user may give a field in --map.
_FIELD_ALIASES = {
    "id": "ref", "request": "item", "tsc": "criteria", "tsc_refs": "criteria", "control_ref": "control",
    "due_date": "due", "internal_status": "status", "auditor-status": "auditor_status",
}

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "ref": (
        "request id", "request #", "request no", "request number", "request ref", "request reference", "req #",
        "req id", "req no", "req ref", "pbc #", "pbc id", "pbc no", "pbc number", "pbc ref", "pbc reference",
        "irl #", "irl id", "rfi #", "rfi id", "item #", "item id", "item no", "item number", "id", "#", "no",
        "number", "ref", "ref #", "reference", "ref id", "request key", "key", "reference #", "reference no",
        "reference number", "ref no", "ref number", "request reference #", "pbc reference #",
    ),
    "item": (
        "request", "item", "request description", "evidence requested", "requested evidence", "request item",
        "requested item", "item requested", "items requested", "evidence request", "request details",
        "request detail", "document requested", "documents requested", "information requested", "request text",
        "auditor request", "pbc item", "pbc request", "pbc description", "requested", "request name",
        "request title", "evidence description", "description of request", "requested information",
        "artifact", "artefact", "artifacts", "artefacts", "documentation artifact", "documentation artefact",
        "requested artifact", "requested artefact", "requested artifacts", "requested artefacts", "artifact name",
        "artefact name", "evidence artifact", "evidence artefact", "evidence item", "deliverable", "document",
        "documents", "requested documents", "evidence",
    ),
    "description": (
        "description", "details", "additional details", "detailed description", "guidance", "auditor guidance",
        "request guidance", "explanation", "instructions", "clarification", "artifact description",
        "artefact description",
    ),
    "criteria": (
        "tsc reference", "tsc references", "tsc ref", "tsc refs", "tsc", "criteria", "criterion", "soc 2 ref",
        "soc 2 ref #", "soc 2 reference", "soc 2 refs", "soc 2 criteria", "soc2 criteria", "soc 2", "soc2",
        "trust services criteria", "trust service criteria", "tsc mapping", "tsc id", "criteria reference",
        "criteria id", "soc 2 mapping", "related criteria", "tsc criteria", "aicpa tsc", "common criteria",
    ),
    "control": (
        "related control", "related controls", "control id", "control ids", "control", "controls", "control ref",
        "control reference", "control #", "control no", "control number", "mapped control", "mapped controls",
        "linked control", "linked controls", "control mapping", "ctrl #", "ctrl id", "ctrl ref",
    ),
    "owner": (
        "owner", "assignee", "responsible", "assigned to", "responsible party", "request owner", "internal owner",
        "owner name", "point of contact", "poc", "responsible person", "evidence owner", "client owner",
        "control owner", "accountable", "responsibility", "assigned",
    ),
    "due": (
        "due date", "due", "due by", "date due", "deadline", "target date", "needed by", "requested by date",
        "requested due date", "due on", "target due date", "submission deadline",
    ),
    "status": (
        "status", "internal status", "request status", "our status", "client status", "company status",
        "management status", "state", "progress", "submission status",
    ),
    "auditor_status": (
        "auditor status", "auditor review status", "audit status", "auditor review", "review status",
        "auditor acceptance", "auditor response", "auditor feedback", "cpa status", "auditor state",
        "auditor disposition", "acceptance status",
    ),
    "priority": ("priority", "prio", "importance", "urgency", "criticality", "priority level", "severity"),
}
# Synonyms that name a field only when they are the whole header ("Request" is the item; "Request ID" is not).
_GENERIC = frozenset({"id", "#", "no", "number", "ref", "key", "item", "request", "requested", "control",
                      "controls", "state", "progress", "context", "assigned", "notes", "comments", "soc 2", "soc2",
                      "tsc", "reference", "evidence", "document", "documents", "artifact", "artefact"})
# Notes and comments hold remarks about a request: a description only when no real one is there, never the item.
_NOTES = frozenset({"notes", "note", "comments", "comment", "remarks", "auditor notes", "auditor comments",
                    "additional information", "context", "observations", "internal notes", "client comments"})
NOTES_SCORE = 0.65
# Words that rule a header out for a field ("Control ID" is not the request's ID, "Auditor Status" not ours).
_VETO: dict[str, frozenset[str]] = {
    "ref": frozenset({"control", "controls", "ctrl", "evidence", "tsc", "criteria", "soc", "date", "ticket"}),
    "item": frozenset({"id", "#", "no", "number", "ref", "date", "status", "owner", "control", "controls"}),
    "description": frozenset({"id", "#", "no", "number", "ref", "date", "status", "control", "controls"}),
    "control": frozenset({"description", "owner", "objective", "activity", "title", "frequency", "status"}),
    "status": frozenset({"auditor", "audit", "review", "cpa", "overdue"}),
    "due": frozenset({"overdue"}),
}
_SIDE_SHEET = re.compile(
    r"\b(cover|dashboard|instructions?|read ?me|about|guide|lookups?|dropdowns?|picklists?|legend|change ?log|"
    r"record of changes|revisions?|version|history|overview|contents|toc|charts?|stats|statistics|settings|config|"
    r"validation)\b",
    re.IGNORECASE,
)
_REQUEST_SHEET = re.compile(r"(pbc|request|evidence|provided|tracker|irl|rfi)", re.IGNORECASE)
_CONTROL_SHEET = re.compile(r"(control|register|matrix|library|catalog|mapping)", re.IGNORECASE)
_CONTROL_SPLIT = re.compile(r"[,;|\n]+")

_STATUS_EXACT: dict[str, RequestStatus] = {
    **dict.fromkeys(("open", "not started", "in progress", "new", "to do", "todo", "pending", "outstanding",
                     "requested", "not provided", "not submitted", "wip", "work in progress", "started",
                     "awaiting", "planned", "not yet started", "assigned"), RequestStatus.OPEN),
    **dict.fromkeys(("submitted", "provided", "uploaded", "sent", "delivered", "received", "ready for review",
                     "under review", "in review", "awaiting review", "pending review", "shared"),
                    RequestStatus.SUBMITTED),
    **dict.fromkeys(("accepted", "closed", "complete", "completed", "done", "approved", "cleared", "satisfied",
                     "resolved", "finished"), RequestStatus.ACCEPTED),
    **dict.fromkeys(("follow up", "followup", "needs follow up", "needs followup", "follow up required",
                     "rejected", "needs more", "needs more info", "needs more information", "more info needed",
                     "more information needed", "additional info requested", "returned", "incomplete",
                     "insufficient", "reopened", "re opened", "needs clarification", "clarification needed",
                     "partially provided", "partial"), RequestStatus.NEEDS_FOLLOW_UP),
}
# For longer cells ("Submitted - awaiting auditor review"): the first group that holds a phrase wins.
_STATUS_PHRASES: tuple[tuple[RequestStatus, tuple[str, ...]], ...] = (
    (RequestStatus.NEEDS_FOLLOW_UP, ("follow up", "followup", "reject", "rejected", "needs more", "more info",
                                     "more information", "clarification", "insufficient", "incomplete",
                                     "returned", "reopened")),
    (RequestStatus.OPEN, ("not started", "not provided", "not submitted", "not yet")),
    (RequestStatus.ACCEPTED, ("accepted", "closed", "complete", "completed", "approved", "cleared")),
    (RequestStatus.SUBMITTED, ("submitted", "provided", "uploaded", "sent", "delivered", "received",
                               "under review", "in review")),
    (RequestStatus.OPEN, ("open", "in progress", "pending", "outstanding", "started", "to do", "wip")),
)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def parse_request_status(text: str) -> RequestStatus | None:
    """Return the request status a cell names (None when blank); raise ValueError when none matches."""
    words = _words(text)
    if not words:
        return None
    if words in _STATUS_EXACT:
        return _STATUS_EXACT[words]
    try:
        return RequestStatus(RequestStatus.parse(text))
    except ValueError:
        pass
    padded = f" {words} "
    for status, phrases in _STATUS_PHRASES:
        if any(f" {phrase} " in padded for phrase in phrases):
            return status
    raise ValueError(f"{text.strip()!r} is not a request status we know")


# -- column mapping ----------------------------------------------------------------------------------

_NORMALIZED = {name: tuple(normalize_header(s) for s in synonyms) for name, synonyms in _SYNONYMS.items()}


@lru_cache(maxsize=16384)
def request_field_score(name: str, header: str) -> float:
    """Return how strongly a normalized header names a request field, 0..1."""
    if not header or len(header) > 80:
        return 0.0
    words = header.split()
    if _VETO.get(name, frozenset()) & set(words):
        return 0.0
    if header in _NOTES:
        return NOTES_SCORE if name == "description" else 0.0
    best = own_id_score(header) if name == "ref" else 0.0
    padded = f" {header} "
    for synonym in _NORMALIZED[name]:
        if header == synonym:
            return 1.0
        if synonym in _GENERIC:
            continue
        if f" {synonym} " in padded:
            best = max(best, 0.5 + 0.4 * len(synonym.split()) / len(words))
        elif len(words) <= 5 and len(header) > 3 and len(synonym) > 3 and \
                0.8 * len(header) <= len(synonym) <= 1.25 * len(header):
            ratio = SequenceMatcher(None, header, synonym).ratio()
            if ratio >= 0.9:
                best = max(best, 0.8 * ratio)
    return best


def _best_request_field(header: str) -> float:
    return max(request_field_score(name, header) for name in REQUEST_FIELDS)


def guess_request_mapping(headers: Sequence[str], columns: Sequence[Sequence[object]]) -> dict[str, int]:
    """Return {field: column index} guessed from the headers and a sample of each column's values."""
    normalized = [normalize_header(h) for h in headers]
    scores = {name: [request_field_score(name, h) for h in normalized] for name in REQUEST_FIELDS}
    for index in range(len(headers)):
        column = columns[index] if index < len(columns) else ()
        hits, filled = criteria_share(column)
        if filled >= 2 and hits / filled >= 0.5 and scores["criteria"][index] > 0:
            scores["criteria"][index] = min(1.0, scores["criteria"][index] + 0.3)
        elif filled >= 3 and hits == 0:
            scores["criteria"][index] *= 0.3
        texts = [cell_text(v) for v in column if not blank(v)]
        if texts and sum(len(t) for t in texts) / len(texts) > 30:
            for name in ("ref", "control", "status", "auditor_status", "due", "priority"):
                scores[name][index] *= 0.6  # identifiers, dates and choices are short; long text is prose
    chosen: dict[str, int] = {}
    used: set[int] = set()

    def pick(name: str) -> None:
        candidates = [
            (key_rank(score, columns[i] if i < len(columns) else ()) if name == "ref" else score, -i)
            for i, score in enumerate(scores[name]) if i not in used and score >= THRESHOLD
        ]
        if candidates:
            _, negative = max(candidates)
            chosen[name] = -negative
            used.add(-negative)

    for name in _PICK_ORDER:
        pick(name)
    if "item" not in chosen and "description" in chosen:
        # The best description says what is requested; a notes column does so only when nothing else could.
        chosen["item"] = chosen.pop("description")
        pick("description")
    return chosen


def _field_name(text: str) -> str | None:
    key = text.strip().lower().replace(" ", "_")
    key = _FIELD_ALIASES.get(key, key)
    return key if key in REQUEST_FIELDS else None


def apply_request_overrides(mapping: Mapping[str, int], headers: Sequence[str],
                            overrides: Sequence[tuple[str, str]], source: str) -> dict[str, int]:
    """Return the mapping with each (HEADER, FIELD) override applied; FIELD may be "none" to drop a column."""
    result = dict(mapping)
    normalized = [normalize_header(h) for h in headers]
    for header, wanted_field in overrides:
        matches = [i for i, h in enumerate(normalized) if h == normalize_header(header)]
        if not matches:
            raise WorkbenchError(source, f"no column is headed {header!r} (the headers are {header_list(headers)})")
        index = matches[0]
        for name, column in list(result.items()):
            if column == index:
                del result[name]
        if wanted_field.strip().lower() in ("none", "skip", "ignore", "-", ""):
            continue
        name = _field_name(wanted_field)
        if name is None:
            raise WorkbenchError(source, f"{wanted_field!r} is not a request field; use one of "
                                         f"{', '.join(REQUEST_FIELDS)}")
        result[name] = index
    return result


def request_layout_key(headers: Sequence[str]) -> str:
    """Return the meta-table key under which a request-list mapping for this header layout is remembered."""
    return REQUEST_META_PREFIX + layout_key(headers).removeprefix(META_PREFIX)


def decode_request_mapping(text: str | None, headers: Sequence[str]) -> dict[str, int] | None:
    """Return a remembered request-list mapping as column indexes, or None when it no longer fits."""
    return decode_mapping(text, headers, REQUEST_FIELDS)


# -- finding the table --------------------------------------------------------------------------------

def _header_score(rows: list[list[Cell]], index: int) -> float:
    filled = [cell for cell in rows[index] if not blank(cell)]
    if len(filled) < 2:
        return -1.0
    texts = [c for c in filled if isinstance(c, str) and len(c) <= 120 and not re.fullmatch(r"[-+]?[\d.,%\s]+", c)]
    known = sum(1 for c in texts if len(c) <= 60 and _best_request_field(normalize_header(c)) >= THRESHOLD)
    following = sum(1 for r in rows[index + 1:index + 6] if filled_count(r) >= 2)
    distinct = len({normalize_header(c) for c in texts})
    return known * 3 + distinct * 0.5 + following * 0.3 - (len(filled) - len(texts)) * 1.0


def _find_header_row(rows: list[list[Cell]]) -> int | None:
    best, best_score = None, 0.0
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        score = _header_score(rows, index)
        if score > best_score:
            best, best_score = index, score
    return best


def _sheet_score(name: str, rows: list[list[Cell]], header_index: int | None) -> float:
    if header_index is None or header_index >= len(rows):
        return -1.0
    table = table_at(name, rows, header_index)
    mapping = guess_request_mapping(table.headers, samples(rows, header_index + 1, len(table.headers)))
    data_rows = sum(1 for row in rows[header_index + 1:] if filled_count(row) >= 2)
    if data_rows == 0:
        return -1.0
    item = mapping.get("item")
    named_item = item is not None and request_field_score("item", normalize_header(table.headers[item])) >= THRESHOLD
    score = (10 if "ref" in mapping else 0) + (10 if named_item else 4 if item is not None else 0) + 3 * len(mapping)
    score += min(data_rows, 2000) / 200
    if _REQUEST_SHEET.search(name):
        score += 4
    elif _CONTROL_SHEET.search(name):
        score -= 4
    # A control register's title, frequency or nature columns tell it from a request list with IDs and descriptions.
    return score - 6 * foreign_headers(table.headers, _best_request_field, control_only_score)


def find_request_table(workbook: Workbook, sheet: str | None = None, header_row: int | None = None) -> Table:
    """Return the request list to import: the named sheet or the likeliest one, at the given or found header row."""
    source = str(workbook.path)
    if header_row is not None and header_row < 1:
        raise WorkbenchError(source, f"{header_row} is not a row number; rows start at 1")
    names = [s.name for s in workbook.sheets]
    if sheet is not None:
        chosen = next((n for n in names if n == sheet), None) or next(
            (n for n in names if n.casefold() == sheet.strip().casefold()), None)
        if chosen is None:
            raise WorkbenchError(source, f"has no sheet named {sheet!r} (sheets: {', '.join(map(repr, names))})")
        candidates = [chosen]
    else:
        visible = [s.name for s in workbook.sheets if s.visible]
        candidates = [n for n in visible if not _SIDE_SHEET.search(n)] or visible or names
    best: tuple[float, str, int | None] | None = None
    for name in candidates:
        rows = workbook.rows(name)
        index = _find_header_row(rows) if header_row is None else header_row - 1
        score = 0.0 if len(candidates) == 1 else _sheet_score(name, rows, index)
        if best is None or score > best[0]:
            best = (score, name, index)
    assert best is not None
    _, name, index = best
    if header_row is None:
        if index is None:
            if not any(filled_count(r) for r in workbook.rows(name)):
                raise WorkbenchError(source, f"sheet {name!r} is empty")
            raise WorkbenchError(source, f"no header row found in sheet {name!r}; name it with --header-row")
        header_row = index + 1
    return find_table(workbook, name, header_row)


# -- planning -------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RequestFields:
    """What one row says about a request, after reading and checking its cells."""

    ref: str
    item: str
    description: str = ""
    tsc_refs: tuple[str, ...] = ()
    control_ref: str | None = None
    owner: str = ""
    due: date | None = None
    status: RequestStatus = RequestStatus.OPEN
    auditor_status: str = ""
    priority: str = ""


@dataclass(frozen=True, slots=True)
class RequestRowPlan:
    """What the import does with one row, and why."""

    row: int
    action: str
    ref: str = ""
    reason: str = ""
    fields: RequestFields | None = None
    current: Request | None = None


@dataclass
class RequestImportPlan(TablePlan):
    """The plan of a request-list import."""

    FIELD_ORDER: ClassVar[tuple[str, ...]] = REQUEST_FIELDS

    def _written(self) -> list[RequestFields]:
        return [r.fields for r in self.rows if r.fields is not None and r.action in (CREATE, UPDATE)]

    def links(self) -> dict[str, int]:
        """Return the criteria and control links the created and updated requests carry."""
        written = self._written()
        return {"criteria_links": sum(len(f.tsc_refs) for f in written),
                "control_links": sum(1 for f in written if f.control_ref)}


def _raw(row: Sequence[Cell], mapping: Mapping[str, int], name: str) -> Cell:
    index = mapping.get(name)
    if index is None or index >= len(row) or blank(row[index]):
        return None
    return row[index]


class _RowReader:
    """Turns a row's cells into request fields, noting each problem on its row; remembers repeated answers."""

    def __init__(self, known_criteria: frozenset[str], controls: Sequence[str], day_first: bool | None) -> None:
        self.known = known_criteria
        self.controls = set(controls)
        self.folded = {ref.casefold(): ref for ref in controls}
        self.day_first = day_first
        self._cache: dict[tuple[str, str], Any] = {}

    def _memo(self, kind: str, text: str, compute: Callable[[str], Any]) -> Any:
        key = (kind, text)
        if key not in self._cache:
            self._cache[key] = compute(text)
        return self._cache[key]

    def criteria(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Return (criterion ids in the order written, warnings) for a criteria cell."""
        return self._memo("criteria", text, lambda t: parse_criteria_cell(t, self.known))

    def status(self, text: str) -> tuple[RequestStatus | None, str | None]:
        """Return (status or None, error or None) for a status cell."""

        def compute(value: str) -> tuple[RequestStatus | None, str | None]:
            try:
                return parse_request_status(value), None
            except ValueError as exc:
                return None, str(exc)

        return self._memo("status", text, compute)

    def control(self, text: str) -> tuple[str | None, list[str]]:
        """Return (the project control a cell names or None, warnings)."""
        return self._memo("control", text, self._control)

    def _control(self, text: str) -> tuple[str | None, list[str]]:
        if text in self.controls:
            return text, []
        parts = [p.strip() for p in _CONTROL_SPLIT.split(text) if p.strip()]
        found: list[str] = []
        warnings: list[str] = []
        for part in parts:
            ref = part if part in self.controls else self.folded.get(part.casefold())
            if ref is None:
                warnings.append(f"control: {part!r} is not a control of this project; the request is kept "
                                "without that link")
            elif ref not in found:
                found.append(ref)
        if len(found) > 1:
            warnings.append(f"control: a request links one control; {found[0]} is linked, "
                            f"{', '.join(found[1:])} not")
        return (found[0] if found else None), warnings

    def due(self, value: Cell) -> tuple[date | None, str | None]:
        """Return (due date or None, error or None) for a due-date cell, never guessing day from month."""
        try:
            return parse_date(value, day_first=self.day_first), None
        except ValueError as exc:  # AmbiguousDateError included: the user has to say which order is meant
            return None, str(exc)


def _fields_from_row(number: int, row: Sequence[Cell], mapping: Mapping[str, int], reader: _RowReader,
                     current: Request | None, problems: list[Problem]) -> RequestFields:
    """Build the fields a row asks for; fields the file does not map keep the existing request's values."""
    base = RequestFields(ref="", item="") if current is None else RequestFields(
        current.ref, current.item, current.description, current.tsc_refs, current.control_ref, current.owner,
        current.due, current.status, current.auditor_status, current.priority,
    )
    values: dict[str, Any] = {"ref": field_text(row, mapping, "ref"), "item": field_text(row, mapping, "item")}
    for name in ("description", "owner", "auditor_status", "priority"):
        if name in mapping:
            values[name] = field_text(row, mapping, name)
    if "criteria" in mapping:
        criteria, warnings = reader.criteria(field_text(row, mapping, "criteria"))
        problems.extend(Problem(number, "warning", f"criteria: {w}") for w in warnings)
        values["tsc_refs"] = criteria
    if "control" in mapping:
        text = field_text(row, mapping, "control")
        control_ref, warnings = reader.control(text) if text else (None, [])
        problems.extend(Problem(number, "warning", w) for w in warnings)
        values["control_ref"] = control_ref
    if "due" in mapping:
        due, error = reader.due(_raw(row, mapping, "due"))
        if error is None:
            values["due"] = due
        else:
            kept = "left unset" if current is None or current.due is None else f"kept at {current.due.isoformat()}"
            problems.append(Problem(number, "warning", f"due: {error}; due date {kept}"))
    if "status" in mapping:
        status, error = reader.status(field_text(row, mapping, "status"))
        if error is not None:
            kept = "left open" if current is None else f"kept as {current.status.value}"
            problems.append(Problem(number, "warning", f"status: {error}; {kept}"))
        elif status is not None:
            values["status"] = status
        elif current is None:
            values["status"] = RequestStatus.OPEN
    return replace(base, **values)


def _same(current: Request, fields: RequestFields) -> bool:
    return (current.ref, current.item, current.description, tuple(sorted(current.tsc_refs)), current.control_ref,
            current.owner, current.due, current.status, current.auditor_status, current.priority) == (
        fields.ref, fields.item, fields.description, tuple(sorted(fields.tsc_refs)), fields.control_ref,
        fields.owner, fields.due, fields.status, fields.auditor_status, fields.priority)


def plan_request_table(uow: UnitOfWork, table: Table, mapping: dict[str, int], source: str, *,
                       day_first: bool | None = None, progress: Progress | None = None) -> RequestImportPlan:
    """Return the plan for every data row of the request list under this column mapping."""
    if "ref" not in mapping:
        raise missing_column(source, table.sheet, table.headers, "the request ID", "ref")
    if "item" not in mapping:
        raise missing_column(source, table.sheet, table.headers, "the item requested", "item")
    plan = RequestImportPlan(source, table.sheet, table.header_row, table.headers, mapping)
    reader = _RowReader(frozenset(c.id for c in uow.criteria.catalog().criteria),
                        [c.ref for c in uow.controls.list()], day_first)
    existing = {r.ref: r for r in uow.requests.list()}
    index = KeyIndex(existing)
    for number, action, ref, reason, row in sort_rows(table, mapping, source, plan.problems, RowKinds(
        key="ref", label="item", noun="request", missing_label="does not say what is requested"), progress):
        if action != KEEP:
            plan.rows.append(RequestRowPlan(number, action, ref, reason))
            continue
        ref = stored_key(index, number, ref, "request", plan.problems)
        current = existing.get(ref)
        fields = replace(_fields_from_row(number, row, mapping, reader, current, plan.problems), ref=ref)
        if current is None:
            plan.rows.append(RequestRowPlan(number, CREATE, ref, "new request", fields))
        elif _same(current, fields):
            plan.rows.append(RequestRowPlan(number, UNCHANGED, ref, "already up to date", fields, current))
        else:
            plan.rows.append(RequestRowPlan(number, UPDATE, ref, "fields differ from the project's request",
                                            fields, current))
    return plan


def choose_request_mapping(uow: UnitOfWork, table: Table, overrides: Sequence[tuple[str, str]],
                           source: str) -> dict[str, int]:
    """Return the column mapping: remembered for this layout, else guessed; then the user's overrides."""
    mapping = decode_request_mapping(uow.meta.get(request_layout_key(table.headers)), table.headers)
    if mapping is None:
        mapping = guess_request_mapping(table.headers, samples(table.rows, table.header_row, len(table.headers)))
    return apply_request_overrides(mapping, table.headers, overrides, source)


def write_request_plan(uow: UnitOfWork, plan: RequestImportPlan, progress: Progress | None = None) -> None:
    """Apply the planned creates and updates inside the unit of work (the caller commits)."""
    work = [r for r in plan.rows if r.action in (CREATE, UPDATE) and r.fields is not None]
    control_ids: dict[str, int] = {}
    base = len(plan.rows)
    for done, row_plan in enumerate(work, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0 and not progress(base + done, base + len(work)):
            raise ImportCancelled(plan.source, "the import was cancelled; nothing was changed")
        fields = row_plan.fields
        assert fields is not None
        control_id = None
        if fields.control_ref is not None:
            if fields.control_ref not in control_ids:
                control_ids[fields.control_ref] = uow.controls.id_of(fields.control_ref)
            control_id = control_ids[fields.control_ref]
        current = row_plan.current
        common: dict[str, Any] = {
            "description": fields.description, "tsc_refs": fields.tsc_refs, "control_id": control_id,
            "owner": fields.owner, "due": fields.due, "status": fields.status,
        }
        if current is None:
            uow.requests.add(fields.ref, fields.item, auditor_status=fields.auditor_status,
                             priority=fields.priority, **common)
        else:
            uow.requests.update(current.id, ref=fields.ref, item=fields.item, evidence_ids=current.evidence_ids,
                                auditor_status=fields.auditor_status, priority=fields.priority, **common)


def import_requests(project: OpenProject, source: Path | str, *, sheet: str | None = None,
                    header_row: int | None = None, overrides: Sequence[tuple[str, str]] = (),
                    dry_run: bool = False, day_first: bool | None = None,
                    progress: Progress | None = None) -> dict[str, Any]:
    """Import an auditor's request list into the project in one transaction (or only preview it); return the result."""
    source = Path(source)
    with open_workbook(source) as workbook:
        table = find_request_table(workbook, sheet, header_row)
    with project.uow() as uow:
        mapping = choose_request_mapping(uow, table, overrides, str(source))
        plan = plan_request_table(uow, table, mapping, str(source), day_first=day_first, progress=progress)
        if not dry_run:
            write_request_plan(uow, plan, progress)
            uow.meta.set(request_layout_key(table.headers), encode_mapping(mapping, table.headers))
            remember_request_layout(uow, str(source), table, plan)
            uow.commit()
        if progress is not None:
            progress(1, 1)
        return plan.document(dry_run=dry_run)


# -- the wizard's steps: header guess, applying a previewed plan, and undoing it -----------------------------

def request_header_row(rows: list[list[Cell]]) -> int | None:
    """Return the 0-based index of the row most like a request list's header among the first rows, or None."""
    return _find_header_row(rows)


def apply_request_plan(project: OpenProject, plan: RequestImportPlan, table: Table | None = None,
                       progress: Progress | None = None) -> dict[str, Any]:
    """Write a request-list plan made earlier (a preview the user accepted) in one transaction; return the result.

    With the plan's table, the list's layout is remembered too, so that the list can be sent back in its own columns.
    """
    with project.uow() as uow:
        write_request_plan(uow, plan, progress)
        uow.meta.set(request_layout_key(plan.headers), encode_mapping(plan.mapping, plan.headers))
        if table is not None:
            remember_request_layout(uow, plan.source, table, plan)
        uow.commit()
    return plan.document(dry_run=False)


def revert_request_plan(project: OpenProject, plan: RequestImportPlan) -> None:
    """Undo an applied request-list plan in one transaction: remove the requests it created, restore those updated.

    A created request that has gained evidence since is not removed silently: the undo is refused. An updated
    request keeps the evidence linked to it (the import never changes evidence links).
    """
    created = [r.ref for r in plan.rows if r.action == CREATE]
    restored = [r.current for r in plan.rows if r.action == UPDATE and r.current is not None]
    with project.uow() as uow:
        present = uow.requests.list()
        by_ref = {r.ref: r for r in present}
        by_id = {r.id: r for r in present}
        kept = [ref for ref in created if ref in by_ref and by_ref[ref].evidence_ids]
        if kept:
            raise WorkbenchError(plan.source, f"cannot undo the import: {', '.join(kept[:5])} now have evidence "
                                              "linked; unlink that evidence first")
        for ref in created:
            if ref in by_ref:
                uow.requests.remove(by_ref[ref].id)
        for previous in restored:
            control_id = None
            if previous.control_ref is not None:
                try:
                    control_id = uow.controls.id_of(previous.control_ref)
                except NotFoundError:
                    control_id = None
            now = by_id.get(previous.id)
            uow.requests.update(
                previous.id, ref=previous.ref, item=previous.item, description=previous.description,
                tsc_refs=previous.tsc_refs, control_id=control_id, owner=previous.owner, due=previous.due,
                status=previous.status, evidence_ids=now.evidence_ids if now is not None else previous.evidence_ids,
                auditor_status=previous.auditor_status, priority=previous.priority,
            )
        uow.commit()
