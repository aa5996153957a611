"""Making a register's records (the period's incidents, joiners or leavers) an event-driven control's population:
the dialog choosing the control, and the undoable command it leads to."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from workbench.domain.enums import Frequency
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import ok_cancel
from workbench.ui.labels import plain_label
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
