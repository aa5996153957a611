"""Step-by-step import for an interactive wizard: inspect a workbook, load a table, plan, apply and undo.

The wizard imports one of two kinds of table: a control register or an auditor's request list (PBC). An
ImportKind names the services that differ between them; everything else here is shared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.domain.import_values import AmbiguousDateError, parse_date
from workbench.services.importers.engine import (
    ImportCancelled,
    Problem,
    Progress,
    TablePlan,
    apply_plan,
    choose_mapping,
    plan_table,
    revert_plan,
)
from workbench.services.importers.mapping import FIELDS
from workbench.services.importers.readers import Cell, Workbook, open_workbook
from workbench.services.importers.requests import (
    REQUEST_FIELDS,
    RequestImportPlan,
    apply_request_plan,
    choose_request_mapping,
    find_request_table,
    plan_request_table,
    request_header_row,
    revert_request_plan,
)
from workbench.services.importers.table import Table, column_letter, find_header_row, find_table, is_side_sheet
from workbench.services.session import OpenProject
from workbench.store import UnitOfWork

PREVIEW_ROWS = 30



def _plan_controls(uow: UnitOfWork, table: Table, mapping: dict[str, int], source: str, day_first: bool | None,
                   progress: Progress | None) -> TablePlan:
    return plan_table(uow, table, mapping, source, progress)


def _plan_requests(uow: UnitOfWork, table: Table, mapping: dict[str, int], source: str, day_first: bool | None,
                   progress: Progress | None) -> TablePlan:
    return plan_request_table(uow, table, mapping, source, day_first=day_first, progress=progress)


def _apply_controls(project: OpenProject, plan: Any, table: Table | None, progress: Progress | None) -> dict[str, Any]:
    return apply_plan(project, plan, progress)


@dataclass(frozen=True, slots=True)
class ImportKind:
    """What the wizard imports, and the services that find, map, plan, write and undo that kind of table."""

    name: str  # "controls" | "requests"
    noun: str  # "control" | "request": a row of the table
    fields: tuple[str, ...]
    label_field: str  # the required field besides "ref"
    missing_label: str  # how sort_rows says a row lacks its label field
    date_field: str | None  # the field whose text dates may read two ways (the user is asked which)
    find_table: Callable[[Workbook, str | None, int | None], Table]
    header_row: Callable[[list[list[Cell]]], int | None]
    choose_mapping: Callable[[UnitOfWork, Table, Sequence[tuple[str, str]], str], dict[str, int]]
    plan: Callable[[UnitOfWork, Table, dict[str, int], str, bool | None, Progress | None], TablePlan]
    apply: Callable[[OpenProject, Any, Table | None, Progress | None], dict[str, Any]]
    revert: Callable[[OpenProject, Any], None]


CONTROLS = ImportKind("controls", "control", FIELDS, "title", "has no title", None, find_table, find_header_row,
                      choose_mapping, _plan_controls, _apply_controls, revert_plan)
REQUESTS = ImportKind("requests", "request", REQUEST_FIELDS, "item", "does not say what is requested", "due",
                      find_request_table, request_header_row, choose_request_mapping, _plan_requests,
                      apply_request_plan, revert_request_plan)


def kind_of(plan: TablePlan) -> ImportKind:
    """Return the kind of import a plan belongs to."""
    return REQUESTS if isinstance(plan, RequestImportPlan) else CONTROLS


@dataclass(frozen=True, slots=True)
class SheetChoice:
    """One sheet as the wizard lists it: its name, and why it is probably not the register."""

    name: str
    visible: bool
    side: bool  # named like a cover, dashboard or list sheet

    @property
    def note(self) -> str:
        """Return "hidden", "cover or list sheet", or ""."""
        if not self.visible:
            return "hidden"
        return "cover or list sheet" if self.side else ""


@dataclass(frozen=True, slots=True)
class SheetPreview:
    """The first rows of one sheet and the row most like its header (1-based; 0 when none was found)."""

    sheet: str
    rows: list[list[Cell]]
    header_row: int
    total_rows: int


@dataclass(frozen=True, slots=True)
class WorkbookPreview:
    """A workbook's sheets, the sheet guessed to hold the register, and a preview of that sheet."""

    path: Path
    sheets: list[SheetChoice]
    guessed: SheetPreview


@dataclass(frozen=True, slots=True)
class AmbiguousDates:
    """Dates of one column that read as two different days, with one of them read both ways."""

    count: int
    example: str
    day_first: date  # the example read day first
    month_first: date  # the example read month first


@dataclass(frozen=True, slots=True)
class PlanPreview:
    """The plan of a table under a column mapping, or why it cannot be planned yet."""

    headers: list[str]
    mapping: dict[str, int]
    plan: TablePlan | None
    message: str = ""
    ambiguous: AmbiguousDates | None = None  # dates the user has to say the order of (request lists only)


