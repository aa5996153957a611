"""Thin table models for step 6: the report's exceptions and its distribution log."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from workbench.domain.entities import Distribution, ReportException
from workbench.ui.labels import plain_tip
from workbench.ui.pages.audit_fields import format_date
from workbench.ui.row_model import Index, RowTableModel


class _RowsModel(RowTableModel[Any]):
    """Records whose cells are plain texts."""


    def cells(self, row: Any) -> tuple[str, ...]:
        """Return the texts shown for one record."""
        raise TypeError(f"{type(self).__name__} must define cells()")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(self.rows[index.row()])[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(self.cells(self.rows[index.row()])[index.column()])
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
