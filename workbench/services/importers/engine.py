"""Importing a control register: plan every row (create / update / unchanged / skip / problem), then write it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from workbench.domain.criteria_cells import parse_criteria_cell
from workbench.domain.entities import Control, ControlDraft
from workbench.domain.enums import ControlStatus
from workbench.domain.errors import WorkbenchError
from workbench.domain.import_values import (
    cell_text,
    identifier_problem,
    looks_like_formula,
    parse_frequency,
    parse_nature,
    parse_status,
    shown_identifier,
)
from workbench.services.controls import REF_MAX_LENGTH, draft_of
from workbench.services.importers.mapping import (
    FIELDS,
    apply_overrides,
    decode_mapping,
    display_header,
    encode_mapping,
    guess_mapping,
    layout_key,
    missing_column,
)
from workbench.services.importers.readers import Cell, open_workbook
from workbench.services.importers.table import Table, blank, column_letter, filled_count, find_table, samples
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

Progress = Callable[[int, int], bool]
PROGRESS_EVERY = 500
WRITE_BATCH = 1000  # controls written per flush: large enough to be quick, small enough to cancel often
CREATE, UPDATE, UNCHANGED, SKIP, PROBLEM = "create", "update", "unchanged", "skip", "problem"


class ImportCancelled(WorkbenchError):
    """The user stopped the import; nothing was written."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something to tell the user about one spreadsheet row."""

    row: int
    level: str  # "error" | "warning"
    message: str


@dataclass(frozen=True, slots=True)
class RowPlan:
    """What the import does with one row, and why."""

    row: int
    action: str
    ref: str = ""
    reason: str = ""
    draft: ControlDraft | None = None
    previous: ControlDraft | None = None  # for an update: the control as it was, so the import can be undone


@dataclass
class TablePlan:
    """The whole preview of an import: where the table is, how columns map, and every row's fate."""

    FIELD_ORDER: ClassVar[tuple[str, ...]] = ()

    source: str
    sheet: str
    header_row: int
    headers: list[str]
    mapping: dict[str, int]
    rows: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def columns(self) -> dict[str, str]:
        """Return {field: header} in field order."""
        return {f: display_header(self.headers[self.mapping[f]]) for f in self.FIELD_ORDER if f in self.mapping}

    def count(self, action: str) -> int:
        """Return how many rows get this action."""
        return sum(1 for r in self.rows if r.action == action)

    def links(self) -> dict[str, int]:
        """Return the counts of links the written rows carry, by key of the result document."""
        return {}

    def document(self, *, dry_run: bool) -> dict[str, Any]:
        """Return the result document of DESIGN.md section 6 (plus the per-row preview on a dry run)."""
        doc: dict[str, Any] = {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": self.columns,
            "rows": len(self.rows),
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "skipped": self.count(SKIP) + self.count(PROBLEM),
            **self.links(),
            "problems": [{"row": p.row, "level": p.level, "message": p.message} for p in self.problems],
            "dry_run": dry_run,
        }
        if dry_run:
            doc["preview"] = [{"row": r.row, "action": r.action, "ref": r.ref, "reason": r.reason} for r in self.rows]
        return doc


@dataclass
class ImportPlan(TablePlan):
    """The plan of a control-register import."""

    FIELD_ORDER: ClassVar[tuple[str, ...]] = FIELDS

    @property
    def criteria_links(self) -> int:
        """Return how many control-to-criterion links the created and updated rows carry."""
        return sum(len(r.draft.criteria) for r in self.rows if r.draft is not None and r.action in (CREATE, UPDATE))

    def links(self) -> dict[str, int]:
        """Return the criteria links the created and updated controls carry."""
        return {"criteria_links": self.criteria_links}


def field_text(row: Sequence[Cell], mapping: Mapping[str, int], name: str) -> str:
    """Return the trimmed text of a mapped field in a row ('' when unmapped or empty)."""
    index = mapping.get(name)
    if index is None or index >= len(row):
        return ""
    value = row[index]
    if value.__class__ is str:  # the common case, kept quick: registers are mostly text
        return value.strip()
    return "" if blank(value) else cell_text(value).strip()


