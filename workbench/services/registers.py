"""A kind of register read out of a project: listed as field values, or exported with its fields as columns."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.services.exports.chain_head import chain_head_of
from workbench.services.exports.output import Progress
from workbench.services.exports.table_file import write_table_file
from workbench.services.importers.spec import FieldType, RegisterSpec
from workbench.services.session import OpenProject

EXPORT_SUFFIXES = (".xlsx", ".csv")


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def list_register(project: OpenProject, spec: RegisterSpec) -> list[dict[str, Any]]:
    """Return the project's records of this kind as {field: value} (lists, ISO dates, enum values)."""
    with project.uow() as uow:
        records = spec.records.listing(uow)
    return [{name: _plain(value) for name, value in spec.records.values(r).items()} for r in records]


def register_cell(value: Any, kind: FieldType) -> object:
    """Return a field's value as a spreadsheet cell shows it: lists joined, choices by their label."""
    if kind is FieldType.CRITERIA or isinstance(value, tuple):
        return ", ".join(value or ())
    if isinstance(value, Enum):
        return getattr(value, "label", value.value)
    return value


def export_register(project: OpenProject, spec: RegisterSpec, destination: Path | str,
                    progress: Progress | None = None) -> Path:
    """Write the records of this kind as .xlsx or .csv, one column per field headed by its label; return the file.

    The headers are names the importer maps back to the same fields, so the file imports again as it is. An xlsx
    also names the audit-trail chain head (an "About" sheet the importer passes over); a CSV stays the bare table.
    """
    destination = Path(destination)
    if destination.suffix.lower() not in EXPORT_SUFFIXES:
        raise WorkbenchError(str(destination), f"a register is exported as .xlsx or .csv, not "
                                               f"{destination.suffix or 'a file without an extension'}")
    with project.uow() as uow:
        records = spec.records.listing(uow)
        chain = chain_head_of(uow)
    headers = [f.label for f in spec.fields]
    rows = [[register_cell(values[f.name], f.type) for f in spec.fields]
            for values in map(spec.records.values, records)]
    return write_table_file(destination, spec.kind.capitalize(), headers, rows, progress, chain=chain)
