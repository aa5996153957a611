"""The import wizard: file, sheet and header row, column mapping with a live preview, problems, result.

It imports a register of any kind, as its RegisterSpec says: the pages ask the same questions of every kind.
Every read of the file and of the project runs on the background worker; the pages only show answers.
The pages build and fill their widgets (ui/import_pages.py); the wizard holds what was read and chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QWidget, QWizard

from workbench.services.importers.kinds import CONTROLS
from workbench.services.importers.preview import (
    PlanPreview,
    SheetPreview,
    WorkbookPreview,
    guessed_mapping,
    inspect_workbook,
    load_table,
    plan_import,
    preview_sheet,
)
from workbench.services.importers.spec import ImportOptions, RegisterSpec
from workbench.services.importers.table import Table
from workbench.ui.context import PageContext
from workbench.ui.import_details import DetailsForm
from workbench.ui.import_pages import (
    FILE_PAGE,
    MAPPING_PAGE,
    NOT_IMPORTED,
    PROBLEMS_PAGE,
    RESULT_PAGE,
    SHEET_PAGE,
    FilePage,
    MappingPage,
    ProblemsPage,
    ResultPage,
    SheetPage,
    WizardPage,
    field_label,
    plural,
)
from workbench.ui.import_worker import Errands
from workbench.ui.operations import OperationContext

__all__ = ["FILE_PAGE", "MAPPING_PAGE", "PROBLEMS_PAGE", "RESULT_PAGE", "SHEET_PAGE", "ImportWizard", "field_label"]

PREFERRED = QSize(1100, 720)
# The least size at which every page stays laid out: it fits a 1280x720 screen with a title bar and a taskbar.
MINIMUM = QSize(880, 560)
SCREEN_MARGIN = QSize(40, 80)  # what the window's frame and the desktop's panels take of the available screen


def opening_size(available: QSize) -> QSize:
    """Return the size the wizard opens at on a screen with this much room: the preferred size, made smaller to
    fit the screen (frame and panels allowed for), never below the minimum."""
    room = available - SCREEN_MARGIN
    return PREFERRED.boundedTo(room).expandedTo(MINIMUM)


class ImportWizard(QWizard):
    """Imports a register of any kind into the open project as one undoable change."""

    def __init__(self, context: PageContext, parent: QWidget | None = None, spec: RegisterSpec = CONTROLS,
                 details: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.spec = spec
        self.details_form = DetailsForm(spec, details)  # the spec's import-level details, some preset by the page
        self.setWindowTitle(spec.title)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setSizeGripEnabled(True)
        self.setMinimumSize(MINIMUM)
        self.resize(opening_size((parent or self).screen().availableGeometry().size()))
        self.workbook: WorkbookPreview | None = None
        self.sheet_rows: SheetPreview | None = None
        self.header_row = 0
        self.table: Table | None = None
        self.preview: PlanPreview | None = None
        self.result: dict[str, Any] | None = None  # the import's result document once it ran (or failed)
        self.result_message = ""
        self.day_first: bool | None = None  # the user's answer when the file has dates that read two ways
        self.generate_ids = False  # rows without an ID get one made from their label
        self.filling = False  # True while the pages fill their widgets: their signals then change nothing
        self.errands = Errands(context, self, self.refresh_buttons)
        self.file_page, self.sheet_page = FilePage(self), SheetPage(self)
        self.mapping_page, self.problems_page, self.result_page = MappingPage(self), ProblemsPage(self), \
            ResultPage(self)
        self.pages: list[WizardPage] = [self.file_page, self.sheet_page, self.mapping_page, self.problems_page,
                                        self.result_page]
        for page in self.pages:
            self.addPage(page)
        file_layout = self.pages[FILE_PAGE].layout()
        file_layout.insertWidget(file_layout.count() - 1, self.details_form)
        self.details_form.changed.connect(self._details_changed)

    @property
    def busy(self) -> bool:
        """Return True while the wizard waits for the worker."""
        return self.errands.outstanding > 0

    def refresh_buttons(self) -> None:
        """Let the current page's buttons follow what is read and chosen."""
        page = self.currentPage()
        if isinstance(page, WizardPage):
            page.completeChanged.emit()

    # -- step 1: file ---------------------------------------------------------------------------------

    def forget_file(self) -> None:
        """Drop the file read so far (and every answer still to come about it)."""
        self.errands.forget("inspect", "sheet", "table", "plan")
        self.workbook = None
        self.file_status.clear()
        self.file_error.hide()
        self.refresh_buttons()

    def choose_file(self, path: str) -> None:
        """Read the file on the worker: its sheets, the guessed register sheet and header row."""
        path = path.strip().strip('"')
        if path != self.path_edit.text():
            self.path_edit.setText(path)
        self.forget_file()
        self.day_first = None  # another file may write its dates the other way
        self.mapping_page.clear_date_order()
        if not path:
            return
        source = Path(path).expanduser()
        self.file_status.setText(f"Reading {source.name}…")
        spec = self.spec

        def work(operation: OperationContext) -> WorkbookPreview:
            found = inspect_workbook(source, spec)
            operation.progress(1, 1)
            return found

        self.errands.submit("inspect", f"Reading {source.name}", work, self._file_read, self.file_error,
                            self.file_status)

    def _file_read(self, workbook: WorkbookPreview) -> None:
        self.workbook = workbook
        guessed = workbook.guessed
        self.file_status.setText(
            f"{plural(len(workbook.sheets), 'sheet')}. {self.spec.texts['found']} “{guessed.sheet}”, "
            f"with the column headings on row {guessed.header_row}." if guessed.sheet else
            f"A JSON document of {plural(guessed.total_rows - 1, 'record')}; their keys are the columns."
        )
        self.sheet_page.show_sheets(workbook)
        self._show_sheet(guessed)

    # -- step 2: sheet and header row -----------------------------------------------------------------

    def _show_sheet(self, preview: SheetPreview) -> None:
        self.sheet_rows = preview
        self.table = None
        self.preview = None
        self.filling = True
        self.rows_model.set_rows(preview.rows)
        self.header_spin.setRange(0, preview.total_rows)
        self.header_spin.setValue(preview.header_row)
        self.filling = False
        self._set_header(preview.header_row)

    def select_sheet(self, name: str) -> None:
        """Show another sheet (read on the worker) with the row most like its header."""
        if self.workbook is None:
            return
        items = [self.sheet_list.item(i) for i in range(self.sheet_list.count())]
        item = next((i for i in items if i.data(Qt.ItemDataRole.UserRole) == name), None)
        if item is not None and self.sheet_list.currentItem() is not item:
            self.sheet_list.setCurrentItem(item)  # the sheet page reads the sheet
            return
        if self.sheet_rows is not None and self.sheet_rows.sheet == name:
            return
        path = self.workbook.path
        self.errands.forget("table", "plan")
        self.table = None
        self.preview = None
        self.sheet_status.setText(f"Reading sheet “{name}”…")
        spec = self.spec
        self.errands.submit("sheet", f"Reading sheet {name}", lambda _op: preview_sheet(path, name, spec),
                            self._show_sheet, self.sheet_error, self.sheet_status)

    def header_changed(self, value: int) -> None:
        """Take another header row, as the user chose it."""
        if not self.filling:
            self.errands.forget("table", "plan")
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
            self.sheet_status.setText(f"Sheet “{preview.sheet}”, {plural(preview.total_rows, 'row')}{shown}. "
                                      f"Header row {row}{guessed}.")
            if row <= len(preview.rows):
                self.rows_view.scrollTo(self.rows_model.index(row - 1, 0))
        self.refresh_buttons()

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

        self.errands.submit("table", f"Reading {path.name}", work, loaded, self.sheet_error, self.sheet_status)

    # -- step 3: mapping ------------------------------------------------------------------------------

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

    def mapping_changed(self) -> None:
        """Plan the import again (on the worker) for the mapping and options now chosen."""
        if self.filling or self.table is None or self.workbook is None or self.context.project is None:
            return
        project, table, path, mapping = self.context.project, self.table, self.workbook.path, self.mapping()
        spec, options = self.spec, self.options()
        self.preview = None
        self.mapping_status.setText("Updating the preview…")
        self.errands.submit("plan", "Previewing the import",
                            lambda operation: plan_import(project, table, mapping, str(path), spec,
                                                          operation.progress, options=options),
                            self.mapping_page.show_plan, self.mapping_error, self.mapping_status)

    def options(self) -> ImportOptions:
        """Return what the user said besides the mapping: the order of day and month, generated IDs."""
        return ImportOptions(self.day_first, self.generate_ids, self.details_form.values())

    def _details_changed(self) -> None:
        self.refresh_buttons()
        if self.table is not None:
            self.mapping_changed()  # the plan holds the details: make it again

    def set_generate_ids(self, generate: bool) -> None:
        """Give rows without an ID a generated one (True), or report them as errors (False); plan again."""
        if self.generate_ids is generate:
            return
        self.generate_ids = generate
        if self.generate_box.isChecked() is not generate:
            self.generate_box.setChecked(generate)
        self.mapping_changed()

    def set_day_first(self, day_first: bool) -> None:
        """Read the file's ambiguous dates day first (True) or month first (False), and plan again."""
        if self.day_first is day_first:
            return
        self.day_first = day_first
        button = self.day_first_button if day_first else self.month_first_button
        if not button.isChecked():
            button.setChecked(True)
        self.mapping_changed()

    @property
    def date_question_open(self) -> bool:
        """Return True while the file has dates that read two ways and the user has not said which order."""
        return self.preview is not None and self.preview.ambiguous is not None and self.day_first is None

    # -- page protocol --------------------------------------------------------------------------------

    def page_complete(self, number: int) -> bool:
        """Return whether the page's Next/Import/Finish button may be pressed."""
        if self.busy:
            return False
        if number == FILE_PAGE:
            return self.workbook is not None and self.details_form.complete()
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
            self.mapping_page.fill(self.preview)
            self.mapping_page.show_plan(self.preview)
        elif number == PROBLEMS_PAGE:
            plan = self.preview.plan if self.preview is not None else None
            if plan is not None:
                self.problems_page.show_problems(plan)
        elif number == RESULT_PAGE:
            self.result_page.run_import()
