"""What every findings reader shares: the report it returns, the rows of a text table, and cell values."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from workbench.domain.errors import WorkbenchError
from workbench.domain.findings import Finding, FindingStatus, ToolRun, criteria_of
from workbench.services.importers.findings.source import MAX_REPORT_BYTES, ReportFile, refused
from workbench.services.importers.readers import open_workbook


@dataclass(slots=True)
class ToolReport:
    """A report read: the run it records, and its findings, read as they are consumed (once)."""

    run: ToolRun
    findings: Iterator[Finding]
    document: bool = False  # a JSON document (no sheet), not a text table
    undated: bool = False  # the report carries no time of its own: reflects_at is the file's modification time


@dataclass(frozen=True, slots=True)
class TableRows:
    """A text table's headers (upper-case, trimmed) and its data rows as (1-based row number, cells by header)."""

    headers: tuple[str, ...]
    rows: Iterator[tuple[int, dict[str, str]]]
    close: Callable[[], None]  # ends the reading early (reading to the end closes too)
    written: tuple[str, ...] = ()  # the headers as the file writes them (trimmed), for messages


def table_rows(report: ReportFile) -> TableRows:
    """Open a report that is a text table (comma, semicolon or tab separated) through the engine's CSV reader."""
    workbook = open_workbook(report.path, text_limit=MAX_REPORT_BYTES)
    batches = workbook.iter_rows(workbook.sheets[0].name)
    first = next(batches, [])
    if not first:
        workbook.close()
        raise refused(report.path, "the file is empty")
    written = tuple(str(cell or "").strip() for cell in first[0])
    headers = tuple(cell.upper() for cell in written)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            number = 1
            for batch in _chain(first[1:], batches):
                for row in batch:
                    number += 1
                    if any(str(cell or "").strip() for cell in row):
                        yield number, {h: str(c or "").strip() for h, c in zip(headers, row, strict=False)}
        finally:
            workbook.close()

    return TableRows(headers, rows(), workbook.close, written)


def _chain(first: list[list[object]], more: Iterator[list[list[object]]]) -> Iterator[list[list[object]]]:
    yield first
    yield from more


def missing(path: Path, headers: Iterable[str], needed: Iterable[str], what: str) -> None:
    """Raise WorkbenchError naming the columns a format needs that the table lacks."""
    lacking = [name for name in needed if name not in set(headers)]
    if lacking:
        raise refused(path, f"looks like {what} but has no {', '.join(lacking)} column")


def utc(value: object) -> datetime | None:
    """Return a tool's timestamp (ISO text with or without zone, nanoseconds, or epoch seconds) as UTC; None if none."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value  # milliseconds, as OCSF's `time` may be
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value or "").strip()
    if not text:
        return None
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.replace(" UTC", "Z"))  # nanoseconds: Python keeps micro
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def report_time(path: Path, stamps: Iterable[tuple[str, object]], fallback: datetime) -> datetime:
    """Return the first of a report's own times (name, value) it gives, `fallback` when it gives none at all.

    A time that is there but unreadable is refused, never replaced: the run's date places it on the evidence
    calendar, and a silent fallback would date it wrongly.
    """
    for name, value in stamps:
        if value is None or str(value).strip() == "":
            continue
        moment = utc(value)
        return moment if moment is not None else _unreadable(path, name, value)
    return fallback


def _unreadable(path: Path, name: str, value: object) -> datetime:
    shown = repr(value if isinstance(value, str | int | float) else type(value).__name__)
    raise refused(path, f"its {name} {shown[:60]} is not a time we can read (ISO 8601 such as "
                        "2026-01-31T12:00:00Z, or epoch seconds), so the scan's date is unknown")


def tool_status(word: object, table: dict[str, FindingStatus]) -> FindingStatus | None:
    """Return the status a tool's word means under its table (words compared upper-case), None when unknown."""
    return table.get(str(word or "").strip().upper())


def bad_status(path: Path, row: int, word: object, known: Iterable[str]) -> WorkbenchError:
    """Return the error for a status word a format does not use."""
    return refused(path, f"row {row}: status {str(word)[:40]!r} is not one of {', '.join(sorted(known))}")


def soc2_criteria(frameworks: Iterable[tuple[str, Iterable[str]]]) -> tuple[str, ...]:
    """Return the criteria a tool's own compliance mapping gives under its SOC 2 framework(s)."""
    found: list[str] = []
    for name, ids in frameworks:
        if re.sub(r"[^a-z0-9]", "", name.lower()).startswith("soc2"):
            found.extend(ids)
    return criteria_of(found)


T = TypeVar("T")


def first_or(rows: Iterator[T], make: Callable[[T | None], ToolRun]) -> tuple[ToolRun, Iterator[T]]:
    """Return the run made from the first row or record (None when there is none) and all of them still to read."""
    head = next(rows, None)
    run = make(head)

    def again() -> Iterator[T]:
        if head is not None:
            yield head
            yield from rows

    return run, again()
