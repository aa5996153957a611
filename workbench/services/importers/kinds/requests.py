"""The auditor's request list (PBC) as a RegisterSpec: fields, header words, statuses, and how requests are kept."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from workbench.domain.entities import Request
from workbench.domain.enums import RequestStatus
from workbench.domain.errors import NotFoundError, WorkbenchError
from workbench.services.changes import Touched
from workbench.services.importers.spec import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Field,
    FieldType,
    Loaded,
    RegisterSpec,
    wizard_texts,
)
from workbench.services.importers.table import blank
from workbench.services.request_layout import remember_request_layout, restore_request_layout

if TYPE_CHECKING:  # the kinds load without the storage layer, so that a file can be read while it loads
    from workbench.store import UnitOfWork

TEXT, DATE, ENUM, CRITERIA = FieldType.TEXT, FieldType.DATE, FieldType.ENUM, FieldType.CRITERIA
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


_ID_VETO = frozenset({"id", "#", "no", "number", "ref", "date", "status", "control", "controls"})
# Notes and comments hold remarks about a request: a description only when no real one is there, never the item.
_NOTES = ("notes", "note", "comments", "comment", "remarks", "auditor notes", "auditor comments",
          "additional information", "context", "observations", "internal notes", "client comments")

FIELDS = (
    Field("ref", TEXT, "Request ID", (
        "request id", "request #", "request no", "request number", "request ref", "request reference", "req #",
        "req id", "req no", "req ref", "pbc #", "pbc id", "pbc no", "pbc number", "pbc ref", "pbc reference",
        "irl #", "irl id", "rfi #", "rfi id", "item #", "item id", "item no", "item number", "id", "#", "no",
        "number", "ref", "ref #", "reference", "ref id", "request key", "key", "reference #", "reference no",
        "reference number", "ref no", "ref number", "request reference #", "pbc reference #",
    ), vetoes=frozenset({"control", "controls", "ctrl", "evidence", "tsc", "criteria", "soc", "date", "ticket"}),
        required=True, what="the request ID", brief=True),
    Field("item", TEXT, "Item requested", (
        "request", "item", "request description", "evidence requested", "requested evidence", "request item",
        "requested item", "item requested", "items requested", "evidence request", "request details",
        "request detail", "document requested", "documents requested", "information requested", "request text",
        "auditor request", "pbc item", "pbc request", "pbc description", "requested", "request name",
        "request title", "evidence description", "description of request", "requested information",
        "artifact", "artefact", "artifacts", "artefacts", "documentation artifact", "documentation artefact",
        "requested artifact", "requested artefact", "requested artifacts", "requested artefacts", "artifact name",
        "artefact name", "evidence artifact", "evidence artefact", "evidence item", "deliverable", "document",
        "documents", "requested documents", "evidence",
    ), vetoes=_ID_VETO | {"owner"}, required=True, what="the item requested"),
    Field("description", TEXT, "Description", (
        "description", "details", "additional details", "detailed description", "guidance", "auditor guidance",
        "request guidance", "explanation", "instructions", "clarification", "artifact description",
        "artefact description",
    ), vetoes=_ID_VETO, weak=_NOTES),
    Field("criteria", CRITERIA, "Criteria", (
        "tsc reference", "tsc references", "tsc ref", "tsc refs", "tsc", "criteria", "criterion", "soc 2 ref",
        "soc 2 ref #", "soc 2 reference", "soc 2 refs", "soc 2 criteria", "soc2 criteria", "soc 2", "soc2",
        "trust services criteria", "trust service criteria", "tsc mapping", "tsc id", "criteria reference",
        "criteria id", "soc 2 mapping", "related criteria", "tsc criteria", "aicpa tsc", "common criteria",
    ), default=()),
    Field("control", TEXT, "Control", (
        "related control", "related controls", "control id", "control ids", "control", "controls", "control ref",
        "control reference", "control #", "control no", "control number", "mapped control", "mapped controls",
        "linked control", "linked controls", "control mapping", "ctrl #", "ctrl id", "ctrl ref",
    ), vetoes=frozenset({"description", "owner", "objective", "activity", "title", "frequency", "status"}),
        brief=True),
    Field("owner", TEXT, "Owner", (
        "owner", "assignee", "responsible", "assigned to", "responsible party", "request owner", "internal owner",
        "owner name", "point of contact", "poc", "responsible person", "evidence owner", "client owner",
        "control owner", "accountable", "responsibility", "assigned",
    )),
    Field("due", DATE, "Due date", (
        "due date", "due", "due by", "date due", "deadline", "target date", "needed by", "requested by date",
        "requested due date", "due on", "target due date", "submission deadline",
    ), vetoes=frozenset({"overdue"})),
    Field("status", ENUM, "Status", (
        "status", "internal status", "request status", "our status", "client status", "company status",
        "management status", "state", "progress", "submission status",
    ), vetoes=frozenset({"auditor", "audit", "review", "cpa", "overdue"}), parse=parse_request_status,
        default=RequestStatus.OPEN),
    Field("auditor_status", TEXT, "Auditor status", (
        "auditor status", "auditor review status", "audit status", "auditor review", "review status",
        "auditor acceptance", "auditor response", "auditor feedback", "cpa status", "auditor state",
        "auditor disposition", "acceptance status",
    ), brief=True),
    Field("priority", TEXT, "Priority", (
        "priority", "prio", "importance", "urgency", "criticality", "priority level", "severity",
    ), brief=True),
)


_ATTRIBUTES = {"criteria": "tsc_refs", "control": "control_ref"}  # field -> attribute, where they differ


def _resolve_control(text: str, controls: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """Return (the project control a cell names or None, warnings); `controls` maps folded refs to refs."""
    found: list[str] = []
    warnings: list[str] = []
    for part in (p.strip() for p in _CONTROL_SPLIT.split(text) if p.strip()):
        ref = controls.get(part) or controls.get(part.casefold())
        if ref is None:
            warnings.append(f"control: {part!r} is not a control of this project; the request is kept without "
                            "that link")
        elif ref not in found:
            found.append(ref)
    if len(found) > 1:
        warnings.append(f"control: a request links one control; {found[0]} is linked, {', '.join(found[1:])} not")
    return (found[0] if found else None), warnings


class RequestRecords:
    """Requests as the engine writes them: Request records (a new one with id 0), keyed by ref.

    An update keeps the request's id and evidence links: the import never changes those.
    """

    def load(self, uow: UnitOfWork) -> Loaded:
        """Return the project's requests by ref, and its controls by folded ref (rows name them)."""
        controls: dict[str, str] = {}
        for control in uow.controls.list():
            controls.setdefault(control.ref.casefold(), control.ref)
        for control in uow.controls.list():
            controls[control.ref] = control.ref
        return Loaded({r.ref: r for r in uow.requests.list()}, controls)

    def build(self, values: Mapping[str, Any], key: str, current: Request | None, loaded: Loaded
              ) -> tuple[Request, list[tuple[str, str]]]:
        """Return the request a row asks for; fields the file does not map keep the existing request's values."""
        base = Request(0, key, "") if current is None else current
        changes = {_ATTRIBUTES.get(name, name): value for name, value in values.items()}
        warnings: list[tuple[str, str]] = []
        if "control" in values:
            text = values["control"]
            exact = loaded.context.get(text) if text else None
            changes["control_ref"], found = (exact, []) if exact or not text else _resolve_control(text, loaded.context)
            warnings += [("control", w) for w in found]
        return replace(base, **changes, ref=key), warnings

    def same(self, current: Request, record: Request) -> bool:
        """Return True when the request already reads as the row."""
        return replace(current, tsc_refs=tuple(sorted(current.tsc_refs))) == replace(
            record, tsc_refs=tuple(sorted(record.tsc_refs)))

    def snapshot(self, current: Request) -> Request:
        """Return the request as it was, for undo."""
        return current

    def values(self, record: Request) -> dict[str, Any]:
        """Return a request's fields."""
        return {f.name: getattr(record, _ATTRIBUTES.get(f.name, f.name)) for f in FIELDS}

    def write(self, uow: UnitOfWork, creates: Sequence[Request], updates: Sequence[tuple[Request, Request]]) -> None:
        """Add and update requests; an update keeps the request's id and evidence links."""
        control_ids: dict[str, int] = {}

        def control_id(ref: str | None) -> int | None:
            if ref is None:
                return None
            if ref not in control_ids:
                control_ids[ref] = uow.controls.id_of(ref)
            return control_ids[ref]

        for new in creates:
            uow.requests.add(new.ref, new.item, **_common(new, control_id(new.control_ref)))
        for current, changed in updates:
            uow.requests.update(current.id, ref=changed.ref, item=changed.item, evidence_ids=current.evidence_ids,
                                **_common(changed, control_id(changed.control_ref)))

    def revert(self, uow: UnitOfWork, source: str, created: Sequence[str], restored: Sequence[Request]) -> None:
        """Remove the requests created and restore those updated (keeping evidence linked since).

        A created request that has gained evidence since is not removed silently: the undo is refused.
        """
        present = uow.requests.list()
        by_ref = {r.ref: r for r in present}
        by_id = {r.id: r for r in present}
        kept = [ref for ref in created if ref in by_ref and by_ref[ref].evidence_ids]
        if kept:
            raise WorkbenchError(source, f"cannot undo the import: {', '.join(kept[:5])} now have evidence "
                                         "linked; unlink that evidence first")
        for ref in created:
            if ref in by_ref:
                uow.requests.remove(by_ref[ref].id)
        for previous in restored:
            try:
                control_id = uow.controls.id_of(previous.control_ref) if previous.control_ref else None
            except NotFoundError:
                control_id = None
            now = by_id.get(previous.id)
            uow.requests.update(previous.id, ref=previous.ref, item=previous.item,
                                evidence_ids=now.evidence_ids if now is not None else previous.evidence_ids,
                                **_common(previous, control_id))

    def listing(self, uow: UnitOfWork) -> list[Request]:
        """Return the project's requests."""
        return uow.requests.list()

    def remember(self, uow: UnitOfWork, plan: Any) -> str | None:
        """Remember the list's own columns and rows, so that it can be sent back in them; return what it replaced."""
        table = plan.table
        header = table.headers if table.header_row == 0 else table.rows[table.header_row - 1]
        header = [header[i] if i < len(header) and not blank(header[i]) else "" for i in range(len(table.headers))]
        rows = [(r.key, table.rows[r.row - 1]) for r in plan.rows if r.action in (CREATE, UPDATE, UNCHANGED)]
        return remember_request_layout(uow, plan.source, table.sheet, header, plan.mapping, rows)

    def forget(self, uow: UnitOfWork, kept: Any) -> None:
        """Put back the layout remembered before the import."""
        restore_request_layout(uow, kept)


