"""The control register as a RegisterSpec: its fields and headers, and how controls are written and put back."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import MISSING
from dataclasses import fields as dataclass_fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from workbench.domain.entities import Control, ControlDraft
from workbench.domain.enums import ControlStatus
from workbench.domain.errors import WorkbenchError
from workbench.domain.import_values import parse_frequency, parse_nature, parse_status
from workbench.domain.period import Period, project_period
from workbench.services.changes import Touched
from workbench.services.importers.spec import Field, FieldType, Loaded, RegisterSpec

if TYPE_CHECKING:  # the kinds load without the storage layer, so that a file can be read while it loads
    from workbench.store import UnitOfWork

TEXT, DATE, ENUM, CRITERIA = FieldType.TEXT, FieldType.DATE, FieldType.ENUM, FieldType.CRITERIA

FIELDS = (
    Field("ref", TEXT, "Control ID", (
        "ref", "ref #", "reference", "control ref", "control reference", "control id", "control no",
        "control number", "control #", "ctrl #", "ctrl id", "ctrl ref", "ctrl no", "id", "#", "no", "number",
        "control code", "ref id", "scf #", "control key", "identifier", "control identifier", "key",
        "control ref #", "item #",
    ), suffixes=frozenset({"control", "ctrl"}), required=True, what="the control ID", brief=True),
    Field("title", TEXT, "Title", (
        "title", "control title", "control name", "name", "control", "control activity", "activity",
        "short description", "summary", "scf control", "control summary", "control heading", "headline",
    ), required=True, what="the control title"),
    Field("description", TEXT, "Description", (
        "description", "control description", "control activity description", "details", "control details",
        "detailed description", "narrative", "control narrative", "procedure", "control procedure",
        "control statement", "secure controls framework scf control description", "control text",
        "activity description", "control objective",
    )),
    Field("owner", TEXT, "Owner", (
        "owner", "control owner", "responsible", "responsible party", "responsibility", "assignee",
        "assigned to", "accountable", "owner name", "process owner", "performed by", "performer",
        "responsible team", "owner team", "accountable party",
    )),
    Field("frequency", ENUM, "Frequency", (
        "frequency", "freq", "control frequency", "how often", "cadence", "periodicity", "recurrence",
        "frequency of control", "timing",
    ), parse=parse_frequency),
    Field("criteria", CRITERIA, "Criteria", (
        "criteria", "tsc", "tsc ref", "tsc refs", "tsc reference", "tsc references", "trust services criteria",
        "trust service criteria", "trust services criterion", "soc 2", "soc2", "soc 2 ref", "soc 2 ref #",
        "soc 2 refs", "soc 2 mapping", "soc2 control", "soc 2 control", "soc 2 criteria", "soc2 criteria",
        "aicpa tsc", "aicpa tsc 2017 soc 2", "aicpa soc 2", "framework mappings", "framework mapping",
        "mapped criteria", "criterion", "common criteria", "tsc mapping", "soc 2 tsc", "tsc id", "criteria id",
        "soc tsc common criteria", "requirements id", "soc 2 reference", "criteria mapping", "tsc 2017",
    ), default=()),
    Field("status", ENUM, "Status", (
        "status", "implementation status", "control status", "state", "implementation state",
        "implemented", "in place",
    ), parse=parse_status, default=ControlStatus.NOT_STARTED),
    Field("nature", ENUM, "Nature", (
        "nature", "control nature", "manual automated", "manual or automated", "automation", "automated",
        "control type", "type", "automated manual",
    ), parse=parse_nature),
    Field("implemented_since", DATE, "Implemented since", (
        "implemented since", "implementation date", "date implemented", "implemented on", "in place since",
        "effective date", "effective since", "effective from", "operating since", "live since", "start date",
        "control start date", "implemented date",
    ), what="the implemented-since date"),
    Field("retired_on", DATE, "Retired on", (
        "retired", "retired on", "retirement date", "date retired", "retired date", "decommissioned",
        "decommissioned on", "end date", "control end date", "discontinued", "discontinued on",
    ), what="the retired date"),
    Field("notes", TEXT, "Notes", (
        "notes", "note", "comments", "comment", "remarks", "observation", "observations", "additional notes",
        "additional information",
    )),
)


_NAMES = tuple(f.name for f in FIELDS)
_PLAIN = tuple(name for name in _NAMES if name != "criteria")
_FIELDS_OF = attrgetter(*_NAMES)  # a control's or draft's fields in _NAMES order, in one call
# What a new control holds before a row's values: ControlDraft's defaults, an empty title.
_BLANK = {f.name: "" if f.default is MISSING else f.default for f in dataclass_fields(ControlDraft)}


def draft_of(control: Control | ControlDraft) -> ControlDraft:
    """Return a control's fields as a draft."""
    return ControlDraft(**{name: getattr(control, name) for name in _NAMES})


