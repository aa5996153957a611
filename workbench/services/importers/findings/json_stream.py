"""Reading a JSON report streaming with ijson: a probe of its first part (to recognise it) and its records one by one.

The report file was checked first (source.py): its nesting is bounded, so ijson's per-level work stays small.
ijson uses its C backend (yajl2_c) when it is installed, its pure-Python one otherwise (same results, slower).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ijson
from ijson.common import ObjectBuilder

from workbench.services.importers.findings.source import ReportFile, refused

PROBE_EVENTS = 20_000
_STARTS = ("start_map", "start_array")
_ENDS = ("end_map", "end_array")


@dataclass(slots=True)
class JsonProbe:
    """What the start of a JSON report shows: its top-level type, the keys at each path, the first scalar values."""

    top: str  # "object" or "array"
    keys: dict[str, set[str]] = field(default_factory=dict)  # path ("" top, "item" first element ...) -> keys
    values: dict[str, Any] = field(default_factory=dict)  # path -> the first scalar value there

    def keys_at(self, path: str) -> set[str]:
        """Return the keys seen in the first object(s) at a path."""
        return self.keys.get(path, set())

    def value(self, path: str) -> Any:
        """Return the first scalar value seen at a path (None when none was seen)."""
        return self.values.get(path)


def probe(report: ReportFile) -> JsonProbe:
    """Return what the report's first HEAD_BYTES show (a cut-off end is expected and ignored)."""
    start = report.head.lstrip()[:1]
    found = JsonProbe("array" if start == "[" else "object")
    events = ijson.parse(io.BytesIO(report.head.encode("utf-8")), use_float=True)
    try:
        for count, (prefix, event, value) in enumerate(events):
            if count > PROBE_EVENTS:
                break
            if event == "map_key":
                found.keys.setdefault(prefix, set()).add(value)
            elif event not in _STARTS and event not in _ENDS:
                found.values.setdefault(prefix, value)
    except ijson.JSONError:
        pass
    return found


def _broken(report: ReportFile, count: int, exc: Exception) -> Exception:
    detail = exc.args[0] if exc.args else ""
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", errors="replace")
    why = str(detail).strip().splitlines()[0][:80] if str(detail).strip() else type(exc).__name__
    where = "in its first record" if count == 0 else f"after {count:,} records"
    return refused(report.path, f"is not complete, well-formed JSON: it breaks {where} ({why})")


def items(report: ReportFile, prefix: str) -> Iterator[Any]:
    """Yield the values at a prefix ("item", "Findings.item" ...) one at a time; raise WorkbenchError when broken."""
    count = 0
    with report.open_utf8() as stream:
        try:
            for value in ijson.items(stream, prefix, use_float=True):
                count += 1
                yield value
        except ijson.JSONError as exc:
            raise _broken(report, count, exc) from None


def items_where(report: ReportFile, wanted: Callable[[str], bool],
                seen: Callable[[str, Any], None] | None = None,
                opened: Callable[[str, str], None] | None = None) -> Iterator[tuple[str, Any]]:
    """Yield (prefix, value) for every value whose prefix is `wanted`, at any depth; `seen` gets scalars outside.

    `opened` gets (prefix, "an object" or "a list") for each object or list outside the wanted values.
    """
    count = 0
    with report.open_utf8() as stream:
        events = ijson.parse(stream, use_float=True)
        try:
            for prefix, event, value in events:
                if event in _STARTS and wanted(prefix):
                    count += 1
                    yield prefix, _built(event, value, events)
                elif event in _STARTS:
                    if opened is not None:
                        opened(prefix, _TYPES[event])
                elif seen is not None and event not in _ENDS and event != "map_key":
                    seen(prefix, value)
        except ijson.JSONError as exc:
            raise _broken(report, count, exc) from None


def _built(event: str, value: Any, events: Iterator[tuple[str, str, Any]]) -> Any:
    builder = ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for _, inner, inner_value in events:
        builder.event(inner, inner_value)
        if inner in _STARTS:
            depth += 1
        elif inner in _ENDS:
            depth -= 1
            if depth == 0:
                break
    return builder.value


def dig(record: Any, *path: str | int) -> Any:
    """Return the value at a path of keys and list positions in a record (None where the path leads nowhere)."""
    for step in path:
        if isinstance(step, int):
            record = record[step] if isinstance(record, list) and -len(record) <= step < len(record) else None
        else:
            record = record.get(step) if isinstance(record, dict) else None
    return record


def text(record: Any, *path: str | int) -> str:
    """Return the scalar at a path as text ("" for none, a list or an object)."""
    value = dig(record, *path)
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


_TYPES = {"start_map": "an object", "start_array": "a list", "string": "a string", "number": "a number",
          "integer": "a number", "double": "a number", "boolean": "true or false", "null": "null"}


def type_name(value: Any) -> str:
    """Return a JSON value's type as a message names it ("a string", "an object" ...)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "a string"
    return "null" if value is None else "a number"


def type_at(report: ReportFile, prefix: str) -> str | None:
    """Return the type of the first value at a prefix ("a string", "an object" ...), None when there is none."""
    with report.open_utf8() as stream:
        try:
            for at, event, _ in ijson.parse(stream, use_float=True):
                if at == prefix and event in _TYPES:
                    return _TYPES[event]
        except ijson.JSONError as exc:
            raise _broken(report, 0, exc) from None
    return None


def lone_value(report: ReportFile) -> str | None:
    """Return the type of the one value a report holds when it is a bare JSON scalar ("a string" ...), else None."""
    if report.head.lstrip()[:1] not in tuple('"-0123456789tfn'):
        return None
    with report.open_utf8() as stream:
        events = ijson.parse(stream, use_float=True)
        try:
            prefix, event, _ = next(events)
            if prefix or event not in _TYPES or event in _STARTS:
                return None
            next(events, None)  # the end, or trailing text (an error)
        except (ijson.JSONError, StopIteration):
            return None
    return _TYPES[event]


def listed_items(report: ReportFile, key: str) -> Iterator[Any]:
    """Yield the entries of the top-level list `key`; raise WorkbenchError when `key` holds something else.

    A key of the wrong type must not read as an empty list: a damaged report would become a clean scan. Its type
    is looked up (a second, early-ending parse) only when the list gave nothing, so sound reports pay nothing.
    """
    empty = True
    for value in items(report, f"{key}.item"):
        empty = False
        yield value
    if empty:
        found = type_at(report, key)
        if found not in (None, "a list", "null"):
            raise refused(report.path, f"{key} is {found}, not a list")


def entries(report: ReportFile, record: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    """Return a record's list `key` (none when absent or null); raise WorkbenchError naming `where` when unfit."""
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise refused(report.path, f"{where}.{key} is {type_name(value)}, not a list")
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise refused(report.path, f"{where}.{key}[{index}] is {type_name(entry)}, not an object")
    return value


def objects(report: ReportFile, values: Iterator[Any], what: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (1-based position, record) for each record; raise WorkbenchError at the first that is not an object."""
    for number, value in enumerate(values, start=1):
        if not isinstance(value, dict):
            raise refused(report.path, f"{what} {number} is not a JSON object")
        yield number, value
