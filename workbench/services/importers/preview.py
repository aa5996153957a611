"""Step-by-step import for an interactive wizard: inspect a file, load a table, plan, apply and undo, for any kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbench.domain.errors import WorkbenchError
from workbench.domain.import_values import AmbiguousDateError, parse_date
from workbench.services.changes import Change
from workbench.services.importers.engine import Applied, apply_plan, choose_mapping, revert_import
from workbench.services.importers.json_rows import is_json
from workbench.services.importers.kinds import SPECS
from workbench.services.importers.plan import Plan, plan_table
from workbench.services.importers.readers import Cell, open_workbook
from workbench.services.importers.sources import read_table
from workbench.services.importers.spec import (
    NO_OPTIONS,
    ImportCancelled,
    ImportOptions,
    Problem,
    Progress,
    RegisterSpec,
)
from workbench.services.importers.table import Table, column_letter, find_header_row, find_table, is_side_sheet
from workbench.services.session import OpenProject

__all__ = ["Applied", "apply_import", "is_side_sheet", "revert_import"]

PREVIEW_ROWS = 30


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
    """A file's sheets, the sheet guessed to hold the register, and a preview of that sheet.

    A JSON document shows as one sheet named "" whose first row holds the records' keys.
    """

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
    plan: Plan | None
    message: str = ""
    ambiguous: AmbiguousDates | None = None  # dates the user has to say the order of


def _sheet_preview(spec: RegisterSpec, sheet: str, rows: list[list[Cell]], header_row: int | None) -> SheetPreview:
    if header_row is None:
        found = find_header_row(spec, rows)
        header_row = found + 1 if found is not None else 0
    return SheetPreview(sheet, [list(r) for r in rows[:PREVIEW_ROWS]], header_row, len(rows))


def inspect_workbook(path: Path | str, spec: RegisterSpec) -> WorkbookPreview:
    """Open a file; return its sheets and the guessed sheet of this kind with its header row and first rows."""
    path = Path(path)
    if is_json(path):
        table = read_table(path, spec)
        rows = [list(table.headers), *table.rows]
        return WorkbookPreview(path, [SheetChoice("", True, False)], SheetPreview("", rows[:PREVIEW_ROWS], 1,
                                                                                  len(rows)))
    with open_workbook(path) as workbook:
        table = find_table(workbook, spec, rivals=SPECS)
        sheets = [SheetChoice(s.name, s.visible, is_side_sheet(s.name, spec)) for s in workbook.sheets]
        guessed = _sheet_preview(spec, table.sheet, workbook.rows(table.sheet), table.header_row)
    return WorkbookPreview(path, sheets, guessed)


def preview_sheet(path: Path | str, sheet: str, spec: RegisterSpec) -> SheetPreview:
    """Return the first rows of a sheet and the row most like this kind's header."""
    with open_workbook(path) as workbook:
        if sheet not in {s.name for s in workbook.sheets}:
            raise WorkbenchError(str(path), f"has no sheet named {sheet!r}")
        return _sheet_preview(spec, sheet, workbook.rows(sheet), None)


def load_table(path: Path | str, sheet: str, header_row: int, spec: RegisterSpec) -> Table:
    """Return the table of a sheet whose header sits at this 1-based row (a JSON document's records)."""
    return read_table(path, spec) if is_json(path) else read_table(path, spec, sheet, header_row)


def guessed_mapping(project: OpenProject, table: Table, source: str, spec: RegisterSpec) -> dict[str, int]:
    """Return the mapping remembered for this header layout, else the one guessed from headers and data."""
    with project.uow() as uow:
        return choose_mapping(uow, spec, table, (), source)


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


def plan_import(project: OpenProject, table: Table, mapping: Mapping[str, int], source: str, spec: RegisterSpec,
                progress: Progress | None = None, *, options: ImportOptions = NO_OPTIONS) -> PlanPreview:
    """Plan every row of the table under this mapping; a mapping that cannot be planned gives its message.

    Ambiguous dates are read in the order options.day_first gives; with None they stay unread (a warning on their
    row) and the preview says how many there are, so that the wizard can ask.
    """
    chosen = {name: index for name, index in mapping.items()
              if name in spec.names and 0 <= index < len(table.headers)}
    ambiguous = None
    for name in spec.date_fields:
        if name in chosen and ambiguous is None:
            ambiguous = ambiguous_dates(table, chosen[name])
    with project.uow() as uow:
        try:
            plan = plan_table(uow, spec, table, chosen, source, options, progress)
        except ImportCancelled:
            raise
        except WorkbenchError as exc:
            return PlanPreview(table.headers, chosen, None, str(exc), ambiguous)
    return PlanPreview(table.headers, chosen, plan, "", ambiguous)


def apply_import(project: OpenProject, plan: Plan, progress: Progress | None = None) -> Change[Applied]:
    """Write a previewed plan in one transaction (refused when the project changed since); see apply_plan."""
    return apply_plan(project, plan, progress)


def problem_column(plan: Plan, problem: Problem) -> str:
    """Return the column a problem is about as "F · TSC Ref(s)", or "" when it concerns the whole row."""
    if not problem.field or problem.field not in plan.mapping:
        return ""
    return f"{column_letter(plan.mapping[problem.field])} · {plan.columns[problem.field]}"

