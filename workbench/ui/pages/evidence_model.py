"""Thin table models of the evidence page: the controls with their evidence count, and one control's evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from workbench.domain.entities import Control, Evidence
from workbench.domain.natural import natural_key
from workbench.domain.period import Period, PeriodFit
from workbench.services.period import evidence_period_fit
from workbench.ui.dates import shown_date, shown_period
from workbench.ui.labels import plain_tip
from workbench.ui.row_model import Index, RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROOT = QModelIndex()


def format_date(value: date | None) -> str:
    """Return a date as shown on the page (the user's locale: "3 Apr 2026" in Britain), or an empty string."""
    return shown_date(value)


def format_period(start: date | None, end: date | None) -> str:
    """Return a period covered as shown on the page."""
    return shown_period(start, end)


def format_size(size: int) -> str:
    """Return a byte count in a readable unit."""
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


class ControlsModel(RowTableModel[tuple[Control, int]]):
    """Controls with how many evidence items each has: rows are (control, evidence count) pairs."""

    REF, TITLE, COUNT = range(3)
    HEADERS = ("Ref", "Control", "Evidence")

    def control(self, row: int) -> Control:
        """Return the control shown on a row."""
        return self.rows[row][0]

    def row_of(self, ref: str) -> int:
        """Return the row of a control by reference, or -1."""
        return next((i for i, (c, _n) in enumerate(self.rows) if c.ref == ref), -1)


    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        control, count = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if column == self.REF:
                return control.ref if role == Qt.ItemDataRole.DisplayRole else natural_key(control.ref)
            if column == self.TITLE:
                return control.title
            return count if role == SORT_ROLE else str(count)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{control.ref}  {control.title}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ControlsFilter(QSortFilterProxyModel):
    """Filters the controls by search text and, optionally, to those without evidence."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self._without_evidence = False
        self._needle = ""

    def _change(self, apply: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            apply()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            apply()
            self.invalidateFilter()

    def set_search(self, text: str) -> None:
        """Show only controls whose reference or title contains the text (any case)."""
        self._change(lambda: setattr(self, "_needle", text.strip().lower()))

    def set_without_evidence(self, on: bool) -> None:
        """Show only controls that have no evidence yet."""
        self._change(lambda: setattr(self, "_without_evidence", on))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ControlsModel):
            return True
        # The row's record itself, not its cells through Qt: thousands of rows are filtered again at every key typed.
        control, count = model.rows[source_row]
        if self._without_evidence and count:
            return False
        needle = self._needle
        return not needle or needle in control.ref.lower() or needle in control.title.lower()


IN_PERIOD, OUT_OF_PERIOD, UNDATED = "in period", "OUT OF PERIOD", "undated"
PARTLY_OUTSIDE = "PARTLY OUTSIDE"  # a range across an end of the period: not in period, and said so
_MARKS = {PeriodFit.INSIDE: IN_PERIOD, PeriodFit.PARTLY_OUTSIDE: PARTLY_OUTSIDE, PeriodFit.OUTSIDE: OUT_OF_PERIOD}


def period_mark(period: Period | None, item: Evidence) -> str:
    """Return an evidence item's mark against the audit period: in period, PARTLY OUTSIDE, OUT OF PERIOD or undated
    ("": no period)."""
    if period is None:
        return ""
    fit = evidence_period_fit(period, item)
    return UNDATED if fit is None else _MARKS[fit]


class EvidenceModel(RowTableModel[Evidence]):
    """One control's evidence records, each marked against the audit period."""

    TITLE, FILE, COLLECTED, PERIOD, IN_PERIOD, SOURCE, SIZE, SHA256 = range(8)
    HEADERS = ("Title", "File", "Collected", "Period covered", "Audit period", "Source", "Size", "SHA-256")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.period: Period | None = None

    def set_period(self, period: Period | None) -> None:
        """Set the audit period each item is marked against (None: no marks)."""
        self.beginResetModel()
        self.period = period
        self.endResetModel()

    def evidence(self, row: int) -> Evidence:
        """Return the evidence record on a row."""
        return self.rows[row]

    def row_of(self, evidence_id: int) -> int:
        """Return the row of an evidence record by id, or -1."""
        return next((i for i, e in enumerate(self.rows) if e.id == evidence_id), -1)


    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.title, item.filename, format_date(item.collected_on),
                    format_period(item.period_start, item.period_end), period_mark(self.period, item), item.source,
                    format_size(item.size), item.sha256)[column]
        if role == SORT_ROLE:
            return (item.title.lower(), item.filename.lower(), item.collected_on or date.min,
                    item.period_start or item.period_end or date.min, period_mark(self.period, item),
                    item.source.lower(), item.size, item.sha256)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.SHA256:
            return item.sha256
        if role == Qt.ItemDataRole.ToolTipRole and column == self.IN_PERIOD and self.period is not None:
            return (f"Audit period {format_date(self.period.start)} – {format_date(self.period.end)}; this item "
                    "reflects " + (format_period(item.period_start, item.period_end)
                                   or format_date(item.collected_on) or "no date"))
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text of a cell too narrow for it
            return plain_tip(str(self.data(index)))
        if role == Qt.ItemDataRole.FontRole and column == self.IN_PERIOD and \
                period_mark(self.period, item) in (OUT_OF_PERIOD, PARTLY_OUTSIDE):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