class _Readers:
    """Cell parsers that remember their answers: registers repeat the same few values thousands of times."""

    def __init__(self, known: frozenset[str]) -> None:
        self.known = known
        self._cache: dict[tuple[str, str], Any] = {}
        self._parsers: dict[str, Callable[[str], Any]] = {
            "frequency": parse_frequency, "nature": parse_nature, "status": parse_status,
        }

    def value(self, name: str, text: str) -> tuple[Any, str | None]:
        """Return (parsed value or None, error message or None) for a frequency, nature or status cell."""
        key = (name, text)
        if key not in self._cache:
            try:
                self._cache[key] = (self._parsers[name](text), None)
            except ValueError as exc:
                self._cache[key] = (None, str(exc))
        return self._cache[key]

    def criteria(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Return (sorted criterion ids, warnings) for a criteria cell."""
        key = ("criteria", text)
        if key not in self._cache:
            found, warnings = parse_criteria_cell(text, self.known)
            self._cache[key] = (tuple(sorted(found)), warnings)
        return self._cache[key]


_TEXT_FIELDS = ("ref", "title", "description", "owner", "notes")


def row_texts(row: Sequence[Cell], columns: Sequence[tuple[str, int]]) -> dict[str, str]:
    """Return {field: trimmed text} for the mapped columns of a row, in one pass (see field_text)."""
    width = len(row)
    texts: dict[str, str] = {}
    for name, index in columns:
        value = row[index] if index < width else None
        if value.__class__ is str:
            texts[name] = value.strip()
        else:
            texts[name] = "" if blank(value) else cell_text(value).strip()
    return texts


def _draft_from_row(number: int, row: Sequence[Cell], columns: Sequence[tuple[str, int]], readers: _Readers,
                    existing: Control | None, problems: list[Problem]) -> ControlDraft:
    """Build the draft a row asks for; fields the file does not map keep the existing control's values."""
    texts = row_texts(row, columns)
    values: dict[str, Any] = {name: texts.get(name, "") for name in _TEXT_FIELDS
                              if name in texts or name in ("ref", "title")}
    for name in ("frequency", "nature", "status"):
        if name not in texts:
            continue
        parsed, error = readers.value(name, texts[name])
        if error is not None:
            left = "not started" if name == "status" else "unset"
            problems.append(Problem(number, "warning", f"{name}: {error}; left {left}"))
        values[name] = parsed if parsed is not None or name != "status" else ControlStatus.NOT_STARTED
    if "criteria" in texts:
        criteria, warnings = readers.criteria(texts["criteria"])
        if warnings:
            problems.extend(Problem(number, "warning", f"criteria: {w}") for w in warnings)
        values["criteria"] = criteria
    if existing is None:
        return ControlDraft(**values)
    return replace(ControlDraft(
        ref=existing.ref, title=existing.title, description=existing.description, owner=existing.owner,
        frequency=existing.frequency, nature=existing.nature, status=existing.status, notes=existing.notes,
        criteria=existing.criteria,
    ), **values)


def _same(control: Control, draft: ControlDraft) -> bool:
    return (control.ref, control.title, control.description, control.owner, control.frequency, control.nature,
            control.status, control.notes, tuple(sorted(control.criteria))) == (
        draft.ref, draft.title, draft.description, draft.owner, draft.frequency, draft.nature, draft.status,
        draft.notes, tuple(sorted(draft.criteria)))


KEEP = "keep"


@dataclass(frozen=True, slots=True)
class RowKinds:
    """How a register names its rows: the key field, the label field, and the words for messages."""

    key: str
    label: str
    noun: str
    missing_label: str


def column_named(table: Table, index: int) -> str:
    """Return how a message names a column: "column A ('Control ID')"."""
    header = display_header(table.headers[index]) if index < len(table.headers) else ""
    return f"column {column_letter(index)} ({header!r})"


_ID_LIKE = re.compile(r"^[^\s]{1,40}$")


def _lone_key(text: str) -> bool:
    """Return True for a lone value in the key column that is an ID (no spaces, a digit), not a heading."""
    return _ID_LIKE.match(text) is not None and any(c.isdigit() for c in text)


class KeyIndex:
    """The keys a project already holds, found as written or else regardless of case (the first spelling wins)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._exact: set[str] = set()
        self._folded: dict[str, str] = {}
        for key in keys:
            self._exact.add(key)
            self._folded.setdefault(key.casefold(), key)

    def find(self, key: str) -> str | None:
        """Return the stored spelling of a key, or None when the project has no such key in any case."""
        if key in self._exact:
            return key
        return self._folded.get(key.casefold())


def stored_key(index: KeyIndex, number: int, key: str, noun: str, problems: list[Problem]) -> str:
    """Return the project's spelling of a row's key, warning when the row writes it in another case."""
    stored = index.find(key)
    if stored is None or stored == key:
        return key
    problems.append(Problem(number, "warning", f"ref: {key} is the project's {noun} {stored} (IDs that differ only "
                                               f"in case are one {noun}); it keeps the spelling {stored}"))
    return stored


def sort_rows(table: Table, mapping: dict[str, int], source: str, problems: list[Problem], kinds: RowKinds,
              progress: Progress | None = None) -> Iterator[tuple[int, str, str, str, Sequence[Cell]]]:
    """Yield (row number, action, key, reason, cells) for each data row, recording the rows' problems.

    Blank rows are passed over; a lone label is a section heading (SKIP), but a lone ID or formula is not; a row
    without key or label, or whose key holds control, line-break or invisible characters, is a PROBLEM; a key seen
    before, in any case, is a SKIP with a warning; every other row comes out as KEEP, for the caller.
    """
    seen: dict[str, tuple[int, str]] = {}
    data = table.data()
    total = len(data)
    key_column = column_named(table, mapping[kinds.key]) if kinds.key in mapping else ""
    for done, (number, row) in enumerate(data, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0 and not progress(done, total * 2):
            raise ImportCancelled(source, "the import was cancelled; nothing was changed")
        filled = filled_count(row)
        if filled == 0:
            continue
        key, label = field_text(row, mapping, kinds.key), field_text(row, mapping, kinds.label)
        if filled == 1 and not (key and _lone_key(key)):
            lone = next(cell_text(c).strip() for c in row if not blank(c))
            if not looks_like_formula(lone):
                yield number, SKIP, "", f"section heading {lone[:60]!r}", row
                continue
        if not key:
            message = f"no {kinds.noun} ID in this row" + (f" ({kinds.label} {label[:40]!r})" if label else "")
            problems.append(Problem(number, "error", message))
            yield number, PROBLEM, "", message, row
            continue
        why = identifier_problem(key)
        if why is None and looks_like_formula(key):
            why = "is a formula the spreadsheet never computed"
        if why is not None:
            message = f"{kinds.key}: the {kinds.noun} ID '{shown_identifier(key)[:60]}' in {key_column} {why}; " \
                      "correct the cell"
            problems.append(Problem(number, "error", message))
            yield number, PROBLEM, "", message, row
            continue
        if len(key) > REF_MAX_LENGTH:
            message = f"the {kinds.noun} ID {key[:40]!r}... is longer than {REF_MAX_LENGTH} characters"
            problems.append(Problem(number, "error", message))
            yield number, PROBLEM, "", message, row
            continue
        folded = key.casefold()
        if folded in seen:
            first_row, first = seen[folded]
            message = f"{kinds.noun} {key} already appears on row {first_row}; this later row is ignored"
            if first != key:
                message = (f"{kinds.noun} {key} already appears on row {first_row} as {first} (IDs that differ only "
                           f"in case are one {kinds.noun}); this later row is ignored")
            problems.append(Problem(number, "warning", message))
            yield number, SKIP, key, message, row
            continue
        seen[folded] = (number, key)
        if not label:
            message = f"{kinds.noun} {key} {kinds.missing_label}"
            if filled == 1:
                message += (" and its row holds nothing else (a formula the spreadsheet never computed reads as "
                            "empty: open and save the file in Excel or LibreOffice, then import it again)")
            problems.append(Problem(number, "error", message))
            yield number, PROBLEM, key, message, row
            continue
        if looks_like_formula(label):
            problems.append(Problem(number, "warning", f"{kinds.label}: {label[:60]!r} is a formula the spreadsheet "
                                                       "never computed; imported as its text"))
        yield number, KEEP, key, "", row


def plan_table(uow: UnitOfWork, table: Table, mapping: dict[str, int], source: str,
               progress: Progress | None = None) -> ImportPlan:
    """Return the plan for every data row of the table under this column mapping."""
    if "ref" not in mapping:
        raise missing_column(source, table.sheet, table.headers, "the control ID", "ref")
    if "title" not in mapping:
        raise missing_column(source, table.sheet, table.headers, "the control title", "title")
    plan = ImportPlan(source, table.sheet, table.header_row, table.headers, mapping)
    readers = _Readers(frozenset(c.id for c in uow.criteria.catalog().criteria))
    columns = tuple(mapping.items())
    existing = {c.ref: c for c in uow.controls.list()}
    index = KeyIndex(existing)
    for number, action, ref, reason, row in sort_rows(table, mapping, source, plan.problems, RowKinds(
        key="ref", label="title", noun="control", missing_label="has no title"), progress):
        if action != KEEP:
            plan.rows.append(RowPlan(number, action, ref, reason))
            continue
        ref = stored_key(index, number, ref, "control", plan.problems)
        current = existing.get(ref)
        draft = replace(_draft_from_row(number, row, columns, readers, current, plan.problems), ref=ref)
        if current is None:
            plan.rows.append(RowPlan(number, CREATE, ref, "new control", draft))
        elif _same(current, draft):
            plan.rows.append(RowPlan(number, UNCHANGED, ref, "already up to date", draft))
        else:
            plan.rows.append(RowPlan(number, UPDATE, ref, "fields differ from the project's control", draft,
                                     draft_of(current)))
    return plan


def choose_mapping(uow: UnitOfWork, table: Table, overrides: Sequence[tuple[str, str]], source: str) -> dict[str, int]:
    """Return the column mapping: remembered for this layout, else guessed; then the user's overrides."""
    remembered = decode_mapping(uow.meta.get(layout_key(table.headers)), table.headers)
    if remembered is not None:
        mapping = remembered
    else:
        mapping = guess_mapping(table.headers, samples(table.rows, table.header_row, len(table.headers)))
    return apply_overrides(mapping, table.headers, overrides, source)


def write_plan(uow: UnitOfWork, plan: ImportPlan, progress: Progress | None = None) -> None:
    """Apply the planned creates and updates inside the unit of work (the caller commits), in batches."""
    work = [r for r in plan.rows if r.action in (CREATE, UPDATE) and r.draft is not None]
    total = len(work)
    base = len(plan.rows)
    for start in range(0, total, WRITE_BATCH):
        batch = work[start:start + WRITE_BATCH]
        uow.controls.add_many([r.draft for r in batch if r.action == CREATE and r.draft is not None])
        uow.controls.replace_many([(r.ref, r.draft) for r in batch if r.action == UPDATE and r.draft is not None])
        if progress is not None and not progress(base + start + len(batch), base + total):
            raise ImportCancelled(plan.source, "the import was cancelled; nothing was changed")


def apply_plan(project: OpenProject, plan: ImportPlan, progress: Progress | None = None) -> dict[str, Any]:
    """Write a plan made earlier (a preview the user accepted) in one transaction; return the result."""
    with project.uow() as uow:
        write_plan(uow, plan, progress)
        uow.meta.set(layout_key(plan.headers), encode_mapping(plan.mapping, plan.headers))
        uow.commit()
    return plan.document(dry_run=False)


def revert_plan(project: OpenProject, plan: ImportPlan) -> None:
    """Undo an applied plan in one transaction: remove the controls it created, restore those it updated.

    A created control that has gained evidence since is not removed silently: the undo is refused.
    """
    created = [r.ref for r in plan.rows if r.action == CREATE]
    restored = [(r.ref, r.previous) for r in plan.rows if r.action == UPDATE and r.previous is not None]
    with project.uow() as uow:
        with_evidence = uow.controls.evidence_counts()
        kept = [ref for ref in created if with_evidence.get(ref)]
        if kept:
            raise WorkbenchError(plan.source, f"cannot undo the import: {', '.join(kept[:5])} now have evidence; "
                                              "remove that evidence first")
        for ref in created:
            uow.controls.remove(ref)
        uow.controls.replace_many(restored)
        uow.commit()


def import_controls(project: OpenProject, source: Path | str, *, sheet: str | None = None,
                    header_row: int | None = None, overrides: Sequence[tuple[str, str]] = (),
                    dry_run: bool = False, progress: Progress | None = None,
                    table: Table | None = None) -> dict[str, Any]:
    """Import a control register into the project in one transaction (or only preview it); return the result.

    `table` is the register's table when the caller has already read it (see background.TableReader).
    """
    source = Path(source)
    if table is None:
        with open_workbook(source) as workbook:
            table = find_table(workbook, sheet, header_row)
    with project.uow() as uow:
        mapping = choose_mapping(uow, table, overrides, str(source))
        plan = plan_table(uow, table, mapping, str(source), progress)
    document = plan.document(dry_run=True) if dry_run else apply_plan(project, plan, progress)
    if progress is not None:
        progress(1, 1)
    return document
