"""The import wizard: file, sheet and header row, column mapping with a live preview, problems, result.

It imports a register of any kind, as its RegisterSpec says: the pages ask the same questions of every kind.
Every read of the file and of the project runs on the background worker; the pages only show answers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from workbench.domain.enums import AssessmentStatus
from workbench.domain.errors import WorkbenchError
from workbench.services.changes import Change
from workbench.services.importers.kinds import CONTROLS
from workbench.services.importers.plan import Plan
from workbench.services.importers.preview import (
    AmbiguousDates,
    Applied,
    PlanPreview,
    SheetPreview,
    WorkbookPreview,
    apply_import,
    guessed_mapping,
    inspect_workbook,
    load_table,
    plan_import,
    preview_sheet,
    problem_column,
)
from workbench.services.importers.spec import (
    CREATE,
    MERGE,
    PROBLEM,
    SKIP,
    UNCHANGED,
    UPDATE,
    ImportOptions,
    RegisterSpec,
)
from workbench.services.importers.table import Table, column_letter
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.import_models import (
    ACTION,
    SORT_ROLE,
    PlanRowsModel,
    ProblemItem,
    ProblemsModel,
    SheetRowsModel,
)
from workbench.ui.operations import OperationContext
from workbench.ui.palette import STATUS_COLOURS
from workbench.ui.undo import LongEditCommand

NOT_IMPORTED = -1
PREVIEW_PLAN_ROWS = 200
FILE_FILTER = "Spreadsheets and JSON (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.tsv *.txt *.json);;All files (*)"
FILE_PAGE, SHEET_PAGE, MAPPING_PAGE, PROBLEMS_PAGE, RESULT_PAGE = range(5)


def _label(text: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def _error_label() -> QLabel:
    label = _label()
    label.setObjectName("importError")
    label.setStyleSheet(f"color: {STATUS_COLOURS[AssessmentStatus.GAP].name()};")
    label.setAccessibleName("Import problem")
    label.hide()
    return label


def _table(model: Any, name: str) -> tuple[QTableView, QSortFilterProxyModel | None]:
    view = QTableView()
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    proxy = None
    if isinstance(model, (PlanRowsModel, ProblemsModel)):
        proxy = QSortFilterProxyModel(view)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        view.verticalHeader().hide()
    else:
        view.setModel(model)
    return view, proxy


def field_label(spec: RegisterSpec, name: str) -> str:
    """Return how the mapping page names a field: its label, "(required)" after the key and the label."""
    label = spec.field(name).label
    return f"{label} (required)" if name in (spec.key, spec.label) else label


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _counts(plan: Plan) -> str:
    merged = f"{plan.count(MERGE)} merged · " if plan.count(MERGE) else ""
    return (f"{plan.count(CREATE)} to create · {plan.count(UPDATE)} to update · {plan.count(UNCHANGED)} unchanged · "
            f"{merged}{plan.count(SKIP)} skipped · {plan.count(PROBLEM)} with errors")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class _Page(QWizardPage):
    """A page whose completeness and validation are answered by the wizard."""

    def __init__(self, wizard: ImportWizard, number: int, title: str, subtitle: str) -> None:
        super().__init__()
        self._owner = wizard
        self._number = number
        self.setTitle(title)
        self.setSubTitle(subtitle)

    def isComplete(self) -> bool:
        return self._owner.page_complete(self._number)

    def validatePage(self) -> bool:
        return self._owner.validate_page(self._number)

    def initializePage(self) -> None:
        self._owner.enter_page(self._number)


class _FilePage(_Page):
    """Step 1: the file, chosen in a dialog, typed, or dropped on the page."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, FILE_PAGE, "Choose the file", wizard.spec.texts["file"])
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self._owner.choose_file(files[0])


