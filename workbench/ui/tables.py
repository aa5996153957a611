"""The read-only record tables the pages and dialogs show: one view set up one way, and its selection."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView

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


class ColumnFit(QObject):
    """Gives the column that names a row (a title, a summary, an item) the room, and the other columns what is left.

    The other columns have a preferred and a smallest width each: while the view is wide enough they keep the
    preferred, and the naming column stretches over the rest; in a narrower view they shrink together towards their
    smallest before the naming column goes under `name_least`. Their texts are elided; the models give the whole
    text as the tooltip. A width the user dragged a column to lasts until the view is resized.
    """

    def __init__(self, view: QTableView | QTreeView, name_column: int, widths: Mapping[int, tuple[int, int]],
                 name_least: int) -> None:
        super().__init__(view)
        self.view, self.name_column, self.widths, self.name_least = view, name_column, dict(widths), name_least
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(name_column, QHeaderView.ResizeMode.Stretch)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.viewport().installEventFilter(self)
        self.fit(view.viewport().width())

    def header(self) -> QHeaderView:
        """Return the view's column header."""
        return self.view.horizontalHeader() if isinstance(self.view, QTableView) else self.view.header()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit(self.view.viewport().width())
        return False

    def fit(self, width: int) -> None:
        """Size the other columns for a view `width` pixels wide."""
        header = self.header()
        shown = {column: sizes for column, sizes in self.widths.items() if not header.isSectionHidden(column)}
        least = sum(low for low, _ in shown.values())
        most = sum(high for _, high in shown.values())
        spare = width - self.name_least
        share = 1.0 if spare >= most else 0.0 if spare <= least or most == least else (spare - least) / (most - least)
        for column, (low, high) in shown.items():
            header.resizeSection(column, round(low + (high - low) * share))
        # Too narrow for all columns at their smallest: the naming column keeps its least and the view scrolls
        # sideways (stretched, it would be squeezed to nothing).
        squeezed = spare < least
        header.setSectionResizeMode(self.name_column, QHeaderView.ResizeMode.Interactive if squeezed
                                    else QHeaderView.ResizeMode.Stretch)
        if squeezed:
            header.resizeSection(self.name_column, self.name_least)
