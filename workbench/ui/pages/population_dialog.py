"""Making a register's records (the period's incidents, joiners or leavers) an event-driven control's population:
the dialog choosing the control, and the undoable command it leads to; and the dialog showing a population's items
with the checks each failed (a GitHub pull-request list's)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.enums import Frequency
from workbench.domain.pull_requests import CHECK_TEXT
from workbench.domain.testing import PopulationItem
from workbench.services.importers.kinds.pull_requests import item_checks
from workbench.services.populations import population_items
from workbench.ui.context import PageContext
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import ok_cancel
from workbench.ui.labels import plain_label
from workbench.ui.pages.evidence_model import format_date
from workbench.ui.pages.register_tab import RegisterTab, open_guarded
from workbench.ui.undo import EditCommand


class PopulationDialog(EditDialog):
    """Which event-driven control a register's records become the population of."""

    def __init__(self, title: str, text: str, refs: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        form.addRow(plain_label(text))
        self.add_fields(form)
        self.control = QComboBox()
        self.control.setAccessibleName("Control")
        for ref in refs:
            self.control.addItem(ref, ref)
        form.addRow("&Control", self.control)
        self.buttons = ok_cancel(self, "Use them")
        form.addRow(self.buttons)

    def add_fields(self, form: QFormLayout) -> None:
        """Add the dialog's own fields above the control (which records)."""

    def values(self) -> Any:
        """Return the control chosen."""
        return self.control.currentData()

    def refusal(self) -> str:
        """Refuse without an event-driven control to choose."""
        return "" if self.control.count() else "the project has no event-driven control"


def ask_population(tab: RegisterTab, make: Callable[[list[str]], PopulationDialog],
                   command: Callable[[Any], EditCommand | None]) -> None:
    """Ask which event-driven control (of the tab's data) takes the records as its population; apply the command
    the dialog's values give (undoable), none when it gives None."""
    if tab.data is None:
        return
    dialog = make(event_driven(tab.data.controls))

    def accepted() -> None:
        edit = command(dialog.values())
        if edit is not None:
            tab.context.apply(edit)

    tab.population_dialog = dialog  # type: ignore[attr-defined]
    open_guarded(dialog, accepted, tab.context)  # type: ignore[arg-type]


def event_driven(controls: Iterable[Any]) -> list[str]:
    """Return the references of the event-driven controls."""
    return [c.ref for c in controls if c.frequency is Frequency.EVENT_DRIVEN]


def checks_text(checks: list[str] | None) -> str:
    """Return the checks an item failed in words ("" when it passed them or was not checked)."""
    return "; ".join(CHECK_TEXT.get(c, c) for c in checks or ())


class PopulationItemsDialog(QDialog):
    """A population's items, read-only: key, date, in the period, and the checks each failed."""

    HEADERS = ("Key", "Date", "In period", "Checks failed")

    def __init__(self, ref: str, items: list[PopulationItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Population of {ref}")
        self.resize(720, 440)
        layout = QVBoxLayout(self)
        found = [item_checks(item) for item in items]
        self.summary = plain_label(self._summary(items, found))
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(items), len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setAccessibleName(f"Items of the population of {ref}")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        in_period = {True: "yes", False: "no", None: ""}
        for row, (item, checks) in enumerate(zip(items, found, strict=True)):
            cells = (item.key, format_date(item.day), in_period[item.in_period], checks_text(checks))
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip("\n".join(f"{h}: {t}" for h, t in item.data) if column == 0 else text)
                self.table.setItem(row, column, cell)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _summary(items: list[PopulationItem], found: list[list[str] | None]) -> str:
        checked = [c for c in found if c is not None]
        text = f"{len(items):,} items."
        if checked:
            flagged = sum(1 for c in checked if c)
            text += (f" {flagged} of {len(checked)} merged pull requests failed a change check." if flagged else
                     " Every merged pull request passed the change checks.")
        return text

    def row_texts(self, row: int) -> list[str]:
        """Return the texts of one row, as shown."""
        return [self.table.item(row, c).text() for c in range(self.table.columnCount())]


def show_population_items(context: PageContext, ref: str, parent: QWidget | None = None) -> None:
    """Read a control's population items on the worker, then show them with their checks."""

    def shown(items: list[PopulationItem]) -> None:
        dialog = PopulationItemsDialog(ref, items, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if parent is not None:
            parent.population_items_dialog = dialog  # type: ignore[attr-defined]
        dialog.open()

    context.load(lambda project: population_items(project, ref), shown, label=f"Reading the population of {ref}")
