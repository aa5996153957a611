"""The import wizard's five pages: each builds its widgets (kept on the wizard, where tests and steps find
them) and shows what the wizard's steps hand it; completeness and validation are answered by the wizard."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from workbench.domain.enums import AssessmentStatus
from workbench.services.changes import Change
from workbench.services.importers.plan import Plan
from workbench.services.importers.preview import (
    AmbiguousDates,
    Applied,
    PlanPreview,
    WorkbookPreview,
    apply_import,
    problem_column,
)
from workbench.services.importers.spec import CREATE, MERGE, PROBLEM, SKIP, UNCHANGED, UPDATE, RegisterSpec
from workbench.services.importers.table import column_letter
from workbench.services.session import OpenProject
from workbench.ui.dates import shown_date
from workbench.ui.import_models import SORT_ROLE, PlanRowsModel, ProblemItem, ProblemsModel, SheetRowsModel
from workbench.ui.operations import OperationContext
from workbench.ui.palette import state_text, text_style
from workbench.ui.tables import row_table
from workbench.ui.undo import LongEditCommand

if TYPE_CHECKING:
    from workbench.ui.import_wizard import ImportWizard

NOT_IMPORTED = -1
PREVIEW_LEAST_WIDTH = 360  # the mapping page's preview never narrower: the form's column scrolls first
PREVIEW_PLAN_ROWS = 200
FILE_FILTER = "Spreadsheets and JSON (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.tsv *.txt *.json);;All files (*)"
FILE_PAGE, SHEET_PAGE, MAPPING_PAGE, PROBLEMS_PAGE, RESULT_PAGE = range(5)


def label(text: str = "", *, wrap: bool = True) -> QLabel:
    """Return a plain-text label."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(wrap)
    return widget


def error_label() -> QLabel:
    """Return the hidden label in which a page says what went wrong."""
    widget = label()
    widget.setObjectName("importError")
    widget.setStyleSheet(text_style(AssessmentStatus.GAP))
    widget.setAccessibleName("Import problem")
    widget.hide()
    return widget


def status_labels(layout: QVBoxLayout, name: str) -> tuple[QLabel, QLabel]:
    """Add a page's status line (object name `name`) and its hidden error line to `layout`; return both."""
    status, error = label(), error_label()
    status.setObjectName(name)
    layout.addWidget(status)
    layout.addWidget(error)
    return status, error


