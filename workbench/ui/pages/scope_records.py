"""A table of scope records with Add, Edit and Remove buttons, sortable and searchable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.fields import search_box
from workbench.ui.layouts import packed_row
from workbench.ui.pages.scope_models import RECORD_ROLE, SORT_ROLE, RecordModel
from workbench.ui.tables import ColumnFit, row_table

STRETCH_LEAST = 180  # the stretched column's least width before the others shrink


class RecordPanel(QWidget):
    """Shows records in a table; asks the page to add, edit or remove them."""

    add_requested = Signal()
    edit_requested = Signal(object)  # the selected record
    remove_requested = Signal(object)  # the selected record

    def __init__(self, model: RecordModel, noun: str, hint: str, stretch_column: int,
                 widths: Mapping[int, tuple[int, int]] | None = None, parent: QWidget | None = None) -> None:
        """`widths`: the other columns' (smallest, preferred) widths; the stretched column takes the rest."""
        super().__init__(parent)
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)

        top = QHBoxLayout()
        explanation = QLabel(hint)
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        explanation.setWordWrap(True)
        top.addWidget(explanation, 1)
        self.search = search_box("Search", f"Search {noun}s")
        self.search.setMaximumWidth(240)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        top.addWidget(self.search)
        layout.addLayout(top)

        # Sorted by no column: insertion order until a header is clicked.
        self.table = row_table(self.proxy, f"{noun.capitalize()}s", sort_column=-1, wrap=False, row_numbers=False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setHighlightSections(False)
        self.columns = ColumnFit(self.table, stretch_column, widths or {}, STRETCH_LEAST)
        self.table.doubleClicked.connect(lambda _index: self._edit())
        self.table.activated.connect(lambda _index: self._edit())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)

        self.add_button = QPushButton(f"&Add {noun}…")
        self.edit_button = QPushButton("&Edit…")
        self.remove_button = QPushButton("&Remove")
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(self._edit)
        self.remove_button.clicked.connect(self._remove)
        layout.addLayout(packed_row(self.add_button, self.edit_button, self.remove_button))
        self.table.installEventFilter(self)  # Delete in the table removes the selected record
        self._update_buttons()

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show these records, keeping the selected one selected when it is still there."""
        selected = self.selected()
        self.model.set_rows(rows)
        if selected is not None:
            self.select(selected.id)
        self._update_buttons()

    def selected(self) -> Any:
        """Return the selected record, or None."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(RECORD_ROLE) if rows else None

    def select(self, record_id: int) -> bool:
        """Select the record with this id; return False when it is not shown."""
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.matches(QKeySequence.StandardKey.Delete)):
            self._remove()
            return True
        return super().eventFilter(watched, event)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _edit(self) -> None:
        record = self.selected()
        if record is not None:
            self.edit_requested.emit(record)

    def _remove(self) -> None:
        record = self.selected()
        if record is not None:
            self.remove_requested.emit(record)
