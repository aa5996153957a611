"""What a kind of register declares for the one import engine: its fields, headers, key, and how records are kept.

A RegisterSpec is data plus a Records adapter. The engine (readers, table finding, column mapping, remembered
layouts, planning, apply and revert) reads a table through the spec; only the adapter knows the project's records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from workbench.domain.errors import WorkbenchError
from workbench.services.changes import Touched

if TYPE_CHECKING:
    from workbench.store import UnitOfWork

Progress = Callable[[int, int], bool]
CREATE, UPDATE, UNCHANGED, MERGE, SKIP, PROBLEM = "create", "update", "unchanged", "merge", "skip", "problem"


class ImportCancelled(WorkbenchError):
    """The user stopped the import; nothing was written."""


class FieldType(StrEnum):
    """How a field's cells are read."""

    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    ENUM = "enum"
    CRITERIA = "criteria"  # a list of Trust Services Criteria


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a register: how its cells are read and which headers name it."""

    name: str
    type: FieldType
    label: str  # as the wizard and an export's header show it; an exact synonym, so an export maps back
    synonyms: tuple[str, ...] = ()
    vetoes: frozenset[str] = frozenset()  # words that rule a header out ("Control ID" is not a request's ID)
    weak: tuple[str, ...] = ()  # whole headers naming this field only when nothing better does ("Notes")
    suffixes: frozenset[str] = frozenset()  # a last word that names this field weakly ("ISO Control")
    parse: Callable[[str], Any] | None = None  # an ENUM's reader: text -> value, None when blank, ValueError
    default: Any = None  # what a new record holds when the file says nothing readable
    required: bool = False
    what: str = ""  # how a message names the field's column: "the control title"
    brief: bool = False  # a text field whose cells are short (an ID, a name), never prose

    @property
    def short(self) -> bool:
        """Return True for fields whose cells are short (IDs, choices, dates, numbers), never prose."""
        return self.brief or self.type in (FieldType.DATE, FieldType.NUMBER, FieldType.ENUM)


@dataclass(frozen=True, slots=True)
class Detail:
    """An import-level detail a kind asks for (a population's source or query): one option, one value."""

    name: str
    help: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """Something to tell the user about one row: its level, the field it concerns ("" for the whole row)."""

    row: int
    level: str  # "error" | "warning"
    message: str
    field: str = ""


@dataclass(frozen=True, slots=True)
class RowPlan:
    """What the import does with one row, and why; `record` is what it writes, `previous` what undo restores."""

    row: int
    action: str
    key: str = ""
    reason: str = ""
    record: Any = None
    previous: Any = None

    @property
    def ref(self) -> str:
        """Return the row's key (the first kinds call their key the ref)."""
        return self.key


@dataclass(frozen=True, slots=True)
class Loaded:
    """What planning checks rows against: the project's records by key, and whatever the kind's rows refer to."""

    existing: Mapping[str, Any]
    context: Any = None


class Records(Protocol):
    """How a kind's records are read, built from a row, compared, written and put back."""

    def load(self, uow: UnitOfWork) -> Loaded:
        """Return the project's records by key (and what rows may refer to)."""

    def build(self, values: Mapping[str, Any], key: str, current: Any, loaded: Loaded
              ) -> tuple[Any, list[tuple[str, str]]]:
        """Return the record a row's values ask for (unmapped fields keep `current`'s) and (field, warning)s."""

    def same(self, current: Any, record: Any) -> bool:
        """Return True when writing the record would change nothing."""

    def snapshot(self, current: Any) -> Any:
        """Return what undoing an update needs to put the record back."""

    def values(self, record: Any) -> dict[str, Any]:
        """Return {field: value} of a stored record or a planned one (criteria as a tuple, dates as dates)."""

    def write(self, uow: UnitOfWork, creates: Sequence[Any], updates: Sequence[tuple[Any, Any]]) -> None:
        """Write created records and (current, record) updates inside the unit of work."""

    def revert(self, uow: UnitOfWork, source: str, created: Sequence[str], restored: Sequence[Any]) -> None:
        """Remove the created keys and put the snapshots back; refuse when a created record gained links since."""

    def listing(self, uow: UnitOfWork) -> list[Any]:
        """Return the project's records in their order (for `register list` and export)."""

    def remember(self, uow: UnitOfWork, plan: Any) -> Any:
        """Keep what the kind remembers of an applied import beyond its columns; return what undo puts back."""

    def forget(self, uow: UnitOfWork, kept: Any) -> None:
        """Put back what `remember` replaced."""


def wizard_texts(things: str, file: str, needs: str, sheet_more: str = "") -> dict[str, str]:
    """Return the import wizard's words for a kind: what the file is, where its `things` are, and what to map."""
    sheet = f"The sheet that holds the {things}, and the row with the column headings.{sheet_more}"
    return {"file": file, "sheet": sheet, "found": f"The {things} look to be on sheet", "needs": needs}


@dataclass(frozen=True, slots=True)
class RegisterSpec:
    """A kind of register: what the engine needs to import, list and export it."""

    kind: str  # plural, as the command line names it: "controls"
    singular: str  # "control"
    title: str  # "Import controls"
    fields: tuple[Field, ...]
    key: str  # the field identifying a record
    label: str  # the field saying what a record is
    natural_key: tuple[str, ...]  # the fields a generated ID is made from when a row has no ID
    id_prefix: str  # generated IDs start with it: "CTL-"
    missing_label: str  # "has no title"
    records: Records
    sheet_hint: re.Pattern[str]  # names of sheets likely to hold this kind
    sheet_avoid: re.Pattern[str] | None = None  # names of sheets holding another kind
    sheet_weights: Mapping[str, float] = field(default_factory=dict)  # fields whose presence marks the sheet
    fallback_credit: float = 1.0  # how much a label taken from its fallback column counts for the sheet
    distinctive: tuple[str, ...] = ()  # fields only this kind has: their headers mark another kind's sheet
    pick_order: tuple[str, ...] = ()  # the order in which fields choose their column, most telling first
    label_fallback: str | None = None  # the field that stands in for the label when no column names it
    generic: frozenset[str] = frozenset()  # synonyms that name a field only as the whole header
    aliases: Mapping[str, str] = field(default_factory=dict)  # other names of fields in --map
    merge_repeats: bool = False  # a key seen again merges its criteria (crosswalks) instead of being ignored
    # Rows need no ID: one without is the record whose natural key reads the same, else gets an ID made from it.
    keyless: bool = False
    preview: tuple[str, ...] = ()  # fields the wizard's preview shows besides key and label
    link_fields: tuple[str, ...] = ()  # fields linking another record, counted in the result ("control_links")
    details: tuple[Detail, ...] = ()
    json_path: str = "[]"  # where a JSON document holds the rows (json_rows.py)
    texts: Mapping[str, str] = field(default_factory=dict)  # the wizard's words for this kind (wizard_texts)
    touches: Touched = Touched.NOTHING  # what an import of this kind changes (the pages that show it reload)
    # What the kind adds to the result document: (uow, plan, what remember() kept or None on a dry run) -> keys.
    summary: Callable[[UnitOfWork, Any, Any], dict[str, Any]] | None = None
    # A kind that reads its own files (a tool's report, its format known by content): path -> the engine's Table.
    reader: Callable[[Path], Any] | None = None

    def field(self, name: str) -> Field:
        """Return the field of this name (KeyError when there is none)."""
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Return the field names in the kind's order."""
        return tuple(f.name for f in self.fields)

    @property
    def date_fields(self) -> tuple[str, ...]:
        """Return the fields holding dates (whose order of day and month a file may leave open)."""
        return tuple(f.name for f in self.fields if f.type is FieldType.DATE)

    def field_name(self, text: str) -> str | None:
        """Return the field a user named in --map (a name or an alias), or None."""
        key = text.strip().lower().replace(" ", "_").replace("-", "_")
        key = self.aliases.get(key, key)
        return key if key in self.names else None


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the user said about an import besides the column mapping."""

    day_first: bool | None = None
    generate_ids: bool = False
    details: tuple[tuple[str, str], ...] = ()


NO_OPTIONS = ImportOptions()
