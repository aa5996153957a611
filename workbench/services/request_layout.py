"""What the program remembers of an imported request list, so that the list can go back in the auditor's columns.

The request importer writes it inside its unit of work; the request-list export reads it. Neither imports the other.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.domain.import_values import cell_text

if TYPE_CHECKING:  # the request kind loads without the storage layer (importers/kinds)
    from workbench.services.session import OpenProject
    from workbench.store import UnitOfWork

LAYOUT_KEY = "export.request_list.layout"
LAYOUT_VERSION = 1


@dataclass(frozen=True)
class RequestLayout:
    """How the auditor's request list was laid out when it was imported, and its rows' own columns."""

    source: str
    sheet: str
    headers: list[str]  # the header row's texts, in the auditor's order
    mapping: dict[str, int]  # request field -> column index
    rows: list[tuple[int, str, dict[int, Any]]]  # (request id, ref, {unmapped column: original value}), import order


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):
        return {"datetime": value.replace(tzinfo=None).isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"seconds": value.total_seconds()}
    return cell_text(value)


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    if "date" in value:
        return date.fromisoformat(value["date"])
    if "time" in value:
        return time.fromisoformat(value["time"])
    if "seconds" in value:
        return timedelta(seconds=value["seconds"])
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def remember_request_layout(uow: UnitOfWork, source: str, sheet: str, header: Sequence[Any],
                            mapping: dict[str, int], rows: Sequence[tuple[str, Sequence[Any]]]) -> str | None:
    """Record an imported list's layout and its rows' unmapped cells, inside the import's unit of work.

    `header` is the header row's cells, `rows` (ref, cells) for each request the list names. Return what was
    remembered before (None when nothing), for undoing the import.
    """
    width = len(header)
    headers = ["" if _blank(cell) else cell_text(cell).strip() for cell in header]
    mapped = set(mapping.values())
    ids = {r.ref: r.id for r in uow.requests.list()}
    kept_rows: list[list[Any]] = []
    for ref, cells in rows:
        own = {str(i): _encode(cells[i]) for i in range(min(width, len(cells))) if i not in mapped
               and not _blank(cells[i])}
        kept_rows.append([ids.get(ref), ref, own])
    before = uow.meta.get(LAYOUT_KEY)
    previous = load_layout(before)
    if previous is not None and previous.headers == headers and previous.sheet == sheet:
        fresh = {ref for ref, _ in rows}
        kept = [[i, ref, {str(k): _encode(v) for k, v in own.items()}]
                for i, ref, own in previous.rows if ref not in fresh]
        kept_rows = kept + kept_rows
    document = {
        "version": LAYOUT_VERSION, "source": Path(source).name, "sheet": sheet, "headers": headers,
        "mapping": dict(mapping), "rows": kept_rows,
    }
    uow.meta.set(LAYOUT_KEY, json.dumps(document, ensure_ascii=False, separators=(",", ":")))
    return before


def restore_request_layout(uow: UnitOfWork, before: str | None) -> None:
    """Put back what was remembered before an import (see remember_request_layout), when undoing it."""
    if before is None:
        uow.meta.delete(LAYOUT_KEY)
    else:
        uow.meta.set(LAYOUT_KEY, before)


def load_layout(text: str | None) -> RequestLayout | None:
    """Return the layout stored as this text, or None when there is none or it is damaged."""
    if not text:
        return None
    try:
        data = json.loads(text)
        if data.get("version") != LAYOUT_VERSION:
            return None
        headers = [str(h) for h in data["headers"]]
        mapping = {str(k): int(v) for k, v in data["mapping"].items() if 0 <= int(v) < len(headers)}
        rows = [(int(i) if i is not None else -1, str(ref), {int(k): _decode(v) for k, v in own.items()})
                for i, ref, own in data["rows"]]
        return RequestLayout(str(data["source"]), str(data["sheet"]), headers, mapping, rows)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged record: fall back to our standard columns


def request_layout(project: OpenProject) -> RequestLayout | None:
    """Return the layout of the last imported request list, or None when none was imported."""
    with project.uow() as uow:
        return load_layout(uow.meta.get(LAYOUT_KEY))