class ImportWizard(QWizard):
    """Imports a register of any kind into the open project as one undoable change."""

    def __init__(self, context: PageContext, parent: QWidget | None = None, spec: RegisterSpec = CONTROLS) -> None:
        super().__init__(parent)
        self.context = context
        self.spec = spec
        self.setWindowTitle(spec.texts["window_title"])
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.resize(1100, 720)
        self.workbook: WorkbookPreview | None = None
        self.sheet_rows: SheetPreview | None = None
        self.header_row = 0
        self.table: Table | None = None
        self.preview: PlanPreview | None = None
        self.result: dict[str, Any] | None = None  # the import's result document once it ran (or failed)
        self.result_message = ""
        self.day_first: bool | None = None  # the user's answer when the file has dates that read two ways
        self.generate_ids = False  # rows without an ID get one made from their label
        self._busy = 0
        self._tickets: dict[str, int] = {}
        self._importing = False
        self._filling = False

        self.pages = [_FilePage(self), self._sheet_page(), self._mapping_page(), self._problems_page(),
                      self._result_page()]
        self._fill_file_page(self.pages[FILE_PAGE])
        for page in self.pages:
            self.addPage(page)

    # -- building -------------------------------------------------------------------------------------

    def _fill_file_page(self, page: QWizardPage) -> None:
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Spreadsheet file")
        self.path_edit.setPlaceholderText("Type or paste the path of the file, then press Enter")
        self.path_edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setToolTip("Choose the spreadsheet in a file dialog")
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        self.file_status = _label()
        self.file_status.setObjectName("fileStatus")
        self.file_error = _error_label()
        layout.addWidget(self.file_status)
        layout.addWidget(self.file_error)
        layout.addStretch(1)
        self.path_edit.returnPressed.connect(lambda: self.choose_file(self.path_edit.text()))
        self.path_edit.textEdited.connect(lambda _text: self._forget_file())
        self.browse_button.clicked.connect(self._browse)

    def _sheet_page(self) -> QWizardPage:
        page = _Page(self, SHEET_PAGE, "Sheet and header row", self.spec.texts["sheet"])
        layout = QHBoxLayout(page)
        left = QVBoxLayout()
        left.addWidget(_label("Sheets:"))
        self.sheet_list = QListWidget()
        self.sheet_list.setAccessibleName("Sheets")
        self.sheet_list.setMaximumWidth(260)
        left.addWidget(self.sheet_list, 1)
        header_row = QHBoxLayout()
        header_label = QLabel("&Header row:")
        self.header_spin = QSpinBox()
        self.header_spin.setAccessibleName("Header row")
        self.header_spin.setRange(0, 0)
        self.header_spin.setSpecialValueText("none")
        header_label.setBuddy(self.header_spin)
        header_row.addWidget(header_label)
        header_row.addWidget(self.header_spin)
        header_row.addStretch(1)
        left.addLayout(header_row)
        right = QVBoxLayout()
        self.sheet_status = _label()
        self.sheet_status.setObjectName("sheetStatus")
        self.sheet_error = _error_label()
        self.rows_model = SheetRowsModel(self)
        self.rows_view, _ = _table(self.rows_model, "First rows of the sheet")
        self.rows_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.rows_view.horizontalHeader().setDefaultSectionSize(140)
        right.addWidget(self.sheet_status)
        right.addWidget(self.sheet_error)
        right.addWidget(self.rows_view, 1)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self.sheet_list.currentRowChanged.connect(self._sheet_clicked)
        self.header_spin.valueChanged.connect(self._header_changed)
        self.rows_view.clicked.connect(lambda index: self.header_spin.setValue(index.row() + 1))
        return page

    def _mapping_page(self) -> QWizardPage:
        page = _Page(self, MAPPING_PAGE, "Columns",
                     "Which column holds each field. The preview below follows every change.")
        layout = QVBoxLayout(page)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.field_boxes: dict[str, QComboBox] = {}
        for field in self.spec.names:
            label = field_label(self.spec, field)
            box = QComboBox()
            box.setAccessibleName(f"Column for {label}")
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(18)
            box.currentIndexChanged.connect(lambda _i: self._mapping_changed())
            self.field_boxes[field] = box
            form.addRow(label + ":", box)
        self.generate_box = QCheckBox(f"&Make a {self.spec.field(self.spec.key).label} for rows that have none")
        self.generate_box.setToolTip(f"An ID made from the row's {self.spec.field(self.spec.label).label.lower()}: "
                                     "the same on every import of the file, so importing it again creates nothing")
        self.generate_box.toggled.connect(self.set_generate_ids)
        form.addRow(self.generate_box)
        form.addRow(self._date_box())
        splitter.addWidget(form_widget)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.mapping_status = _label()
        self.mapping_status.setObjectName("mappingStatus")
        self.mapping_error = _error_label()
        self.plan_model = PlanRowsModel(self.spec, self)
        self.plan_view, self.plan_proxy = _table(self.plan_model, "Import preview")
        header = self.plan_view.horizontalHeader()
        header.setSectionResizeMode(self.plan_model.reason, QHeaderView.ResizeMode.Stretch)
        self.plan_view.setColumnWidth(0, 55)
        self.plan_view.setColumnWidth(ACTION, 85)
        right_layout.addWidget(self.mapping_status)
        right_layout.addWidget(self.mapping_error)
        right_layout.addWidget(self.plan_view, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 740])
        layout.addWidget(splitter, 1)
        return page

    def _date_box(self) -> QGroupBox:
        """The question asked when the file writes dates that read two ways: hidden until then."""
        box = QGroupBox("Dates that read two ways")
        box.setObjectName("dateOrder")
        layout = QVBoxLayout(box)
        self.date_question = _label()
        self.date_question.setObjectName("dateQuestion")
        self.day_first_button = QRadioButton("&Day first")
        self.month_first_button = QRadioButton("&Month first")
        self.date_order = QButtonGroup(box)
        self.date_order.addButton(self.day_first_button)
        self.date_order.addButton(self.month_first_button)
        layout.addWidget(self.date_question)
        layout.addWidget(self.day_first_button)
        layout.addWidget(self.month_first_button)
        self.day_first_button.toggled.connect(lambda on: on and self.set_day_first(True))
        self.month_first_button.toggled.connect(lambda on: on and self.set_day_first(False))
        box.hide()
        self.date_box = box
        return box

    def _problems_page(self) -> QWizardPage:
        page = _Page(self, PROBLEMS_PAGE, "Check before importing",
                     "Rows with errors are not imported; warnings say what was left out of a row. "
                     "Fix the spreadsheet and go back, or import what can be imported.")
        page.setCommitPage(True)
        page.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        layout = QVBoxLayout(page)
        self.counts_label = _label()
        self.counts_label.setObjectName("importCounts")
        self.problems_model = ProblemsModel(self)
        self.problems_view, self.problems_proxy = _table(self.problems_model, "Problems by row and column")
        self.problems_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.problems_view.setColumnWidth(0, 55)
        self.problems_view.setColumnWidth(1, 220)
        self.problems_view.setColumnWidth(2, 80)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.problems_view, 1)
        return page

    def _result_page(self) -> QWizardPage:
        page = _Page(self, RESULT_PAGE, "Import", "")
        layout = QVBoxLayout(page)
        self.result_label = _label()
        self.result_label.setObjectName("importResult")
        self.result_error = _error_label()
        layout.addWidget(self.result_label)
        layout.addWidget(self.result_error)
        layout.addStretch(1)
        return page

    # -- the worker -----------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Return True while the wizard waits for the worker."""
        return self._busy > 0

    def _submit(self, kind: str, label: str, work: Callable[[OperationContext], Any],
                on_success: Callable[[Any], None], error: QLabel, status: QLabel) -> None:
        """Run work on the worker; only the newest request of a kind is answered; a failure shows on the page."""
        ticket = self._tickets.get(kind, 0) + 1
        self._tickets[kind] = ticket
        self._busy += 1
        error.hide()
        self._refresh()

        def done(result: Any) -> None:
            self._busy -= 1
            if self._tickets.get(kind) == ticket:
                on_success(result)
            self._refresh()

        def failed(exc: BaseException, trace: str) -> None:
            self._busy -= 1
            if self._tickets.get(kind) == ticket:
                status.clear()
                if isinstance(exc, WorkbenchError):
                    error.setText(str(exc))
                else:
                    error.setText(f"Unexpected error: {exc!r}")
                    self.context.fail(label, exc, trace)
                error.show()
            self._refresh()

        self.context.operations.run(work, done, failed, label=label, parent=self)

    def _forget(self, *kinds: str) -> None:
        for kind in kinds:
            self._tickets[kind] = self._tickets.get(kind, 0) + 1

    def _refresh(self) -> None:
        page = self.currentPage()
        if isinstance(page, _Page):
            page.completeChanged.emit()

    # -- step 1: file ---------------------------------------------------------------------------------

    def _browse(self) -> None:
        start = str(Path(self.path_edit.text()).parent) if self.path_edit.text() else ""
        chosen, _ = QFileDialog.getOpenFileName(self, f"{self.spec.texts['window_title']} from", start, FILE_FILTER)
        if chosen:
            self.choose_file(chosen)

    def _forget_file(self) -> None:
        self._forget("inspect", "sheet", "table", "plan")
        self.workbook = None
        self.file_status.clear()
        self.file_error.hide()
        self._refresh()

    def choose_file(self, path: str) -> None:
        """Read the file on the worker: its sheets, the guessed register sheet and header row."""
        path = path.strip().strip('"')
        if path != self.path_edit.text():
            self.path_edit.setText(path)
        self._forget_file()
        self._clear_day_first()
        if not path:
            return
        source = Path(path).expanduser()
        self.file_status.setText(f"Reading {source.name}…")
        spec = self.spec

        def work(operation: OperationContext) -> WorkbookPreview:
            found = inspect_workbook(source, spec)
            operation.progress(1, 1)
            return found

        self._submit("inspect", f"Reading {source.name}", work, self._file_read, self.file_error,
                     self.file_status)

    def _file_read(self, workbook: WorkbookPreview) -> None:
        self.workbook = workbook
        guessed = workbook.guessed
        self.file_status.setText(
            f"{_plural(len(workbook.sheets), 'sheet')}. {self.spec.texts['found']} “{guessed.sheet}”, "
            f"with the column headings on row {guessed.header_row}." if guessed.sheet else
            f"A JSON document of {_plural(guessed.total_rows - 1, 'record')}; their keys are the columns."
        )
        self._show_sheets(workbook)
        self._show_sheet(guessed)

    # -- step 2: sheet and header row -----------------------------------------------------------------

    def _show_sheets(self, workbook: WorkbookPreview) -> None:
        self._filling = True
        self.sheet_list.clear()
        for choice in workbook.sheets:
            item = QListWidgetItem(choice.name + (f"  ({choice.note})" if choice.note else ""))
            item.setData(Qt.ItemDataRole.UserRole, choice.name)
            if choice.note:
                item.setForeground(STATUS_COLOURS[AssessmentStatus.NOT_APPLICABLE])
                item.setToolTip(f"{choice.name}: {choice.note}")
            self.sheet_list.addItem(item)
            if choice.name == workbook.guessed.sheet:
                self.sheet_list.setCurrentItem(item)
        self._filling = False

    def _show_sheet(self, preview: SheetPreview) -> None:
        self.sheet_rows = preview
        self.table = None
        self.preview = None
        self._filling = True
        self.rows_model.set_rows(preview.rows)
        self.header_spin.setRange(0, preview.total_rows)
        self.header_spin.setValue(preview.header_row)
        self._filling = False
        self._set_header(preview.header_row)

    def select_sheet(self, name: str) -> None:
        """Show another sheet (read on the worker) with the row most like its header."""
        if self.workbook is None:
            return
        items = [self.sheet_list.item(i) for i in range(self.sheet_list.count())]
        item = next((i for i in items if i.data(Qt.ItemDataRole.UserRole) == name), None)
        if item is not None and self.sheet_list.currentItem() is not item:
            self.sheet_list.setCurrentItem(item)  # _sheet_clicked reads the sheet
            return
        if self.sheet_rows is not None and self.sheet_rows.sheet == name:
            return
        path = self.workbook.path
        self._forget("table", "plan")
        self.table = None
        self.preview = None
        self.sheet_status.setText(f"Reading sheet “{name}”…")
        spec = self.spec
        self._submit("sheet", f"Reading sheet {name}", lambda _op: preview_sheet(path, name, spec),
                     self._show_sheet, self.sheet_error, self.sheet_status)

    def _sheet_clicked(self, row: int) -> None:
        if self._filling or row < 0:
            return
        self.select_sheet(self.sheet_list.item(row).data(Qt.ItemDataRole.UserRole))

    def _header_changed(self, value: int) -> None:
        if not self._filling:
            self._forget("table", "plan")
            self.table = None
            self.preview = None
            self._set_header(value)

    def _set_header(self, row: int) -> None:
        self.header_row = row
        self.rows_model.set_header_row(row)
        preview = self.sheet_rows
        if preview is None:
            return
        if row == 0:
            self.sheet_status.setText(f"No header row found on “{preview.sheet}”: click the row with the headings.")
        else:
            shown = f" (first {len(preview.rows)} shown)" if preview.total_rows > len(preview.rows) else ""
            guessed = " (guessed)" if row == preview.header_row else ""
            self.sheet_status.setText(f"Sheet “{preview.sheet}”, {_plural(preview.total_rows, 'row')}{shown}. "
                                      f"Header row {row}{guessed}.")
            if row <= len(preview.rows):
                self.rows_view.scrollTo(self.rows_model.index(row - 1, 0))
        self._refresh()

    def _load_table(self) -> None:
        """Read the whole table below the chosen header, guess the mapping and plan it, on the worker."""
        if self.workbook is None or self.sheet_rows is None or self.context.project is None:
            return
        project, path, spec, options = self.context.project, self.workbook.path, self.spec, self.options()
        sheet, header_row = self.sheet_rows.sheet, self.header_row

        def work(operation: OperationContext) -> tuple[Table, PlanPreview]:
            table = load_table(path, sheet, header_row, spec)
            mapping = guessed_mapping(project, table, str(path), spec)
            return table, plan_import(project, table, mapping, str(path), spec, operation.progress, options=options)

        def loaded(result: tuple[Table, PlanPreview]) -> None:
            self.table, self.preview = result
            self.next()

        self._submit("table", f"Reading {path.name}", work, loaded, self.sheet_error, self.sheet_status)

    # -- step 3: mapping ------------------------------------------------------------------------------

    def _fill_mapping(self, preview: PlanPreview) -> None:
        self._filling = True
        for field, box in self.field_boxes.items():
            box.clear()
            box.addItem("(not imported)", NOT_IMPORTED)
            for index, header in enumerate(preview.headers):
                box.addItem(f"{column_letter(index)} · {' '.join(header.split())}", index)
            box.setCurrentIndex(max(box.findData(preview.mapping.get(field, NOT_IMPORTED)), 0))
        self._filling = False

    def mapping(self) -> dict[str, int]:
        """Return the mapping chosen in the combos: {field: column index}."""
        chosen = {field: box.currentData() for field, box in self.field_boxes.items()}
        return {field: index for field, index in chosen.items() if index is not None and index != NOT_IMPORTED}

    def set_field_column(self, field: str, header: str | None) -> None:
        """Choose the column with this header for a field (None: not imported), as a user picking in the combo."""
        box = self.field_boxes[field]
        if header is None:
            box.setCurrentIndex(box.findData(NOT_IMPORTED))
            return
        for position in range(box.count()):
            index = box.itemData(position)
            if index != NOT_IMPORTED and self.table is not None and \
                    " ".join(self.table.headers[index].split()) == " ".join(header.split()):
                box.setCurrentIndex(position)
                return
        raise KeyError(header)

    def _mapping_changed(self) -> None:
        if self._filling or self.table is None or self.workbook is None or self.context.project is None:
            return
        project, table, path, mapping = self.context.project, self.table, self.workbook.path, self.mapping()
        spec, options = self.spec, self.options()
        self.preview = None
        self.mapping_status.setText("Updating the preview…")
        self._submit("plan", "Previewing the import",
                     lambda operation: plan_import(project, table, mapping, str(path), spec, operation.progress,
                                                   options=options),
                     self._show_plan, self.mapping_error, self.mapping_status)

    def options(self) -> ImportOptions:
        """Return what the user said besides the mapping: the order of day and month, generated IDs."""
        return ImportOptions(self.day_first, self.generate_ids)

    def set_generate_ids(self, generate: bool) -> None:
        """Give rows without an ID a generated one (True), or report them as errors (False); plan again."""
        if self.generate_ids is generate:
            return
        self.generate_ids = generate
        if self.generate_box.isChecked() is not generate:
            self.generate_box.setChecked(generate)
        self._mapping_changed()

    def set_day_first(self, day_first: bool) -> None:
        """Read the file's ambiguous dates day first (True) or month first (False), and plan again."""
        if self.day_first is day_first:
            return
        self.day_first = day_first
        button = self.day_first_button if day_first else self.month_first_button
        if not button.isChecked():
            button.setChecked(True)
        self._mapping_changed()

    def _clear_day_first(self) -> None:
        """Forget the order of day and month: another file may write its dates the other way."""
        self.day_first = None
        self.date_order.setExclusive(False)
        self.day_first_button.setChecked(False)
        self.month_first_button.setChecked(False)
        self.date_order.setExclusive(True)

    @property
    def date_question_open(self) -> bool:
        """Return True while the file has dates that read two ways and the user has not said which order."""
        return self.preview is not None and self.preview.ambiguous is not None and self.day_first is None

    def _show_date_question(self, ambiguous: AmbiguousDates | None) -> None:
        self.date_box.setVisible(ambiguous is not None)
        if ambiguous is None:
            return
        dated = [name for name in self.spec.date_fields if name in self.mapping()]
        column = self.spec.field(dated[0]).label.lower() if dated else "date"
        self.date_question.setText(
            f"{_plural(ambiguous.count, 'date')} in the {column} column, such as “{ambiguous.example}”, could be "
            "read two ways. How does this file write dates?")
        self.day_first_button.setText(f"&Day first: “{ambiguous.example}” is {_day(ambiguous.day_first)}")
        self.month_first_button.setText(f"&Month first: “{ambiguous.example}” is {_day(ambiguous.month_first)}")

    def _show_plan(self, preview: PlanPreview) -> None:
        self.preview = preview
        self._show_date_question(preview.ambiguous)
        plan = preview.plan
        if plan is None:
            self.plan_model.set_rows([])
            self.mapping_status.setText(self.spec.texts["needs"])
            self.mapping_error.setText(preview.message)
            self.mapping_error.show()
            return
        self.mapping_error.hide()
        shown = plan.rows[:PREVIEW_PLAN_ROWS]
        more = f" (first {len(shown)} of {len(plan.rows)} rows shown)" if len(plan.rows) > len(shown) else ""
        status = _counts(plan) + more
        if self.date_question_open:
            status += "\nSay whether the file writes the day or the month first before going on."
        self.mapping_status.setText(status)
        self.plan_model.set_rows(shown)

    # -- step 4: problems -----------------------------------------------------------------------------

    def _show_problems(self) -> None:
        plan = self.preview.plan if self.preview is not None else None
        if plan is None:
            return
        errors = sum(1 for p in plan.problems if p.level == "error")
        warnings = len(plan.problems) - errors
        work = plan.count(CREATE) + plan.count(UPDATE)
        summary = f"{_counts(plan)}.\n{_plural(errors, 'error')} and {_plural(warnings, 'warning')}."
        if work == 0:
            summary += "\nNothing to import: every row is up to date, skipped or has an error."
        self.counts_label.setText(summary)
        self.problems_model.set_rows([ProblemItem(p.row, problem_column(plan, p), p.level, p.message)
                                      for p in plan.problems])

    # -- step 5: run ----------------------------------------------------------------------------------

    def _run_import(self) -> None:
        plan = self.preview.plan if self.preview is not None else None
        if plan is None or self.workbook is None or self._importing or self.result is not None:
            return
        name = self.workbook.path.name
        noun = self.spec.singular
        count = plan.count(CREATE) + plan.count(UPDATE)
        if count == 0:
            self.result_message = f"Nothing was imported from {name}: every {noun} is already up to date."
            self.result_label.setText(self.result_message)
            self.result = plan.document(dry_run=True)
            self._refresh()
            return
        label = f"Import {_plural(count, noun)} from {name}"

        def first_run(project: OpenProject, operation: OperationContext) -> Change[Applied]:
            return apply_import(project, plan, operation.progress)

        def done(applied: Applied) -> None:
            self._finish_import(plan, applied.document, name)

        self._importing = True
        self._busy += 1
        self.result_label.setText(f"Importing {_plural(count, noun)} from {name}…")
        self.context.apply(LongEditCommand(label, first_run), on_success=done, on_failure=self._import_failed)

    def _finish_import(self, plan: Plan, result: dict[str, Any], name: str) -> None:
        self._stop_importing()
        self.result = result
        skipped = plan.count(SKIP) + plan.count(PROBLEM)
        self.result_message = (
            f"Imported from {name}: {_plural(plan.count(CREATE), self.spec.singular)} created, "
            f"{plan.count(UPDATE)} updated, {plan.count(UNCHANGED)} unchanged, {_plural(skipped, 'row')} skipped.\n\n"
            "Edit > Undo removes the whole import in one step."
        )
        self.result_label.setText(self.result_message)
        self._refresh()

    def _import_failed(self, message: str) -> None:
        if not self._importing:
            return
        self._stop_importing()
        self.result_label.setText("Nothing was imported.")
        self.result_error.setText(message)
        self.result_error.show()
        self.result = {}
        self._refresh()

    def _stop_importing(self) -> None:
        if self._importing:
            self._importing = False
            self._busy -= 1

    # -- page protocol --------------------------------------------------------------------------------

    def page_complete(self, number: int) -> bool:
        """Return whether the page's Next/Import/Finish button may be pressed."""
        if self.busy:
            return False
        if number == FILE_PAGE:
            return self.workbook is not None
        if number == SHEET_PAGE:
            return self.sheet_rows is not None and self.header_row >= 1
        if number in (MAPPING_PAGE, PROBLEMS_PAGE):
            return self.preview is not None and self.preview.plan is not None and not self.date_question_open
        return self.result is not None

    def validate_page(self, number: int) -> bool:
        """Return True to move on; a page whose data is still to be read starts reading and moves on later."""
        if number == FILE_PAGE:
            typed = Path(self.path_edit.text().strip().strip('"')).expanduser()
            if self.workbook is None or self.workbook.path != typed:
                self.choose_file(self.path_edit.text())
                return False
        if number == SHEET_PAGE and self.table is None:
            self._load_table()
            return False
        return True

    def enter_page(self, number: int) -> None:
        """Fill a page as it is shown."""
        if number == MAPPING_PAGE and self.preview is not None:
            self._fill_mapping(self.preview)
            self._show_plan(self.preview)
        elif number == PROBLEMS_PAGE:
            self._show_problems()
        elif number == RESULT_PAGE:
            self._run_import()
