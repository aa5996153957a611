"""Thin table models for step 6: the report's exceptions and its distribution log."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workbench.domain.entities import Distribution, ReportException
from workbench.ui.pages.audit_fields import format_date

Index = QModelIndex | QPersistentModelIndex


class _RowsModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        """Show these records."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def cells(self, row: Any) -> tuple[str, ...]:
        """Return the texts shown for one record."""
        raise TypeError(f"{type(self).__name__} must define cells()")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(self.rows[index.row()])[index.column()]
        return None


class ExceptionModel(_RowsModel):
    """Exceptions noted in the report, with management's responses."""

    REFERENCE, DESCRIPTION, RESPONSE = range(3)
    HEADERS = ("Criterion / control", "Exception noted", "Management response")

    def cells(self, row: ReportException) -> tuple[str, ...]:
        """Return the texts shown for one exception."""
        return row.reference, row.description, row.management_response or "no response yet"


class DistributionModel(_RowsModel):
    """Who received the report, from which organisation, under which NDA, and when."""

    RECIPIENT, ORGANIZATION, NDA, SENT = range(4)
    HEADERS = ("Recipient", "Organisation", "NDA reference", "Date sent")

    def cells(self, row: Distribution) -> tuple[str, ...]:
        """Return the texts shown for one distribution entry."""
        return row.recipient, row.organization, row.nda_reference, format_date(row.sent_on)
