"""Step-by-step import for an interactive wizard: inspect a workbook, load a table, plan, apply and undo."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.engine import (
    ImportCancelled,
    ImportPlan,
    Problem,
    Progress,
    choose_mapping,
    plan_table,
)
from workbench.services.importers.mapping import FIELDS
from workbench.services.importers.readers import Cell, open_workbook
from workbench.services.importers.table import Table, column_letter, find_header_row, find_table, is_side_sheet
from workbench.services.session import OpenProject

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
    """A workbook's sheets, the sheet guessed to hold the register, and a preview of that sheet."""

    path: Path
    sheets: list[SheetChoice]
    guessed: SheetPreview


@dataclass(frozen=True, slots=True)
class PlanPreview:
    """The plan of a table under a column mapping, or why it cannot be planned yet."""

    headers: list[str]
    mapping: dict[str, int]
    plan: ImportPlan | None
    message: str = ""


def _sheet_preview(sheet: str, rows: list[list[Cell]], header_row: int | None) -> SheetPreview:
    if header_row is None:
        found = find_header_row(rows)
        header_row = found + 1 if found is not None else 0
    return SheetPreview(sheet, [list(r) for r in rows[:PREVIEW_ROWS]], header_row, len(rows))


def inspect_workbook(path: Path | str) -> WorkbookPreview:
    """Open a workbook; return its sheets and the guessed register sheet with its header row and first rows."""
    path = Path(path)
    with open_workbook(path) as workbook:
        table = find_table(workbook)
        sheets = [SheetChoice(s.name, s.visible, is_side_sheet(s.name)) for s in workbook.sheets]
        guessed = _sheet_preview(table.sheet, workbook.rows(table.sheet), table.header_row)
    return WorkbookPreview(path, sheets, guessed)


def preview_sheet(path: Path | str, sheet: str) -> SheetPreview:
    """Return the first rows of a sheet and the row most like its header."""
    with open_workbook(path) as workbook:
        if sheet not in {s.name for s in workbook.sheets}:
            raise WorkbenchError(str(path), f"has no sheet named {sheet!r}")
        return _sheet_preview(sheet, workbook.rows(sheet), None)


def load_table(path: Path | str, sheet: str, header_row: int) -> Table:
    """Return the table of a sheet whose header sits at this 1-based row."""
    with open_workbook(path) as workbook:
        return find_table(workbook, sheet, header_row)


def guessed_mapping(project: OpenProject, table: Table, source: str) -> dict[str, int]:
    """Return the mapping remembered for this header layout, else the one guessed from headers and data."""
    with project.uow() as uow:
        return choose_mapping(uow, table, (), source)


def plan_import(project: OpenProject, table: Table, mapping: Mapping[str, int], source: str,
                progress: Progress | None = None) -> PlanPreview:
    """Plan every row of the table under this mapping; a mapping that cannot be planned gives its message."""
    chosen = {name: index for name, index in mapping.items() if name in FIELDS and 0 <= index < len(table.headers)}
    with project.uow() as uow:
        try:
            plan = plan_table(uow, table, chosen, source, progress)
        except ImportCancelled:
            raise
        except WorkbenchError as exc:
            return PlanPreview(table.headers, chosen, None, str(exc))
    return PlanPreview(table.headers, chosen, plan)


def problem_field(problem: Problem) -> str:
    """Return the field a problem is about ("criteria", "ref", ...), or "" when it concerns the whole row."""
    head, _, _ = problem.message.partition(":")
    if head in FIELDS:
        return head
    if problem.message.startswith("no control ID") or "already appears on row" in problem.message:
        return "ref"
    if problem.message.endswith("has no title"):
        return "title"
    return ""


def problem_column(plan: ImportPlan, problem: Problem) -> str:
    """Return the column a problem is about as "F · TSC Ref(s)", or "" when it concerns the whole row."""
    name = problem_field(problem)
    if not name or name not in plan.mapping:
        return ""
    index = plan.mapping[name]
    return f"{column_letter(index)} · {plan.columns[name]}"