def _date_warnings(values: Mapping[str, Any], period: Period | None) -> list[tuple[str, str]]:
    """Return what a row's dates say that the calendar would otherwise take silently: a control implemented after
    the period (a mistyped year) or retired before it expects nothing in it, and a retirement before implementation
    is impossible."""
    since, retired = values.get("implemented_since"), values.get("retired_on")
    found: list[tuple[str, str]] = []
    if since is not None and retired is not None and retired < since:
        found.append(("retired_on", f"retired on {retired.isoformat()}, before it was implemented "
                                    f"({since.isoformat()})"))
    if period is None:
        return found
    if since is not None and since > period.end:
        found.append(("implemented_since", f"implemented since {since.isoformat()}, after the audit period ends "
                                           f"({period.end.isoformat()}): nothing is expected of it in the period"))
    if retired is not None and retired < period.start:
        found.append(("retired_on", f"retired on {retired.isoformat()}, before the audit period starts "
                                    f"({period.start.isoformat()}): nothing is expected of it in the period"))
    return found


class ControlRecords:
    """Controls as the engine writes them: ControlDraft records, keyed by ref."""

    streams = True  # written as they are planned, window by window (stream.py): remember() needs no rows

    def load(self, uow: UnitOfWork) -> Loaded:
        """Return the project's controls by ref, and the audit period their dates are checked against."""
        return Loaded({c.ref: c for c in uow.controls.list()}, project_period(uow.settings.get()))

    def build(self, values: Mapping[str, Any], key: str, current: Control | ControlDraft | None, loaded: Loaded
              ) -> tuple[ControlDraft, list[tuple[str, str]]]:
        """Return the draft a row asks for; fields the file does not map keep the existing control's values."""
        fields = {**_BLANK, **values} if current is None else {**self.values(current), **values}
        fields["ref"] = key
        fields["criteria"] = tuple(sorted(fields["criteria"]))
        if values.get("implemented_since") is None and values.get("retired_on") is None:  # most rows: no call
            return ControlDraft(**fields), []
        return ControlDraft(**fields), _date_warnings(values, loaded.context)

    def same(self, current: Control, record: ControlDraft) -> bool:
        """Return True when the control already reads as the draft."""
        return all(getattr(current, name) == getattr(record, name) for name in _PLAIN) and \
            tuple(sorted(current.criteria)) == record.criteria

    def snapshot(self, current: Control) -> ControlDraft:
        """Return the control as it was, for undo."""
        return draft_of(current)

    def values(self, record: Control | ControlDraft) -> dict[str, Any]:
        """Return a control's fields."""
        return dict(zip(_NAMES, _FIELDS_OF(record), strict=True))

    def criteria_count(self, record: ControlDraft) -> int:
        """Return how many criteria a control links (what the import's criteria_links counts)."""
        return len(record.criteria)

    def write(self, uow: UnitOfWork, creates: Sequence[ControlDraft],
              updates: Sequence[tuple[ControlDraft, ControlDraft]]) -> None:
        """Add and replace controls, many at a time."""
        uow.controls.add_many(list(creates))
        uow.controls.replace_many([(previous.ref, draft) for previous, draft in updates])

    def revert(self, uow: UnitOfWork, source: str, created: Sequence[str], restored: Sequence[ControlDraft]) -> None:
        """Remove the controls created and restore those updated; refuse when a created one has evidence now."""
        with_evidence = uow.controls.evidence_counts()
        kept = [ref for ref in created if with_evidence.get(ref)]
        if kept:
            raise WorkbenchError(source, f"cannot undo the import: {', '.join(kept[:5])} now have evidence; "
                                         "remove that evidence first")
        for ref in created:
            uow.controls.remove(ref)
        uow.controls.replace_many([(draft.ref, draft) for draft in restored])

    def listing(self, uow: UnitOfWork) -> list[Control]:
        """Return the project's controls."""
        return uow.controls.list()

    def fetch(self, uow: UnitOfWork, keys: Sequence[str]) -> dict[str, Control]:
        """Return the controls of these refs as stored now (an import's own earlier writes included)."""
        return uow.controls.get_many(list(keys))

    def remember(self, uow: UnitOfWork, plan: Any) -> None:
        """Controls keep nothing of the file beyond the column layout."""

    def forget(self, uow: UnitOfWork, kept: Any) -> None:
        """Nothing to put back."""


CONTROLS = RegisterSpec(
    kind="controls", singular="control", title="Import controls", fields=FIELDS, key="ref", label="title",
    natural_key=("title",), id_prefix="CTL-", missing_label="has no title", records=ControlRecords(),
    sheet_hint=re.compile(r"(control|register|matrix|library|inventory|catalog|mapping)", re.IGNORECASE),
    sheet_weights={"ref": 10, "title": 10, "criteria": 15},
    distinctive=("title", "frequency", "nature"),
    pick_order=("criteria", "ref", "title", "description", "owner", "frequency", "status", "nature",
                "implemented_since", "retired_on", "notes"),
    label_fallback="description",
    generic=frozenset({"type", "id", "no", "number", "name", "key", "state", "#", "activity", "timing", "note",
                       "summary", "automated", "implemented", "in place", "automation", "ref"}),
    merge_repeats=True, preview=("criteria",),
    touches=Touched.CONTROLS,
    texts={
        "window_title": "Import controls",
        "file": "A control register in Excel (.xlsx, .xlsm, .xlsb, .xls), OpenDocument (.ods), CSV or JSON. "
                "You can also drop the file here.",
        "sheet": "The sheet that holds the controls, and the row with the column headings. "
                 "Click a row of the preview to make it the header row.",
        "found": "The controls look to be on sheet",
        "needs": "Choose the columns that hold the control ID and the title.",
    },
)
