"""The read-only record tables the pages and dialogs show: one view set up one way, and its selection."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from workbench.ui.row_model import RowTableModel


def row_table(model: QAbstractItemModel, name: str, *, sort_column: int | None = None, stripes: bool = False,
              wrap: bool = True, row_numbers: bool = True) -> QTableView:
    """Return a table on `model` that the user reads and picks one whole row from, but never edits in place."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if sort_column is not None:
        view.setSortingEnabled(True)
        view.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    view.setAlternatingRowColors(stripes)
    view.setWordWrap(wrap)
    if not row_numbers:
        view.verticalHeader().hide()
    return view


def selected_record(view: QTableView) -> Any:
    """Return the record of the selected row, looked up through any sorting or filtering proxy, or None."""
    rows = view.selectionModel().selectedRows()
    if not rows:
        return None
    index, model = rows[0], view.model()
    while isinstance(model, QAbstractProxyModel):
        index, model = model.mapToSource(index), model.sourceModel()
    return model.record(index.row()) if isinstance(model, RowTableModel) else None


def select_row(view: QTableView, index: QModelIndex) -> None:
    """Make the row of `index` the only one selected."""
    view.selectionModel().select(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
