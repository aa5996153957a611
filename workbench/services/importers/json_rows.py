"""Reading a JSON document as a table: the records at a path the kind names become rows, their keys the headers.

A path is dot-separated keys; a key followed by [] walks every element of that array ("[]" alone: the document is
the array; "Results[].Vulnerabilities[]": every vulnerability of every result). Nested objects are flattened, their
keys joined with dots ("owner.name"); a list of plain values becomes one cell, its values joined with ", ". The
document is read whole with the standard json module, within a size limit (streaming can come with ijson once a
kind's reports need it), in any encoding a shell writes: UTF-8 with or without a BOM, UTF-16 by its BOM or NULs.
JSON Lines (one object a line, as `gh pr list --json ... --jq '.[]'` writes) reads as the array of those objects: a
record's row is its line when no blank line comes before it.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.services.importers.file_checks import checked_stat
from workbench.services.importers.readers import Cell, _utf16_without_bom
from workbench.services.importers.table import Table

MAX_JSON_BYTES = 256 * 1024 * 1024
MAX_COLUMNS = 1_000
MAX_WRAPPER_DEPTH = 4  # how deep a list of records may sit under object keys ({"data": {"items": [...]}})
JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})


def is_json(path: Path | str) -> bool:
    """Return True for a file the engine reads as a JSON document."""
    return Path(path).suffix.lower() in JSON_SUFFIXES


def _read(path: Path) -> Any:
    source = str(path)
    checked_stat(path, partial(WorkbenchError, source), MAX_JSON_BYTES,
                 f"is larger than {MAX_JSON_BYTES // (1024 * 1024)} MB, more than a JSON import reads")
    text = json_text(source, path.read_bytes())
    try:
        return json.loads(text)
    except RecursionError:
        raise WorkbenchError(source, "is nested too deeply to read") from None
    except json.JSONDecodeError as exc:
        lines = _json_lines(source, text) if exc.msg == "Extra data" else None
        if lines is None:
            raise WorkbenchError(source, f"is not a JSON document ({exc})") from None
        return lines
    except ValueError as exc:
        raise WorkbenchError(source, f"is not a JSON document ({exc})") from None


def _json_lines(source: str, text: str) -> list[Any] | None:
    """Return the objects of a JSON Lines text (one object a line, as `gh ... --jq '.[]'` writes), or None when
    its first line is not a JSON object of its own (the text is then a broken JSON document, not JSON Lines)."""
    records: list[Any] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except RecursionError:
            raise WorkbenchError(source, f"line {number:,} is nested too deeply to read") from None
        except ValueError as exc:
            if not records:
                return None
            detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise WorkbenchError(source, f"is JSON Lines (one JSON object a line), but line {number:,} is not "
                                         f"JSON ({detail}); nothing was imported") from None
        if not isinstance(record, dict):
            if not records:
                return None
            raise WorkbenchError(source, f"is JSON Lines (one JSON object a line), but line {number:,} holds a "
                                         f"{type(record).__name__}, not an object; nothing was imported")
        records.append(record)
    return records


def _encoding(data: bytes) -> str:
    """Return how a shell wrote the text: UTF-8 (a BOM or none), or UTF-16 told by its BOM or its NUL bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # PowerShell's `>` and Out-File write UTF-16 LE with its BOM
    head = data[:4096]
    if b"\x00" in head and (wide := _utf16_without_bom(head[: len(head) // 2 * 2])) is not None:
        return wide
    return "utf-8"


def json_text(source: str, data: bytes) -> str:
    """Return a JSON file's bytes as text, in whichever encoding a shell may have written them."""
    encoding = _encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = "UTF-16" if encoding.startswith("utf-16") else "UTF-8"
        raise WorkbenchError(source, f"is not JSON text (not valid {name} at byte {exc.start:,})") from None


def records_at(document: Any, path: str) -> Iterator[Any]:
    """Yield the values a path names in a document (see the module's description)."""
    found: list[Any] = [document]
    for part in (p for p in path.split(".") if p):
        walk = part.endswith("[]")
        name = part[:-2] if walk else part
        following: list[Any] = []
        for value in found:
            if name:
                value = value.get(name) if isinstance(value, dict) else None
            if walk:
                following.extend(value if isinstance(value, list) else ())
            elif value is not None:
                following.append(value)
        found = following
    yield from found


def _flatten(value: Any, prefix: str, into: dict[str, Cell], depth: int = 0) -> None:
    if isinstance(value, dict) and depth < 8:
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), into, depth + 1)
    elif isinstance(value, list):
        plain = all(not isinstance(v, dict | list) for v in value)
        into[prefix] = ", ".join("" if v is None else str(v) for v in value) if plain else json.dumps(value)
    elif isinstance(value, dict):
        into[prefix] = json.dumps(value)
    else:
        into[prefix] = value


def _record_lists(value: Any, prefix: str = "", depth: int = 0) -> Iterator[str]:
    """Yield the paths of the arrays of objects under a document's object keys (not inside arrays)."""
    if not isinstance(value, dict) or depth >= MAX_WRAPPER_DEPTH:
        return
    for key, item in value.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(item, list) and item and all(isinstance(v, dict) for v in item):
            yield f"{path}[]"
        else:
            yield from _record_lists(item, path, depth + 1)


def _wrapped_records_path(path: Path, document: Any) -> str:
    """Return the path of the one array of records an object wraps ({"controls": [...]}, {"data": {"items":
    [...]}}); raise one clear error when it wraps none or several, or is a security tool's report."""
    from workbench.services.importers.findings import tool_report_refusal  # only for a wrapped document

    refusal = tool_report_refusal(path, "a register")
    if refusal:
        raise WorkbenchError(str(path), refusal)
    found = list(_record_lists(document))
    if len(found) == 1:
        return found[0]
    if not found:
        raise WorkbenchError(str(path), "holds no records: neither the document nor any of its keys is a list of "
                                        "objects")
    shown = ", ".join(repr(f[:-2]) for f in found[:5]) + (" ..." if len(found) > 5 else "")
    raise WorkbenchError(str(path), f"holds {len(found)} lists of records (under {shown}); save the one to "
                                    "import as a file of its own")


def read_json_table(path: Path | str, records_path: str = "[]") -> Table:
    """Return the records of a JSON document as a table (no sheet, headers from the records' keys).

    At the default path (the document is the array), an object wrapping one array of records reads as that array.
    """
    path = Path(path)
    document = _read(path)
    if records_path == "[]" and isinstance(document, dict):
        records_path = _wrapped_records_path(path, document)
    flat: list[dict[str, Cell]] = []
    for record in records_at(document, records_path):
        cells: dict[str, Cell] = {}
        _flatten(record if isinstance(record, dict) else {"value": record}, "", cells)
        flat.append(cells)
    if not flat:
        from workbench.services.importers.findings import tool_report_refusal  # only for a file that failed

        raise WorkbenchError(str(path), tool_report_refusal(path, "a register") or
                             f"holds no records at {records_path!r}")
    headers = list(dict.fromkeys(key for cells in flat for key in cells))
    if len(headers) > MAX_COLUMNS:
        raise WorkbenchError(str(path), f"its records have more than {MAX_COLUMNS} different keys")
    rows = [[cells.get(h) for h in headers] for cells in flat]
    return Table("", 0, headers, rows, document=True)


def read_document(path: Path | str, records_path: str, sheet: str | None, header_row: int | None) -> Table:
    """Return a JSON document's table; raise WorkbenchError when a sheet or header row was asked of it."""
    if sheet is not None or header_row is not None:
        raise WorkbenchError(str(path), "a JSON document has no sheets or header rows; leave out --sheet and "
                                        "--header-row")
    return read_json_table(path, records_path)
