"""A GitHub pull-request list (`gh pr list --state merged --json ...`) read as a change population (CC8.1).

Recognised by content: the JSON reader's table of an array of objects holding number, mergedAt or state, and
reviews or author. Each pull request merged within the period is an item (key: its number, date: the day it was
merged, in UTC); the others are counted, not kept. Each item records the checks it fails (domain/pull_requests.py)
under FLAGS_HEADER among the row's other columns, so the population keeps them with its items.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.period import Period
from workbench.domain.pull_requests import PullRequest, checks, looks_like_pr_list, pull_request
from workbench.domain.testing import PopulationItem
from workbench.services.importers.readers import Cell
from workbench.services.importers.spec import CREATE
from workbench.services.importers.table import Table

FLAGS_HEADER = "PR checks"
DEFAULT_SOURCE = "GitHub pull requests (gh pr list)"
_LISTS = frozenset({"reviews", "latestReviews", "labels"})  # flattened to JSON text by the JSON reader


@dataclass(slots=True)
class PrItems:
    """A pull-request list judged against the period: the items, what was left out, and the flagged keys."""

    items: list[PopulationItem] = field(default_factory=list)
    outside: int = 0  # merged outside the period
    not_merged: int = 0
    flagged: list[dict[str, Any]] = field(default_factory=list)


def is_pr_table(table: Table) -> bool:
    """Return True for a JSON document's table that is a GitHub pull-request list."""
    return table.document and looks_like_pr_list(table.headers)


def _value(header: str, cell: Cell) -> Any:
    if header in _LISTS and isinstance(cell, str) and cell.lstrip().startswith("["):
        try:
            return json.loads(cell)
        except ValueError:
            return cell
    return cell


def row_pull_request(headers: Sequence[str], row: Sequence[Cell]) -> PullRequest:
    """Return the pull request a row of the flattened table holds ("author.login" back under "author")."""
    record: dict[str, Any] = {}
    for header, cell in zip(headers, row, strict=False):
        head, _, rest = header.partition(".")
        if rest:
            nested = record.setdefault(head, {})
            if isinstance(nested, dict):
                nested[rest] = cell
        elif cell is not None:
            record[header] = _value(header, cell)
    return pull_request(record)


def differing_duplicate(table: Table) -> tuple[str, int, int] | None:
    """Return the first pull-request number listed twice with different contents, and its two rows (1-based), or
    None. The same entry twice (overlapping pages of an export) is harmless; two different ones are not, since the
    population would keep only the first and could hide an unreviewed merge."""
    if "number" not in table.headers:
        return None
    column = table.headers.index("number")
    seen: dict[str, int] = {}
    for index, row in enumerate(table.rows):
        cell = row[column] if column < len(row) else None
        number = "" if cell is None else str(cell).strip()
        if not number:
            continue
        first = seen.setdefault(number, index)
        if first != index and list(table.rows[first]) != list(row):
            return number, first + 1, index + 1
    return None


def pr_items(table: Table, rows: Sequence[Any], period: Period | None, words: Sequence[str],
             data_of: Callable[[Sequence[Cell]], tuple[tuple[str, str], ...]]) -> PrItems:
    """Return the items of the planned rows: merged within the period, each with the checks it fails."""
    found = PrItems()
    for row_plan in rows:
        if row_plan.action != CREATE:
            continue
        row = table.rows[row_plan.row - 1]
        pr = row_pull_request(table.headers, row)
        if not pr.is_merged:
            found.not_merged += 1
            continue
        day = pr.merged.date() if pr.merged is not None else getattr(row_plan.record, "day", None)
        inside = None if day is None or period is None else period.holds(day)
        if inside is False:
            found.outside += 1
            continue
        failed = checks(pr, words)
        key = pr.number or row_plan.key
        if failed:
            found.flagged.append({"key": key, "checks": list(failed)})
        found.items.append(PopulationItem(key, day, inside, (*data_of(row), (FLAGS_HEADER, ", ".join(failed)))))
    return found


def item_checks(item: PopulationItem) -> list[str] | None:
    """Return the checks an item of a pull-request list fails, or None for an item of another kind of list."""
    for header, text in item.data:
        if header == FLAGS_HEADER:
            return [c.strip() for c in text.split(",") if c.strip()]
    return None
