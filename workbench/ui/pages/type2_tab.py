"""The evidence page's Type II tab: each control's expected windows, population, sample and results, what is missing."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.testing import Population, Sample, SampleItem, SampleResult
from workbench.services.importers.kinds import POPULATIONS
from workbench.services.period import AUTOMATED, POPULATION, ControlPeriod
from workbench.services.populations import link_population_evidence_ids
from workbench.services.samples import draw_sample, import_selection, record_result
from workbench.ui.context import PageContext
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.evidence_picker import EvidencePicker
from workbench.ui.labels import plain_label as _label
from workbench.ui.layouts import pane
from workbench.ui.pages.evidence_model import format_date
from workbench.ui.pages.population_dialog import show_population_items
from workbench.ui.pages.type2_models import (
    SampleItemsModel,
    Type2ControlsModel,
    Type2Data,
    WindowsModel,
    still_missing,
)
from workbench.ui.tables import ColumnFit, row_table
from workbench.ui.undo import EditCommand

FILE_FILTER = "Spreadsheets, CSV and JSON (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt *.json);;All files (*)"


TESTED_ONCE = "tested once (an automated control, whatever its frequency)"


def _table(model: Any, name: str) -> QTableView:
    view = row_table(model, name, wrap=False, row_numbers=False)
    view.verticalHeader().setDefaultSectionSize(22)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class DrawSampleDialog(EditDialog):
    """Asks how to draw a sample: the table's size or another with a reason, and an optional seed."""

    def __init__(self, ref: str, table_size: int, table_name: str, drawn_from: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Draw the sample of {ref}")
        self.table_size = table_size
        form = QFormLayout()
        form.addRow("Drawn from", _label(drawn_from))
        form.addRow("Sample table", _label(f"{table_name}: {table_size} item{'' if table_size == 1 else 's'}"))
        self.override = QCheckBox("Another size:")
        self.size = QSpinBox()
        self.size.setRange(1, 1_000_000)
        self.size.setValue(max(table_size, 1))
        self.size.setEnabled(False)
        self.override.toggled.connect(self.size.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.override)
        row.addWidget(self.size, 1)
        form.addRow("Size", row)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why the table's size is not used (required for another size)")
        form.addRow("&Reason", self.reason)
        self.seed = QLineEdit()
        self.seed.setPlaceholderText("Left empty: a new random seed, recorded with the sample")
        form.addRow("S&eed", self.seed)
        form.addRow("", _label("Selection orders the keys by SHA-256 of seed and key and takes the first ones, "
                               "so anyone can redo it from the seed."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Draw")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for signal in (self.override.toggled, self.reason.textChanged, self.size.valueChanged):
            signal.connect(lambda *_args: self._validate())
        self._validate()

    def _validate(self) -> None:
        self.ok_button.setEnabled(not self.refusal())

    def choice(self) -> dict[str, Any]:
        """Return draw_sample's keyword arguments as entered."""
        size = self.size.value() if self.override.isChecked() else None
        return {"size": size, "reason": self.reason.text().strip() if size else "",
                "seed": self.seed.text().strip() or None}

    def values(self) -> tuple[Any, ...]:
        """Return what the dialog holds (another size, its reason, the seed)."""
        return self.override.isChecked(), self.size.value(), self.reason.text(), self.seed.text()

    def refusal(self) -> str:
        """Return why the sample cannot be drawn as entered, or ""."""
        return "give the reason for another size" if self.override.isChecked() and not self.reason.text().strip() \
            else ""


class ExceptionDialog(EditDialog):
    """Asks what the exception found in testing a sample item was, and which evidence shows it."""

    def __init__(self, ref: str, item: SampleItem, evidence: list[tuple[int, str]], parent: QWidget | None = None,
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Exception in {item.key} ({ref})")
        form = QFormLayout()
        self.note = QPlainTextEdit(item.note)
        self.note.setPlaceholderText("What was found: the deviation from the control as described")
        self.note.setTabChangesFocus(True)
        self.evidence = QComboBox()
        self.evidence.addItem("No evidence", None)
        for evidence_id, title in evidence:
            self.evidence.addItem(title, evidence_id)
        self.evidence.setCurrentIndex(max(self.evidence.findData(item.evidence_id), 0))
        form.addRow("&Note", self.note)
        form.addRow("&Evidence", self.evidence)
        form.addRow("", _label("The exception goes to the report's exceptions, where management's response is "
                               "asked for."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        record = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        record.setText("Record exception")
        self.note.textChanged.connect(lambda: record.setEnabled(not self.refusal()))
        record.setEnabled(not self.refusal())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(520, 300)

    def values(self) -> tuple[str, Any]:
        """Return the note and the evidence chosen."""
        return self.note.toPlainText(), self.evidence.currentData()

    def refusal(self) -> str:
        """Return why the exception cannot be recorded yet, or ""."""
        return "" if self.note.toPlainText().strip() else "say what was found"


class Type2Tab(QWidget):
    """Per control: expected windows, population (with its import), sample (drawn or the auditor's) and results."""

    control_requested = Signal(str)  # show this control's evidence

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.data: Type2Data = Type2Data(None)
        self.selected_ref: str | None = None
        self.dialog: QDialog | None = None
        self.import_wizard: Any = None

        outer = QVBoxLayout(self)
        self.summary = _label()
        self.summary.setObjectName("type2Summary")
        outer.addWidget(self.summary)
        splitter = QSplitter()
        outer.addWidget(splitter, 1)

        self.controls_model = Type2ControlsModel(self)
        self.controls = _table(self.controls_model, "Controls and what the period expects")
        self.controls.setObjectName("type2Controls")
        self.controls_columns = ColumnFit(self.controls, Type2ControlsModel.TITLE, {
            Type2ControlsModel.REF: (56, 60), Type2ControlsModel.EXPECTS: (100, 200),
            Type2ControlsModel.SAMPLE: (90, 150)}, 170)
        self.controls.selectionModel().currentRowChanged.connect(self._control_changed)
        self.missing = QListWidget()
        self.missing.setAccessibleName("Still missing")
        self.missing.setObjectName("type2Missing")
        self.missing.itemActivated.connect(lambda item: self.select_control(item.data(Qt.ItemDataRole.UserRole)))
        left, left_layout = pane(self.controls, _label("Still missing", bold=True), self.missing)
        left_layout.setStretch(0, 3)
        left_layout.setStretch(2, 1)
        splitter.addWidget(left)

        self.heading = _label(bold=True, scale=1.15)
        self.note = _label()
        right, right_layout = pane(self.heading, self.note)

        upper = QHBoxLayout()
        self.windows_model = WindowsModel(self)
        self.windows = _table(self.windows_model, "Expected windows")
        self.windows.setObjectName("type2Windows")
        for column, width in ((0, 96), (1, 88), (2, 88), (3, 70)):
            self.windows.setColumnWidth(column, width)
        upper.addWidget(self.windows, 3)
        self.population_box = QGroupBox("Population")
        pform = QFormLayout(self.population_box)
        self.pop_source = _label(selectable=True)
        self.pop_query = _label(selectable=True)
        self.pop_generated = _label()
        self.pop_rows = _label()
        self.pop_sha = _label(selectable=True)
        self.pop_evidence = _label()
        for label, widget in (("Source", self.pop_source), ("Query", self.pop_query),
                              ("Generated", self.pop_generated), ("Rows", self.pop_rows),
                              ("SHA-256", self.pop_sha), ("C&&A evidence", self.pop_evidence)):
            pform.addRow(label, widget)
        self.import_button = QPushButton("&Import population…")
        self.import_button.setToolTip("Import the list of every event in the period, exported from the system of "
                                      "record, through the import wizard")
        self.import_button.clicked.connect(self.import_population)
        self.link_button = QPushButton("&Link evidence…")
        self.link_button.setToolTip("Link the evidence that shows the population complete and accurate")
        self.link_button.clicked.connect(self.link_evidence)
        self.items_button = QPushButton("It&ems…")
        self.items_button.setToolTip("Show every item of the population with the checks it failed (a pull-request "
                                     "list: merged without approval, self-approved, emergency without a later review)")
        self.items_button.clicked.connect(lambda: self.selected_ref and show_population_items(
            self.context, self.selected_ref, self))
        population_buttons = QHBoxLayout()
        population_buttons.addStretch(1)
        population_buttons.addWidget(self.items_button)
        population_buttons.addWidget(self.link_button)
        population_buttons.addWidget(self.import_button)
        pform.addRow(population_buttons)
        upper.addWidget(self.population_box, 2)
        right_layout.addLayout(upper, 2)

        self.sample_box = QGroupBox("Sample")
        sample_layout = QVBoxLayout(self.sample_box)
        self.sample_info = _label(selectable=True)
        self.sample_info.setObjectName("type2SampleInfo")
        sample_layout.addWidget(self.sample_info)
        buttons = QHBoxLayout()
        self.draw_button = QPushButton("&Draw sample…")
        self.draw_button.clicked.connect(self.draw)
        self.selection_button = QPushButton("Auditor's se&lection…")
        self.selection_button.setToolTip("Import the auditor's own selection from their file: its keys are matched "
                                         "to the population's")
        self.selection_button.clicked.connect(self.choose_selection)
        self.pass_button = QPushButton("&Pass")
        self.pass_button.setToolTip("Record the selected item as tested without exception")
        self.pass_button.clicked.connect(self.record_pass)
        self.exception_button = QPushButton("E&xception…")
        self.exception_button.clicked.connect(self.record_exception)
        for button in (self.draw_button, self.selection_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.pass_button, self.exception_button):
            buttons.addWidget(button)
        sample_layout.addLayout(buttons)
        self.items_model = SampleItemsModel(self)
        self.items = _table(self.items_model, "Sample items")
        self.items.setObjectName("type2Items")
        for column, width in ((0, 90), (1, 88), (2, 80), (3, 220)):
            self.items.setColumnWidth(column, width)
        self.items.selectionModel().currentRowChanged.connect(lambda *_args: self._update_buttons())
        self.items.doubleClicked.connect(lambda _index: self.record_exception())
        sample_layout.addWidget(self.items, 1)
        right_layout.addWidget(self.sample_box, 3)
        self.message = _label()
        self.message.setObjectName("type2Message")
        right_layout.addWidget(self.message)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 640])
        self._show_control(None)

    # -- showing ------------------------------------------------------------------------------------------

    def set_data(self, data: Type2Data) -> None:
        """Show the Type II picture, keeping the selected control."""
        self.data = data
        keep = self.selected_ref
        self.controls_model.set_data(data)
        missing = data.missing if data.missing is not None else still_missing(data)
        self.missing.clear()
        for ref, what in missing:
            self.missing.addItem(f"{ref}: {what}")
            self.missing.item(self.missing.count() - 1).setData(Qt.ItemDataRole.UserRole, ref)
        if data.period is None:
            self.summary.setText("This project has no audit period: set one in step 1 for the Type II tests.")
        else:
            needing = len({ref for ref, _ in missing})
            self.summary.setText(
                f"Audit period {format_date(data.period.start)} – {format_date(data.period.end)}: "
                f"{len(data.controls)} controls, {len(data.populations)} populations, {len(data.samples)} samples; "
                + (f"{needing} controls still need something (below)." if needing else "nothing is missing."))
        if keep is None and data.controls:
            keep = data.controls[0].control.ref
        if not (keep and self.select_control(keep)):
            self._show_control(None)

    def select_control(self, ref: str) -> bool:
        """Select a control in the tab's list; False when it is not there."""
        row = self.controls_model.row_of(ref)
        if row < 0:
            return False
        index = self.controls_model.index(row, 0)
        self.controls.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.controls.scrollTo(index)
        self._show_control(self.controls_model.record(row))
        return True

    def _control_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show_control(self.controls_model.record(current.row()))

    def _show_control(self, item: ControlPeriod | None) -> None:
        self.selected_ref = item.control.ref if item else None
        if item is None:
            self.heading.setText("No control selected")
            self.note.setText("")
            self.windows_model.set_rows([])
            self._show_population(None, False)
            self._show_sample(None)
            return
        control = item.control
        self.heading.setText(f"{control.ref}  {control.title}")
        frequency = control.frequency.label if control.frequency else "no frequency"
        since = f"  ·  implemented {format_date(control.implemented_since)}" if control.implemented_since else ""
        retired = f"  ·  retired {format_date(control.retired_on)}" if control.retired_on else ""
        self.note.setText(f"{frequency}{since}{retired}" + (f"  ·  {item.note}" if item.note else ""))
        self.windows_model.set_rows(item.windows)
        self.windows.setVisible(bool(item.windows) or item.expects != POPULATION)
        self._show_population(self.data.populations.get(control.ref), item.expects == POPULATION)
        self._show_sample(self.data.samples.get(control.ref))

    def _show_population(self, population: Population | None, expected: bool) -> None:
        self.population_box.setVisible(expected or population is not None)
        self.population_box.setTitle("Population" if expected else "Population (not expected of this control)")
        self.import_button.setEnabled(self.selected_ref is not None)
        self.link_button.setEnabled(population is not None)
        self.items_button.setEnabled(population is not None)
        self.import_button.setText("Re-&import population…" if population else "&Import population…")
        if population is None:
            for label in (self.pop_query, self.pop_generated, self.pop_sha, self.pop_evidence):
                label.setText("")
            self.pop_source.setText("none imported" if expected else "")
            self.pop_rows.setText("")
            return
        info = population.info
        self.pop_source.setText(info.source or "not stated")
        self.pop_query.setText(info.query or "not stated")
        generated = ", ".join(x for x in (info.generated_by, format_date(info.generated_at)) if x)
        self.pop_generated.setText(generated or "not stated")
        outside = f"; {population.out_of_period} dated outside the period" if population.out_of_period else ""
        self.pop_rows.setText(f"{population.row_count:,} from {info.filename}{outside}")
        self.pop_sha.setText(info.sha256)
        titles = [self.data.evidence[i].title for i in population.evidence_ids if i in self.data.evidence]
        self.pop_evidence.setText("; ".join(titles) or "none linked yet")

    def _show_sample(self, sample: Sample | None) -> None:
        self.items_model.evidence = self.data.evidence
        self.items_model.set_rows(sample.items if sample else ())
        ref = self.selected_ref
        if sample is None:
            size = self.data.table_sizes.get(ref or "", 0)
            item = self.data.control(ref) if ref else None
            table = TESTED_ONCE if item is not None and item.expects == AUTOMATED else self.data.table_name
            self.sample_info.setText(f"No sample yet; the sample table ({table}) asks for {size}."
                                     if ref and size else "No sample yet.")
        else:
            how = (f"the auditor's selection from {sample.from_file}" if sample.from_file else
                   f"seed {sample.seed}, table {sample.table_name}" if sample.table_name else
                   f"seed {sample.seed}, {TESTED_ONCE}")
            reason = f"; size chosen because {sample.reason}" if sample.reason else ""
            noun = "item" if sample.size == 1 else "items"
            self.sample_info.setText(f"{sample.size} {noun}, {how}{reason}.\nMethod: {sample.method}")
        self.sample_box.setTitle(f"Sample of {ref}" if ref else "Sample")
        self._update_buttons()

    def _update_buttons(self) -> None:
        ref = self.selected_ref
        sample = self.data.samples.get(ref) if ref else None
        can_draw = ref is not None and (sample is None or not sample.has_results)
        self.draw_button.setEnabled(can_draw)
        self.selection_button.setEnabled(can_draw)
        self.draw_button.setToolTip("" if can_draw or ref is None else
                                    "This sample has results; a new one would lose them")
        item = self.selected_item()
        self.pass_button.setEnabled(item is not None)
        self.exception_button.setEnabled(item is not None)

    def selected_item(self) -> SampleItem | None:
        """Return the sample item selected, or None."""
        index = self.items.selectionModel().currentIndex()
        return self.items_model.record(index.row()) if index.isValid() else None

    def select_item(self, key: str) -> bool:
        """Select a sample item by key; False when the shown sample has none."""
        row = self.items_model.row_of(key)
        if row < 0:
            return False
        self.items.selectionModel().setCurrentIndex(
            self.items_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._update_buttons()
        return True

    # -- actions --------------------------------------------------------------------------------------------

    def import_population(self) -> None:
        """Open the import wizard for a population of the selected control."""
        from workbench.ui.import_wizard import ImportWizard

        ref = self.selected_ref
        if ref is None:
            return
        self.import_wizard = ImportWizard(self.context, parent=self, spec=POPULATIONS, details={"control": ref})
        self.import_wizard.open()

    def draw(self) -> None:
        """Ask how to draw the selected control's sample, then draw it (undoable)."""
        ref = self.selected_ref
        if ref is None:
            return
        population = self.data.populations.get(ref)
        item = self.data.control(ref)
        drawn_from = (f"population of {population.row_count:,} items ({population.info.filename})" if population
                      else f"{len(item.windows) if item else 0} expected windows")
        table = TESTED_ONCE if item is not None and item.expects == AUTOMATED else self.data.table_name
        dialog = DrawSampleDialog(ref, self.data.table_sizes.get(ref, 0), table, drawn_from, self)
        self._open(dialog, lambda: self.apply_draw(ref, **dialog.choice()))

    def apply_draw(self, ref: str, size: int | None = None, reason: str = "", seed: str | None = None) -> None:
        """Draw the control's sample on the worker as one undoable edit."""
        self.context.apply(EditCommand(f"Draw the sample of {ref}", partial(
            draw_sample, control_ref=ref, size=size, reason=reason, seed=seed)),
            on_success=lambda sample: self.message.setText(
                f"Drew {sample.size} items for {ref} with seed {sample.seed}; Edit > Undo takes the sample back."))

    def choose_selection(self) -> None:
        """Ask for the auditor's selection file and import it as the selected control's sample."""
        ref = self.selected_ref
        if ref is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, f"The auditor's selection for {ref}", "", FILE_FILTER)
        if name:
            self.apply_selection(ref, Path(name))

    def apply_selection(self, ref: str, path: Path) -> None:
        """Import the auditor's selection on the worker as one undoable edit; report keys it did not match."""
        def done(selection: Any) -> None:
            unmatched = selection.unmatched
            self.message.setText(f"Imported {selection.sample.size} items of the auditor's selection for {ref}"
                                 + (f"; not in the population: {', '.join(unmatched)}" if unmatched else "") + ".")

        self.context.apply(EditCommand(f"Import the auditor's selection for {ref}", partial(
            import_selection, control_ref=ref, path=path)), on_success=done)

    def record_pass(self) -> None:
        """Record the selected sample item as passed (undoable)."""
        item = self.selected_item()
        if item is not None and self.selected_ref is not None:
            self.apply_result(self.selected_ref, item.key, SampleResult.PASS, item.evidence_id, "")

    def record_exception(self) -> None:
        """Ask for the exception's note and evidence, then record it (undoable; it goes to the report)."""
        item, ref = self.selected_item(), self.selected_ref
        if item is None or ref is None:
            return
        evidence = [(e.id, e.title) for e in self.data.evidence.values() if e.control_ref == ref]
        dialog = ExceptionDialog(ref, item, evidence, self)
        self._open(dialog, lambda: self.apply_result(ref, item.key, SampleResult.EXCEPTION,
                                                     dialog.evidence.currentData(), dialog.note.toPlainText()))

    def apply_result(self, ref: str, key: str, result: SampleResult, evidence_id: int | None, note: str) -> None:
        """Record a sample item's result on the worker as one undoable edit."""
        word = "pass" if result is SampleResult.PASS else "exception"
        self.context.apply(EditCommand(f"Record {word} for {key} ({ref})", partial(
            record_result, control_ref=ref, key=key, result=result, evidence_id=evidence_id, note=note)),
            on_success=lambda _value: self.message.setText(
                f"Recorded {word} for {key}" + ("; it is among the report's exceptions, awaiting management's "
                                                "response." if result is SampleResult.EXCEPTION else ".")))

    def link_evidence(self) -> None:
        """Ask which evidence shows the population complete and accurate, then link it (one undoable edit)."""
        ref = self.selected_ref
        population = self.data.populations.get(ref) if ref else None
        if ref is None or population is None:
            return
        dialog = EvidencePicker(
            f"Completeness and accuracy of the population of {ref}",
            f"Tick the evidence that shows the population of {ref} ({population.info.filename}) is complete and "
            "accurate: the query or report that produced it, a screenshot of its row count, a reconciliation.",
            list(self.data.evidence.values()), linked=population.evidence_ids, first=ref, parent=self)
        self._open(dialog, lambda: self.apply_link(ref, dialog.values()))

    def apply_link(self, ref: str, evidence_ids: tuple[int, ...]) -> None:
        """Link completeness-and-accuracy evidence to the control's population on the worker (undoable)."""
        noun = "evidence" if len(evidence_ids) == 1 else f"{len(evidence_ids)} evidence files"
        self.context.apply(EditCommand(f"Link {noun} to the population of {ref}", partial(
            link_population_evidence_ids, control_ref=ref, evidence_ids=evidence_ids)))

    def _open(self, dialog: EditDialog, on_accept: Any) -> None:
        """Open a dialog as `self.dialog`; closing it with changes asks first."""
        self.dialog = dialog
        dialog.accepted.connect(on_accept)
        dialog.finished.connect(lambda _result: self._forget(dialog))
        dialog.guard(self.context.edits)
        dialog.open()

    def _forget(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