def _common(fields: Request, control_id: int | None) -> dict[str, Any]:
    return {"description": fields.description, "tsc_refs": fields.tsc_refs, "control_id": control_id,
            "owner": fields.owner, "due": fields.due, "status": fields.status,
            "auditor_status": fields.auditor_status, "priority": fields.priority}


REQUESTS = RegisterSpec(
    kind="requests", singular="request", title="Import the auditor's request list", fields=FIELDS, key="ref",
    label="item", natural_key=("item",), id_prefix="REQ-", missing_label="does not say what is requested",
    records=RequestRecords(),
    sheet_hint=re.compile(r"(pbc|request|evidence|provided|tracker|irl|rfi)", re.IGNORECASE),
    sheet_avoid=re.compile(r"(control|register|matrix|library|catalog|mapping)", re.IGNORECASE),
    sheet_weights={"ref": 10, "item": 10}, fallback_credit=0.4,
    pick_order=("ref", "control", "criteria", "auditor_status", "status", "due", "owner", "priority", "item",
                "description"),
    label_fallback="description",
    generic=frozenset({"id", "#", "no", "number", "ref", "key", "item", "request", "requested", "control",
                       "controls", "state", "progress", "context", "assigned", "notes", "comments", "soc 2", "soc2",
                       "tsc", "reference", "evidence", "document", "documents", "artifact", "artefact"}),
    aliases={"id": "ref", "request": "item", "tsc": "criteria", "tsc_refs": "criteria", "control_ref": "control",
             "due_date": "due", "internal_status": "status"},
    preview=("due",), link_fields=("control",),
    touches=Touched.REQUESTS,
    texts=wizard_texts("requests",
                       "The CPA firm's request list (PBC) in Excel (.xlsx, .xlsm, .xlsb, .xls), OpenDocument (.ods), "
                       "CSV or JSON. You can also drop the file here. Requests already in the project are updated by "
                       "their request ID.",
                       "Choose the columns that hold the request ID and the item requested.",
                       sheet_more=" Click a row of the preview to make it the header row."),
)
