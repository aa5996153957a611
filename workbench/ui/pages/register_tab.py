"""One register as a tab of the Registers page: a sortable, searchable, filterable table of its records with Add,
Edit, Remove and Import, every edit an undoable command. A register declares its columns, filters, form and
services (a subclass); the tab does the rest the same way for all of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHeaderView, QPushButton, QVBoxLayout, QWidget

from workbench.domain.errors import WorkbenchError
from workbench.services.changes import Change
from workbench.services.importers.spec import RegisterSpec
from workbench.services.register_records import RecordKind, add_record, remove_record, update_record
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.fields import search_box
from workbench.ui.labels import plain_label
from workbench.ui.layouts import packed_row, split
from workbench.ui.pages.record_form import FormField, RecordDialog
from workbench.ui.pages.register_model import ALL, Choice, Column, RecordsFilter, RecordsModel
from workbench.ui.tables import row_table, selected_record
from workbench.ui.undo import EditCommand

MOST_WIDTH = 150  # a column's width at most when fitted to its contents (its tooltip shows the rest)
NAME_WIDTH = 320  # the width at most of the column naming the record (its scenario, title or name)


class RegisterTab(QWidget):
    """A register's records. Subclasses set the class attributes and implement the record conversions."""

    key = ""  # the register's kind ("risks"): the page's name for the tab
    title = ""  # the tab's text
    noun = "record"
    argument = "record"  # what the services call the record ("record" in the record engine; "entry" for a decision)
    kind: RecordKind[Any] | None = None  # the records the record engine edits (services.register_records)
    spec: RegisterSpec | None = None  # what Import… imports
    columns: Sequence[Column] = ()
    choices: Sequence[Choice] = ()
    intro = ""
    record_type: Callable[..., Any] | None = None  # the dataclass a new record is (its id 0), for record_from()
    stretch_column = 1  # the column naming the record (its scenario, title or name): it gets more room

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.data: Any = None
        self.dialog: RecordDialog | None = None
        self.import_wizard: Any = None
        layout = QVBoxLayout(self)
        self.layout_ = layout
        if self.intro:
            layout.addWidget(plain_label(self.intro))
        self.summary = plain_label()
        self.summary.setObjectName(f"{self.key}Summary")
        layout.addWidget(self.summary)
        self.model = RecordsModel(self.columns, self)
        self.proxy = RecordsFilter(self.model)
        self.search = search_box(f"Search {self.title.lower()} (Ctrl+F)", f"Search {self.title.lower()}")
        self.search.setMinimumWidth(260)
        self.search.textChanged.connect(self.show_count)
        self.filter = QComboBox()
        self.filter.setAccessibleName(f"Filter {self.title.lower()}")
        for choice in (ALL, *self.choices):
            self.filter.addItem(choice.label if choice is not ALL else f"All {self.title.lower()}", choice)
        self.filter.currentIndexChanged.connect(self.show_count)
        self.shown = plain_label(wrap=False)
        self.shown.setMinimumWidth(110)
        layout.addLayout(packed_row(self.search, self.filter, self.shown))
        self.view = row_table(self.proxy, self.title, sort_column=0, row_numbers=False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _index: self.edit())
        self.add_button = QPushButton(f"&Add {self.noun}…")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.clicked.connect(self.remove)
        self.import_button = QPushButton("&Import…")
        self.import_button.clicked.connect(self.open_import)
        self.buttons = [self.add_button, self.edit_button, self.remove_button, self.import_button,
                        *self.extra_buttons()]
        self.build_extra(layout)
        side = self.side_widget()
        layout.addWidget(self.view if side is None else split(self.view, side, stretch=(1, 0)), 1)
        layout.addLayout(packed_row(*self.buttons))
        QShortcut(QKeySequence("Ctrl+Shift+I"), self, self.open_import,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Delete, self.view, self.remove, context=Qt.ShortcutContext.WidgetShortcut)

    # -- what a register declares ------------------------------------------------------------------------

    @staticmethod
    def fetch(project: OpenProject) -> Any:
        """Read the register (worker thread; services only)."""
        raise TypeError("a register tab must define fetch()")

    def records(self, data: Any) -> Sequence[Any]:
        """Return the rows of the table from what fetch() read."""
        raise TypeError(f"{type(self).__name__} must define records()")

    def form(self) -> Sequence[FormField]:
        """Return the fields of the edit dialog."""
        raise TypeError(f"{type(self).__name__} must define form()")

    def values_of(self, record: Any | None) -> dict[str, Any]:
        """Return a record's values for the dialog: its form's fields (a register gives a new one's, for None)."""
        if record is None:
            raise TypeError(f"{type(self).__name__} must give a new record's values (values_of(None))")
        return {name: getattr(record, name) for name in (f.name for f in self.form())}

    def record_from(self, values: dict[str, Any], record: Any | None) -> Any:
        """Return the record the dialog's values describe: a change of `record`, or a new `record_type`."""
        if record is not None:
            return replace(record, **values)
        if self.record_type is None:
            raise TypeError(f"{type(self).__name__} must name its record_type or define record_from()")
        return self.record_type(0, **values)

    def services(self) -> tuple[Service, Service, Service]:
        """Return the services adding, changing and removing a record: (project, <argument>=record) -> Change,
        and (project, <argument>_id=id) -> Change for the removal; by default the record engine's for `kind`."""
        if self.kind is None:
            raise TypeError(f"{type(self).__name__} must name its record kind or define services()")
        return (partial(add_record, kind=self.kind), partial(update_record, kind=self.kind),
                partial(remove_record, kind=self.kind))

    def refusal(self) -> str:
        """Return why the register cannot be changed now (a signed risk assessment), or ""."""
        return ""

    def note(self, values: dict[str, Any]) -> str:
        """Return a line the dialog shows under the fields as they change (a vendor's criticality), or ""."""
        return ""

    def describe(self, data: Any) -> str:
        """Return the line above the table (what needs attention)."""
        return ""

    def extra_buttons(self) -> list[QPushButton]:
        """Return the register's own buttons, placed after Import."""
        return []

    def build_extra(self, layout: QVBoxLayout) -> None:
        """Add the register's own widgets above the table (a heat map)."""

    def show_extra(self, data: Any) -> None:
        """Fill the register's own widgets."""

    def side_widget(self) -> QWidget | None:
        """Return what the register shows beside its table (the heat maps), or None."""
        return None

    # -- shared ---------------------------------------------------------------------------------------------

    @property
    def control_refs(self) -> tuple[str, ...]:
        """Return the project's control references (the dialogs link them)."""
        controls = getattr(self.data, "controls", ())
        return tuple(c.ref for c in controls)

    def show(self, data: Any) -> None:  # type: ignore[override]
        """Show what fetch() read, keeping the selection where the record still is."""
        chosen = self.selected()
        self.data = data
        self.model.set_rows(list(self.records(data)))
        self.summary.setText(self.describe(data))
        self.summary.setVisible(bool(self.summary.text()))
        self.show_count()
        for column in range(self.model.columnCount()):
            self.view.resizeColumnToContents(column)
            most = NAME_WIDTH if column == self.stretch_column else MOST_WIDTH
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), most))
        refused = self.refusal()
        for button in (self.add_button, self.edit_button, self.remove_button, self.import_button):
            button.setEnabled(not refused)
            button.setToolTip(refused)
        self.show_extra(data)  # after the buttons: a register may hold one back (vendor reports need a vendor)
        if chosen is not None:
            self.select(getattr(chosen, "ref", None))

    def show_count(self) -> None:
        """Apply the search and the filter, and say how many records they let through."""
        self.proxy.set_search(self.search.text())
        self.proxy.set_choice(self.filter.currentData() or ALL)
        self.shown.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()} shown")

    def selected(self) -> Any | None:
        """Return the record selected in the table, if any."""
        return selected_record(self.view)

    def select(self, ref: str | None) -> None:
        """Select the row of the record with this reference (when it is shown)."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if getattr(self.model.record(self.proxy.mapToSource(index).row()), "ref", None) == ref:
                self.view.selectRow(row)
                return

    def _refused(self) -> bool:
        why = self.refusal()
        if why:
            self.context.fail("Cannot change the register", WorkbenchError(self.title, why))
        return bool(why)

    def add(self) -> None:
        """Ask for a new record and add it (undoable)."""
        if self.data is None or self._refused():
            return
        dialog = RecordDialog(f"Add {self.noun}", self.form(), self.values_of(None), self.control_refs, self,
                              self.note)

        def accepted() -> None:
            record = self.record_from(dialog.parsed(), None)
            self.context.apply(EditCommand(f"Add {self.noun} {getattr(record, 'ref', '')}".strip(),
                                           partial(self.services()[0], **{self.argument: record})),
                               on_success=lambda _value: self.select(getattr(record, "ref", None)))

        self.open_dialog(dialog, accepted)

    def edit(self) -> None:
        """Edit the selected record (undoable)."""
        before = self.selected()
        if before is None or self._refused():
            return
        dialog = RecordDialog(f"Edit {self.noun} {getattr(before, 'ref', '')}".strip(), self.form(),
                              self.values_of(before), self.control_refs, self, self.note)

        def accepted() -> None:
            record = self.record_from(dialog.parsed(), before)
            if record != before:
                self.context.apply(EditCommand(f"Edit {self.noun} {getattr(before, 'ref', '')}".strip(),
                                               partial(self.services()[1], **{self.argument: record})))

        self.open_dialog(dialog, accepted)

    def remove(self) -> None:
        """Remove the selected record (undoable)."""
        gone = self.selected()
        if gone is None or self._refused():
            return
        self.context.apply(EditCommand(f"Remove {self.noun} {getattr(gone, 'ref', '')}".strip(),
                                       partial(self.services()[2], **{f"{self.argument}_id": gone.id})))

    def open_dialog(self, dialog: RecordDialog, on_accept: Callable[[], None]) -> None:
        """Open an add/edit dialog: on_accept runs when it is accepted; closing with changes asks."""
        self.dialog = dialog
        open_guarded(dialog, on_accept, self.context)

    def open_import(self) -> None:
        """Open the import wizard for this register."""
        if self.spec is None or self._refused():
            return
        from workbench.ui.import_wizard import ImportWizard  # the wizard loads when first asked for

        self.import_wizard = ImportWizard(self.context, parent=self, spec=self.spec)
        self.import_wizard.open()


Service = Callable[..., Change[Any]]


def next_ref(rows: Sequence[Any], prefix: str) -> str:
    """Return the first free reference `prefix`001, `prefix`002, ... not taken by the rows."""
    taken = {row.ref for row in rows}
    return next(f"{prefix}{n:03d}" for n in range(1, len(taken) + 2) if f"{prefix}{n:03d}" not in taken)


def open_guarded(dialog: RecordDialog, on_accept: Callable[[], None], context: PageContext) -> None:
    """Open a dialog: on_accept runs when it is accepted; closing it with changes asks first."""
    dialog.accepted.connect(on_accept)
    dialog.finished.connect(dialog.deleteLater)
    dialog.guard(context.edits)
    dialog.open()
