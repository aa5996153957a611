"""Thin table models for the scope page: components, subservice organisations, user entity controls."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from workbench.domain.entities import Component, Cuec, Subservice
from workbench.domain.enums import SubserviceMethod
from workbench.ui.labels import plain_tip
from workbench.ui.row_model import Index, RowTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2

METHOD_NAMES = {SubserviceMethod.CARVE_OUT: "Carve-out", SubserviceMethod.INCLUSIVE: "Inclusive"}



class RecordModel(RowTableModel[Any]):
    """Rows of one kind of record; subclasses name the columns and say what each cell shows."""

    def row_of(self, record_id: int) -> int:
        """Return the row showing the record with this id, or -1."""
        return next((i for i, r in enumerate(self.rows) if r.id == record_id), -1)


    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(record, index.column()).replace("\n", " ")
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(self.text(record, index.column())) or None
        if role == SORT_ROLE:
            return self.text(record, index.column()).casefold()
        if role == RECORD_ROLE:
            return record
        return None

    def text(self, record: Any, column: int) -> str:
        """Return what a cell shows."""
        raise TypeError(f"{type(self).__name__} must define text()")


class ComponentModel(RecordModel):
    """System components: kind, name, description, in scope."""

    COLUMN_KIND, COLUMN_NAME, COLUMN_DESCRIPTION, COLUMN_IN_SCOPE = range(4)
    HEADERS = ("Kind", "Name", "Description", "In scope")

    def text(self, record: Component, column: int) -> str:
        """Return what a cell shows."""
        if column == self.COLUMN_KIND:
            return record.kind.label
        if column == self.COLUMN_NAME:
            return record.name
        if column == self.COLUMN_DESCRIPTION:
            return record.description
        return "In scope" if record.in_scope else "Out of scope"


class SubserviceModel(RecordModel):
    """Subservice organisations: name, service, method, SOC report status, complementary controls."""

    COLUMN_NAME, COLUMN_SERVICE, COLUMN_METHOD, COLUMN_REPORT, COLUMN_CONTROLS = range(5)
    HEADERS = ("Organisation", "Service", "Method", "SOC report", "Complementary controls")

    def text(self, record: Subservice, column: int) -> str:
        """Return what a cell shows."""
        if column == self.COLUMN_NAME:
            return record.name
        if column == self.COLUMN_SERVICE:
            return record.service
        if column == self.COLUMN_METHOD:
            return METHOD_NAMES[record.method]
        if column == self.COLUMN_REPORT:
            return record.soc_report
        return "; ".join(f"{c.text} ({', '.join(c.criteria)})" if c.criteria else c.text for c in record.csocs)


class CuecModel(RecordModel):
    """Complementary user entity controls: their text and the criteria each supports."""

    COLUMN_TEXT, COLUMN_CRITERIA = range(2)
    HEADERS = ("What the user entity must do", "Criteria")

    def text(self, record: Cuec, column: int) -> str:
        """Return what a cell shows."""
        return record.text if column == self.COLUMN_TEXT else ", ".join(record.criteria)