def table(model: Any, name: str) -> tuple[QTableView, QSortFilterProxyModel | None]:
    """Return a read-only table of rows on `model` (sortable, through a proxy, for plan rows and problems)."""
    if not isinstance(model, (PlanRowsModel, ProblemsModel)):
        view = row_table(model, name, stripes=True, wrap=False)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        return view, None
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = row_table(proxy, name, sort_column=0, stripes=True, wrap=False, row_numbers=False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    proxy.setParent(view)
    return view, proxy


def _scrolling(form: QWidget) -> QScrollArea:
    """Return the form in a frameless area that scrolls up and down, as wide as the form: a kind with many fields
    (risks, people: 17) does not make the wizard taller than a small screen."""
    area = QScrollArea()
    area.setObjectName("mappingFields")
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(form)
    bar = area.style().pixelMetric(area.style().PixelMetric.PM_ScrollBarExtent)
    area.setMinimumWidth(form.minimumSizeHint().width() + bar)
    return area


def field_label(spec: RegisterSpec, name: str) -> str:
    """Return how the mapping page names a field: its label, "(required)" after the key (unless rows may come without
    one: a keyless kind) and the label."""
    text = spec.field(name).label
    required = name == spec.label or (name == spec.key and not spec.keyless)
    return f"{text} (required)" if required else text


def day(value: date) -> str:
    """Return a date as the GUI shows it, the month by name (unambiguous whichever order a file uses)."""
    return shown_date(value)


def counts(plan: Plan) -> str:
    """Return what a plan would do, row counts by action."""
    merged = f"{plan.count(MERGE)} merged · " if plan.count(MERGE) else ""
    return (f"{plan.count(CREATE)} to create · {plan.count(UPDATE)} to update · {plan.count(UNCHANGED)} unchanged · "
            f"{merged}{plan.count(SKIP)} skipped · {plan.count(PROBLEM)} with errors")


def plural(count: int, word: str) -> str:
    """Return "1 row" or "2 rows"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


class WizardPage(QWizardPage):
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


class FilePage(WizardPage):
    """Step 1: the file, chosen in a dialog, typed, or dropped on the page."""

    def __init__(self, wizard: ImportWizard) -> None:
        # What the file is goes in the page, not the subtitle: the wizard's header keeps the height it was set up
        # with, so a long subtitle lost its last line once the wizard was made narrower
        super().__init__(wizard, FILE_PAGE, "Choose the file", "Type its path, browse to it, or drop it here.")
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        about = label(wizard.spec.texts["file"])
        about.setObjectName("fileAbout")
        layout.addWidget(about)
        row = QHBoxLayout()
        wizard.path_edit = QLineEdit()
        wizard.path_edit.setAccessibleName("Spreadsheet file")
        wizard.path_edit.setPlaceholderText("Type or paste the path of the file, then press Enter")
        wizard.path_edit.setClearButtonEnabled(True)
        wizard.browse_button = QPushButton("&Browse…")
        wizard.browse_button.setToolTip("Choose the spreadsheet in a file dialog")
        row.addWidget(wizard.path_edit, 1)
        row.addWidget(wizard.browse_button)
        layout.addLayout(row)
        wizard.file_status, wizard.file_error = status_labels(layout, "fileStatus")
        layout.addStretch(1)
        wizard.path_edit.returnPressed.connect(lambda: wizard.choose_file(wizard.path_edit.text()))
        wizard.path_edit.textEdited.connect(lambda _text: wizard.forget_file())
        wizard.browse_button.clicked.connect(self.browse)

    def browse(self) -> None:
        """Choose the file in a dialog that starts where the typed path is."""
        wizard = self._owner
        start = str(Path(wizard.path_edit.text()).parent) if wizard.path_edit.text() else ""
        chosen, _ = QFileDialog.getOpenFileName(wizard, f"{wizard.spec.title} from", start,
                                                FILE_FILTER)
        if chosen:
            wizard.choose_file(chosen)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self._owner.choose_file(files[0])


class SheetPage(WizardPage):
    """Step 2: the sheet and the row that holds the column headings."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, SHEET_PAGE, "Sheet and header row", wizard.spec.texts["sheet"])
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(label("Sheets:"))
        wizard.sheet_list = QListWidget()
        wizard.sheet_list.setAccessibleName("Sheets")
        wizard.sheet_list.setMaximumWidth(260)
        left.addWidget(wizard.sheet_list, 1)
        header_row = QHBoxLayout()
        header_label = QLabel("&Header row:")
        wizard.header_spin = QSpinBox()
        wizard.header_spin.setAccessibleName("Header row")
        wizard.header_spin.setRange(0, 0)
        wizard.header_spin.setSpecialValueText("none")
        header_label.setBuddy(wizard.header_spin)
        header_row.addWidget(header_label)
        header_row.addWidget(wizard.header_spin)
        header_row.addStretch(1)
        left.addLayout(header_row)
        right = QVBoxLayout()
        wizard.rows_model = SheetRowsModel(wizard)
        wizard.rows_view, _ = table(wizard.rows_model, "First rows of the sheet")
        wizard.rows_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        wizard.rows_view.horizontalHeader().setDefaultSectionSize(140)
        wizard.sheet_status, wizard.sheet_error = status_labels(right, "sheetStatus")
        right.addWidget(wizard.rows_view, 1)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        wizard.sheet_list.currentRowChanged.connect(self._sheet_clicked)
        wizard.header_spin.valueChanged.connect(wizard.header_changed)
        wizard.rows_view.clicked.connect(lambda index: wizard.header_spin.setValue(index.row() + 1))

    def show_sheets(self, workbook: WorkbookPreview) -> None:
        """List the workbook's sheets, with the guessed one current (without reading it again)."""
        sheets = self._owner.sheet_list
        self._owner.filling = True
        sheets.clear()
        for choice in workbook.sheets:
            item = QListWidgetItem(choice.name + (f"  ({choice.note})" if choice.note else ""))
            item.setData(Qt.ItemDataRole.UserRole, choice.name)
            if choice.note:
                item.setForeground(state_text(AssessmentStatus.NOT_APPLICABLE, sheets.palette()))
                item.setToolTip(f"{choice.name}: {choice.note}")
            sheets.addItem(item)
            if choice.name == workbook.guessed.sheet:
                sheets.setCurrentItem(item)
        self._owner.filling = False

    def _sheet_clicked(self, row: int) -> None:
        if self._owner.filling or row < 0:
            return
        self._owner.select_sheet(self._owner.sheet_list.item(row).data(Qt.ItemDataRole.UserRole))


class MappingPage(WizardPage):
    """Step 3: which column holds each field, with a live preview of the plan."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, MAPPING_PAGE, "Columns",
                         "Which column holds each field. The preview below follows every change.")
        spec = wizard.spec
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        wizard.field_boxes = {}
        for field in spec.names:
            text = field_label(spec, field)
            box = QComboBox()
            box.setAccessibleName(f"Column for {text}")
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(18)
            box.currentIndexChanged.connect(lambda _i: wizard.mapping_changed())
            wizard.field_boxes[field] = box
            form.addRow(text + ":", box)
        wizard.generate_box = QCheckBox(f"&Make a {spec.field(spec.key).label} for rows that have none")
        wizard.generate_box.setToolTip(f"An ID made from the row's {spec.field(spec.label).label.lower()}: "
                                       "the same on every import of the file, so importing it again creates nothing")
        wizard.generate_box.toggled.connect(wizard.set_generate_ids)
        form.addRow(wizard.generate_box)
        form.addRow(self._date_box())
        splitter.addWidget(_scrolling(form_widget))
        right = QWidget()
        right.setMinimumWidth(PREVIEW_LEAST_WIDTH)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        wizard.plan_model = PlanRowsModel(spec, wizard)
        wizard.plan_view, wizard.plan_proxy = table(wizard.plan_model, "Import preview")
        header = wizard.plan_view.horizontalHeader()
        # The label and the action share the room; the rest keep their width. Cells too narrow have tooltips.
        for column in (wizard.plan_model.column_of(spec.label), wizard.plan_model.action):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        wizard.plan_view.setColumnWidth(0, 55)
        wizard.mapping_status, wizard.mapping_error = status_labels(right_layout, "mappingStatus")
        right_layout.addWidget(wizard.plan_view, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 740])
        layout.addWidget(splitter, 1)

    def _date_box(self) -> QGroupBox:
        """The question asked when the file writes dates that read two ways: hidden until then."""
        wizard = self._owner
        box = QGroupBox("Dates that read two ways")
        box.setObjectName("dateOrder")
        layout = QVBoxLayout(box)
        wizard.date_question = label()
        wizard.date_question.setObjectName("dateQuestion")
        wizard.day_first_button = QRadioButton("&Day first")
        wizard.month_first_button = QRadioButton("&Month first")
        wizard.date_order = QButtonGroup(box)
        wizard.date_order.addButton(wizard.day_first_button)
        wizard.date_order.addButton(wizard.month_first_button)
        layout.addWidget(wizard.date_question)
        layout.addWidget(wizard.day_first_button)
        layout.addWidget(wizard.month_first_button)
        wizard.day_first_button.toggled.connect(lambda on: on and wizard.set_day_first(True))
        wizard.month_first_button.toggled.connect(lambda on: on and wizard.set_day_first(False))
        box.hide()
        wizard.date_box = box
        return box

    def fill(self, preview: PlanPreview) -> None:
        """Offer the table's columns in every field's combo, the guessed mapping chosen."""
        wizard = self._owner
        wizard.filling = True
        for field, box in wizard.field_boxes.items():
            box.clear()
            box.addItem("(not imported)", NOT_IMPORTED)
            for index, header in enumerate(preview.headers):
                box.addItem(f"{column_letter(index)} · {' '.join(header.split())}", index)
            box.setCurrentIndex(max(box.findData(preview.mapping.get(field, NOT_IMPORTED)), 0))
        wizard.filling = False

    def clear_date_order(self) -> None:
        """Uncheck both answers to the question of day and month."""
        wizard = self._owner
        wizard.date_order.setExclusive(False)
        wizard.day_first_button.setChecked(False)
        wizard.month_first_button.setChecked(False)
        wizard.date_order.setExclusive(True)

    def _show_date_question(self, ambiguous: AmbiguousDates | None) -> None:
        wizard = self._owner
        wizard.date_box.setVisible(ambiguous is not None)
        if ambiguous is None:
            return
        dated = [name for name in wizard.spec.date_fields if name in wizard.mapping()]
        column = wizard.spec.field(dated[0]).label.lower() if dated else "date"
        wizard.date_question.setText(
            f"{plural(ambiguous.count, 'date')} in the {column} column, such as “{ambiguous.example}”, could be "
            "read two ways. How does this file write dates?")
        wizard.day_first_button.setText(f"&Day first: “{ambiguous.example}” is {day(ambiguous.day_first)}")
        wizard.month_first_button.setText(f"&Month first: “{ambiguous.example}” is {day(ambiguous.month_first)}")

    def show_plan(self, preview: PlanPreview) -> None:
        """Show a planned import: its counts, its first rows, and the date question when there is one."""
        wizard = self._owner
        wizard.preview = preview
        self._show_date_question(preview.ambiguous)
        plan = preview.plan
        if plan is None:
            wizard.plan_model.set_rows([])
            wizard.mapping_status.setText(wizard.spec.texts["needs"])
            wizard.mapping_error.setText(preview.message)
            wizard.mapping_error.show()
            return
        wizard.mapping_error.hide()
        shown = plan.rows[:PREVIEW_PLAN_ROWS]
        more = f" (first {len(shown)} of {len(plan.rows)} rows shown)" if len(plan.rows) > len(shown) else ""
        status = counts(plan) + more
        if wizard.date_question_open:
            status += "\nSay whether the file writes the day or the month first before going on."
        wizard.mapping_status.setText(status)
        wizard.plan_model.set_rows(shown)


class ProblemsPage(WizardPage):
    """Step 4: the plan's counts and its problems, row by row, before the import."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, PROBLEMS_PAGE, "Check before importing",
                         "Rows with errors are not imported; warnings say what was left out of a row. "
                         "Fix the spreadsheet and go back, or import what can be imported.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        layout = QVBoxLayout(self)
        wizard.counts_label = label()
        wizard.counts_label.setObjectName("importCounts")
        wizard.problems_model = ProblemsModel(wizard)
        wizard.problems_view, wizard.problems_proxy = table(wizard.problems_model, "Problems by row and column")
        wizard.problems_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        wizard.problems_view.setColumnWidth(0, 55)
        wizard.problems_view.setColumnWidth(1, 220)
        wizard.problems_view.setColumnWidth(2, 80)
        layout.addWidget(wizard.counts_label)
        layout.addWidget(wizard.problems_view, 1)

    def show_problems(self, plan: Plan) -> None:
        """Show the plan's counts and every problem by row and column."""
        wizard = self._owner
        errors = sum(1 for p in plan.problems if p.level == "error")
        warnings = len(plan.problems) - errors
        work = plan.count(CREATE) + plan.count(UPDATE)
        summary = f"{counts(plan)}.\n{plural(errors, 'error')} and {plural(warnings, 'warning')}."
        if work == 0:
            summary += "\nNothing to import: every row is up to date, skipped or has an error."
        wizard.counts_label.setText(summary)
        wizard.problems_model.set_rows([ProblemItem(p.row, problem_column(plan, p), p.level, p.message)
                                        for p in plan.problems])


class ResultPage(WizardPage):
    """Step 5: the import runs, and says what it did or why nothing was imported."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, RESULT_PAGE, "Import", "")
        layout = QVBoxLayout(self)
        wizard.result_label, wizard.result_error = status_labels(layout, "importResult")
        layout.addStretch(1)
        self._importing = False

    def run_import(self) -> None:
        """Apply the planned import as one undoable edit (or say that there is nothing to import)."""
        wizard = self._owner
        plan = wizard.preview.plan if wizard.preview is not None else None
        if plan is None or wizard.workbook is None or self._importing or wizard.result is not None:
            return
        name = wizard.workbook.path.name
        noun = wizard.spec.singular
        count = plan.count(CREATE) + plan.count(UPDATE)
        if count == 0:
            wizard.result_message = f"Nothing was imported from {name}: every {noun} is already up to date."
            wizard.result_label.setText(wizard.result_message)
            wizard.result = plan.document(dry_run=True)
            wizard.refresh_buttons()
            return
        text = f"Import {plural(count, noun)} from {name}"

        def first_run(project: OpenProject, operation: OperationContext) -> Change[Applied]:
            return apply_import(project, plan, operation.progress)

        def done(applied: Applied) -> None:
            self._finish_import(plan, applied.document, name)

        self._importing = True
        wizard.errands.outstanding += 1
        wizard.result_label.setText(f"Importing {plural(count, noun)} from {name}…")
        wizard.context.apply(LongEditCommand(text, first_run), on_success=done, on_failure=self._import_failed)

    def _finish_import(self, plan: Plan, result: dict[str, Any], name: str) -> None:
        wizard = self._owner
        self._stop_importing()
        wizard.result = result
        skipped = plan.count(SKIP) + plan.count(PROBLEM)
        wizard.result_message = (
            f"Imported from {name}: {plural(plan.count(CREATE), wizard.spec.singular)} created, "
            f"{plan.count(UPDATE)} updated, {plan.count(UNCHANGED)} unchanged, {plural(skipped, 'row')} skipped.\n\n"
            + (f"{result['message']}\n\n" if result.get("message") else "")  # what the kind reports (joiners...)
            + "Edit > Undo removes the whole import in one step."
        )
        wizard.result_label.setText(wizard.result_message)
        wizard.refresh_buttons()

    def _import_failed(self, message: str) -> None:
        if not self._importing:
            return
        wizard = self._owner
        self._stop_importing()
        wizard.result_label.setText("Nothing was imported.")
        wizard.result_error.setText(message)
        wizard.result_error.show()
        wizard.result = {}
        wizard.refresh_buttons()

    def _stop_importing(self) -> None:
        if self._importing:
            self._importing = False
            self._owner.errands.outstanding -= 1