def _sheet_preview(sheet: str, rows: list[list[Cell]], header_row: int | None, kind: ImportKind) -> SheetPreview:
    if header_row is None:
        found = kind.header_row(rows)
        header_row = found + 1 if found is not None else 0
    return SheetPreview(sheet, [list(r) for r in rows[:PREVIEW_ROWS]], header_row, len(rows))


def inspect_workbook(path: Path | str, kind: ImportKind = CONTROLS) -> WorkbookPreview:
    """Open a workbook; return its sheets and the guessed sheet of this kind with its header row and first rows."""
    path = Path(path)
    with open_workbook(path) as workbook:
        table = kind.find_table(workbook, None, None)
        sheets = [SheetChoice(s.name, s.visible, is_side_sheet(s.name)) for s in workbook.sheets]
        guessed = _sheet_preview(table.sheet, workbook.rows(table.sheet), table.header_row, kind)
    return WorkbookPreview(path, sheets, guessed)


def preview_sheet(path: Path | str, sheet: str, kind: ImportKind = CONTROLS) -> SheetPreview:
    """Return the first rows of a sheet and the row most like its header."""
    with open_workbook(path) as workbook:
        if sheet not in {s.name for s in workbook.sheets}:
            raise WorkbenchError(str(path), f"has no sheet named {sheet!r}")
        return _sheet_preview(sheet, workbook.rows(sheet), None, kind)


def load_table(path: Path | str, sheet: str, header_row: int) -> Table:
    """Return the table of a sheet whose header sits at this 1-based row."""
    with open_workbook(path) as workbook:
        return find_table(workbook, sheet, header_row)


def guessed_mapping(project: OpenProject, table: Table, source: str, kind: ImportKind = CONTROLS) -> dict[str, int]:
    """Return the mapping remembered for this header layout, else the one guessed from headers and data."""
    with project.uow() as uow:
        return kind.choose_mapping(uow, table, (), source)


def ambiguous_dates(table: Table, column: int) -> AmbiguousDates | None:
    """Return the dates of a column whose day and month can be swapped, or None when every date is clear."""
    count, example = 0, None
    for _number, row in table.data():
        value = row[column] if column < len(row) else None
        if not isinstance(value, str):
            continue  # real dates and serials say their own order
        try:
            parse_date(value)
        except AmbiguousDateError:
            count += 1
            example = example or value.strip()
        except ValueError:
            continue
    if example is None:
        return None
    return AmbiguousDates(count, example, _read(example, day_first=True), _read(example, day_first=False))


def _read(text: str, *, day_first: bool) -> date:
    found = parse_date(text, day_first=day_first)
    assert found is not None
    return found


def plan_import(project: OpenProject, table: Table, mapping: Mapping[str, int], source: str,
                progress: Progress | None = None, *, kind: ImportKind = CONTROLS,
                day_first: bool | None = None) -> PlanPreview:
    """Plan every row of the table under this mapping; a mapping that cannot be planned gives its message.

    Ambiguous dates are read in the order `day_first` gives; with None they stay unread (a warning on their row)
    and the preview says how many there are, so that the wizard can ask.
    """
    chosen = {name: index for name, index in mapping.items()
              if name in kind.fields and 0 <= index < len(table.headers)}
    ambiguous = None
    if kind.date_field is not None and kind.date_field in chosen:
        ambiguous = ambiguous_dates(table, chosen[kind.date_field])
    with project.uow() as uow:
        try:
            plan = kind.plan(uow, table, chosen, source, day_first, progress)
        except ImportCancelled:
            raise
        except WorkbenchError as exc:
            return PlanPreview(table.headers, chosen, None, str(exc), ambiguous)
    return PlanPreview(table.headers, chosen, plan, "", ambiguous)


def apply_import(project: OpenProject, plan: TablePlan, table: Table | None = None,
                 progress: Progress | None = None) -> dict[str, Any]:
    """Write a previewed plan of either kind in one transaction; return the result document."""
    return kind_of(plan).apply(project, plan, table, progress)


def revert_import(project: OpenProject, plan: TablePlan) -> None:
    """Undo an applied plan of either kind in one transaction."""
    kind_of(plan).revert(project, plan)


def problem_field(problem: Problem, kind: ImportKind = CONTROLS) -> str:
    """Return the field a problem is about ("criteria", "ref", ...), or "" when it concerns the whole row."""
    head, _, _ = problem.message.partition(":")
    if head in kind.fields:
        return head
    if problem.message.startswith(f"no {kind.noun} ID") or "already appears on row" in problem.message:
        return "ref"
    if f" {kind.missing_label}" in problem.message:
        return kind.label_field
    return ""


def problem_column(plan: TablePlan, problem: Problem) -> str:
    """Return the column a problem is about as "F · TSC Ref(s)", or "" when it concerns the whole row."""
    name = problem_field(problem, kind_of(plan))
    if not name or name not in plan.mapping:
        return ""
    index = plan.mapping[name]
    return f"{column_letter(index)} · {plan.columns[name]}"
