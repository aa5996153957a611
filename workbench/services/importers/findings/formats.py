"""The report formats we read: how each is recognised (by content) and which reader reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from workbench.services.importers.findings import prowler_csv
from workbench.services.importers.findings.report import TableRows, ToolReport
from workbench.services.importers.findings.source import ReportFile

Probe = TypeVar("Probe")


@dataclass(frozen=True, slots=True)
class Format(Generic[Probe]):
    """One format: its name in import reports, how people call it, its test on a probe, and its reader."""

    name: str
    label: str
    matches: Callable[[Probe], bool]
    read: Callable[[ReportFile, Probe], ToolReport]


def _headers(table: TableRows) -> frozenset[str]:
    return frozenset(table.headers)


TABLE_FORMATS: tuple[Format[TableRows], ...] = (
    Format(prowler_csv.DEFAULT, "Prowler default CSV", lambda t: prowler_csv.is_default(_headers(t)),
           prowler_csv.read_default),
    Format(prowler_csv.COMPLIANCE, "Prowler compliance CSV", lambda t: prowler_csv.is_compliance(_headers(t)),
           prowler_csv.read_compliance),
)


def format_labels() -> list[str]:
    """Return every format we read, as a message lists them."""
    return [f.label for f in TABLE_FORMATS]
