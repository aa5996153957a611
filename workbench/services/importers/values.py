"""Reading a row's mapped cells into field values by the fields' types, each problem noted with its field."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from workbench.domain.catalog import Catalog
from workbench.domain.criteria_cells import parse_criteria_cell
from workbench.domain.enums import Category
from workbench.domain.import_values import cell_text, looks_like_formula, order_contradiction, parse_date
from workbench.services.importers.mapping import display_header
from workbench.services.importers.readers import Cell
from workbench.services.importers.spec import Field, FieldType, RegisterSpec
from workbench.services.importers.table import blank, column_letter

_FORMULA_START = frozenset("=+-@")
_DDE = re.compile(r"[=+\-@]\s*[A-Za-z0-9_.]+\|")  # =cmd|' /C calc'!A0: dynamic data exchange, runs a program
_PLAIN_CELLS = (str, int, float)  # remembered answers are keyed by these cells themselves, others by their text
_Column = tuple[str, int, Field, dict[object, Any] | None]  # how CellReader reads one mapped column


def cell_string(value: Cell) -> str:
    """Return the trimmed text of a cell; a quote that kept a formula-like CSV text from running is dropped."""
    text = value.strip() if value.__class__ is str else ("" if blank(value) else cell_text(value).strip())
    if text.startswith("'") and text[1:2] in _FORMULA_START:
        return text[1:]  # written "'=..." by a safe CSV export (ours included): the text is "=..."
    return text


def row_texts(row: Sequence[Cell], columns: Sequence[tuple[str, int]]) -> dict[str, str]:
    """Return {field: trimmed text} for the mapped columns of a row (what cell_string gives, for each)."""
    width = len(row)
    texts: dict[str, str] = {}
    for name, index in columns:
        value = row[index] if index < width else None
        if value.__class__ is str:  # most cells: cell_string's work inline, on every mapped cell of every row
            text = value.strip()
            texts[name] = text[1:] if text.startswith("'") and text[1:2] in _FORMULA_START else text
        else:
            texts[name] = cell_string(value)
    return texts


def formula_text(text: str) -> bool:
    """Return True for trimmed text a spreadsheet would run as a formula (what our exports escape), not a number.

    The exports' rule (services/exports/cells.formula_like) on the trimmed text: it starts with =, +, - or @, and
    something follows; a sign before a number ("-5", "+44 20 7946 0958") is a number, not a formula, and a sign
    and a space before words ("- reviewed monthly") a list item, and an @ before a name ("@finance") a handle,
    unless what follows is a call, a cell reference or a DDE link.
    """
    if len(text) < 2 or text[0] not in _FORMULA_START:
        return False
    if text[0] == "@":
        return _DDE.match("=" + text[1:]) is not None or looks_like_formula("=" + text[1:])
    if text[0] in "+-":
        rest = text[1:].lstrip()
        if rest[:1].isdigit() or (rest[:1] == "." and rest[1:2].isdigit()):
            return False
        if text[1] in " \t\r\n":
            return _DDE.match("=" + rest) is not None or looks_like_formula("=" + rest)
    return True


def formula_note(name: str, text: str) -> str:
    """Return the warning for a cell holding a formula: what becomes of the cell, nothing of the file."""
    what = ("is a formula the spreadsheet never computed" if looks_like_formula(text) or _DDE.match(text)
            else "starts as a formula does (a spreadsheet would run it)")
    return f"{name}: {text[:60]!r} {what}; the cell is read as its text, not a computed result"


def shown(value: Any) -> str:
    """Return a field value as a message shows it."""
    if isinstance(value, tuple):
        return ", ".join(map(str, value)) or "none"
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label.lower()
    return "" if value is None else str(value.isoformat() if hasattr(value, "isoformat") else value)


class CellReader:
    """Reads a row's cells into {field: value}; remembers repeated answers (registers repeat a few values)."""

    def __init__(self, spec: RegisterSpec, catalog: Catalog, scope: Sequence[Category],
                 day_first: bool | None, *, source: str = "", headers: Sequence[object] = ()) -> None:
        self.spec = spec
        self.day_first = day_first
        self.source, self.headers = source, headers  # to name the file and column a date warning is about
        self.known = frozenset(c.id for c in catalog.criteria)
        self.category = {c.id: c.category for c in catalog.criteria}
        self.scope = frozenset(scope)
        self._answers: dict[str, dict[object, tuple[Any, tuple[str, ...], str | None]]] = {}  # per field, by cell
        self._fields = {f.name: f for f in spec.fields}
        self._columns: Sequence[tuple[str, int]] | None = None
        self._compiled: list[_Column] = []
        self._plans: dict[tuple[tuple[str, int], ...], list[_Column]] = {}

    def read(self, row: Sequence[Cell], columns: Sequence[tuple[str, int]], current: Mapping[str, Any] | None,
             texts: Mapping[str, str] | None = None) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """Return (values of the readable mapped cells, (field, warning) pairs).

        A cell that cannot be read leaves its field out (a record keeps what it had, a new one the default).
        `texts`, the row's trimmed texts by field (row_texts) when the caller has them, spares reading text again.
        """
        values: dict[str, Any] = {}
        warnings: list[tuple[str, str]] = []
        width = len(row)
        for name, index, field, answers in self._plan(columns):
            if answers is None:  # a text is its trimmed cell, never refused
                text = values[name] = texts[name] if texts is not None else cell_string(row[index] if index < width
                                                                                        else None)
                if text[:1] in _FORMULA_START and formula_text(text):
                    warnings.append((name, formula_note(name, text)))
                continue
            raw = row[index] if index < width else None
            said = raw if raw.__class__ in _PLAIN_CELLS else cell_text(raw)
            found = answers.get(said)
            if found is None:
                found = answers[said] = self._parse(field, raw)
            value, notes, error = found
            if notes or error is not None:
                self._warn(warnings, field, index, notes, error, current)
            if error is None and (value is not None or field.default is None or current is None):
                values[name] = field.default if value is None else value
        return values, warnings

    def _plan(self, columns: Sequence[tuple[str, int]]) -> list[_Column]:
        """Return (field name, column, field, its remembered answers; None for a text) per column, made once."""
        if columns is not self._columns:
            key = tuple(columns)
            compiled = self._plans.get(key)
            if compiled is None:
                compiled = self._plans[key] = [
                    (name, index, self._fields[name], None if self._fields[name].type is FieldType.TEXT
                     else self._answers.setdefault(name, {})) for name, index in columns]
            self._columns, self._compiled = columns, compiled
        return self._compiled

    def _warn(self, warnings: list[tuple[str, str]], field: Field, index: int, notes: Sequence[str],
              error: str | None, current: Mapping[str, Any] | None) -> None:
        name = field.name
        if notes:
            where = f"{self.place(index)}: " if field.type is FieldType.DATE else ""
            warnings.extend((name, f"{name}: {where}{note}") for note in notes)
        if error is not None:
            warnings.append((name, f"{name}: {error}; {field.label.lower()} {self._kept(field, current)}"))

    def place(self, index: int) -> str:
        """Return how a warning names a column: "pbc.xlsx, column F ('Due Date')"."""
        header = display_header(self.headers[index]) if index < len(self.headers) else ""
        column = f"column {column_letter(index)}" + (f" ({header!r})" if header else "")
        return f"{Path(self.source).name}, {column}" if self.source else column

    @staticmethod
    def _kept(field: Field, current: Mapping[str, Any] | None) -> str:
        value = None if current is None else current.get(field.name)
        if current is not None and value not in (None, "", ()):
            return f"kept as {shown(value)}"
        return "left unset" if field.default is None else f"left {shown(field.default)}"

    def _parse(self, field: Field, raw: Cell) -> tuple[Any, tuple[str, ...], str | None]:
        try:
            if field.type is FieldType.DATE:
                found = parse_date(None if blank(raw) else raw, day_first=self.day_first)
                contradiction = order_contradiction(raw, day_first=self.day_first)
                return found, (() if contradiction is None else (contradiction,)), None
            if field.type is FieldType.NUMBER:
                return _number(raw), (), None
            if field.type is FieldType.ENUM:
                parse: Callable[[str], Any] = field.parse or str
                return parse(cell_string(raw)), (), None
            return self._criteria(cell_string(raw))
        except ValueError as exc:  # AmbiguousDateError included: the user has to say which order is meant
            return None, (), str(exc)

    def _criteria(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...], None]:
        found, warnings = parse_criteria_cell(text, self.known)
        outside = [c for c in found if self.category[c] not in self.scope]
        if outside:
            categories = sorted({self.category[c].label for c in outside})
            warnings += (f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} outside this project's "
                         f"categories ({', '.join(categories)} not in scope); not linked",)
        return tuple(c for c in found if c not in outside), warnings, None


def _number(raw: Cell) -> float | int | None:
    if blank(raw):
        return None
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number")
    if isinstance(raw, int | float):
        return raw
    text = cell_text(raw).strip().replace(",", "").replace("\xa0", "").replace(" ", "")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{cell_text(raw).strip()!r} is not a number") from None
    return int(number) if number.is_integer() else number
