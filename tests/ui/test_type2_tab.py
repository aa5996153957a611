"""The evidence page's Type II tab driven as a user would: windows, populations, samples, results, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from tests.ui.conftest import show_page, wait_until_idle
from workbench.domain.testing import SampleResult
from workbench.services.populations import get_population
from workbench.services.report import list_reports
from workbench.services.samples import get_sample
from workbench.ui.pages.evidence import EvidencePage
from workbench.ui.pages.report import ReportPage
from workbench.ui.pages.type2_models import SampleItemsModel, WindowsModel


@pytest.fixture
def page(qtbot, page_context) -> EvidencePage:
    page = EvidencePage(page_context)
    show_page(qtbot, page)
    page.tabs.setCurrentIndex(page.type2_index)
    return page


def _reload(qtbot, page, action) -> None:
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        action()
    wait_until_idle(qtbot, page.context)


def _population_file(path: Path, count: int = 40) -> Path:
    rows = ["Ticket,Date,Summary,Approver"]
    rows += [f"HR-{1000 + i},2026-{4 + i % 6:02d}-{1 + i % 27:02d},Joiner {i},Lee" for i in range(count)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _next(qtbot, wizard, context) -> None:
    button = wizard.button(QWizard.WizardButton.CommitButton
                           if wizard.currentPage().isCommitPage() else QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, context)


def test_windows_population_and_sample_of_the_sample_project_show(page):
    tab = page.type2
    assert "Audit period" in tab.summary.text()
    assert tab.select_control("AC-04")
    statuses = [tab.windows_model.index(r, WindowsModel.STATUS).data() for r in range(tab.windows_model.rowCount())]
    assert statuses and "covered" in statuses
    assert tab.select_control("CM-02")
    assert "120" in tab.pop_rows.text() and len(tab.pop_sha.text()) == 64
    assert tab.pop_source.text() and tab.pop_generated.text() != "not stated"
    model = tab.items_model
    results = [model.index(r, SampleItemsModel.RESULT).data() for r in range(model.rowCount())]
    assert model.rowCount() == 15 and "EXCEPTION" in results
    assert "seed" in tab.sample_info.text()
    assert not tab.draw_button.isEnabled()  # it has results: a new sample would lose them
    assert tab.select_control("AC-01")
    assert "tested once" in tab.note.text()
    missing = [tab.missing.item(i).text() for i in range(tab.missing.count())]
    assert any(text.startswith("HR-01: no population") for text in missing)


def test_import_a_population_draw_a_sample_record_results_and_undo(qtbot, page, tmp_path):
    context, tab = page.context, page.type2
    stack = context.undo_stack
    assert tab.select_control("HR-01") and get_population(context.project, "HR-01") is None
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    wizard = tab.import_wizard
    qtbot.addWidget(wizard)
    assert wizard.details_form.edits["control"].text() == "HR-01"
    wizard.details_form.edits["source"].setText("Workday")
    wizard.details_form.edits["generated_by"].setText("Lee Park")
    wizard.choose_file(str(_population_file(tmp_path / "joiners.csv")))
    wait_until_idle(qtbot, context)
    for _ in range(4):
        _next(qtbot, wizard, context)
    assert wizard.result is not None, wizard.result_message
    wait_until_idle(qtbot, context)
    population = get_population(context.project, "HR-01")
    assert population is not None and population.row_count == 40 and population.info.source == "Workday"
    wizard.close()
    qtbot.waitUntil(lambda: "40" in tab.pop_rows.text(), timeout=10_000)

    assert tab.draw_button.isEnabled()
    qtbot.mouseClick(tab.draw_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    dialog.override.setChecked(True)
    dialog.size.setValue(5)
    assert not dialog.ok_button.isEnabled()  # another size needs a reason
    dialog.reason.setText("agreed with the auditor")
    dialog.seed.setText("fixed-seed")
    _reload(qtbot, page, lambda: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton))
    assert stack.undoText() == "Draw the sample of HR-01"
    sample = get_sample(context.project, "HR-01")
    assert (sample.size, sample.seed, sample.reason) == (5, "fixed-seed", "agreed with the auditor")
    assert tab.items_model.rowCount() == 5 and "fixed-seed" in tab.sample_info.text()

    first, second = sample.items[0].key, sample.items[1].key
    assert tab.select_item(first)
    _reload(qtbot, page, lambda: qtbot.mouseClick(tab.pass_button, Qt.MouseButton.LeftButton))
    assert stack.undoText() == f"Record pass for {first} (HR-01)"
    assert get_sample(context.project, "HR-01").items[0].result is SampleResult.PASS

    assert tab.select_item(second)
    qtbot.mouseClick(tab.exception_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    dialog.note.setPlainText("approval recorded after access was granted")
    _reload(qtbot, page, dialog.accept)
    assert stack.undoText() == f"Record exception for {second} (HR-01)"
    item = get_sample(context.project, "HR-01").items[1]
    assert item.result is SampleResult.EXCEPTION and item.exception_id is not None
    exceptions = [e for r in list_reports(context.project) for e in r.exceptions]
    assert any(e.reference == f"HR-01 / {second}" for e in exceptions)

    report = ReportPage(context)
    show_page(qtbot, report)
    assert f"HR-01 / {second}" in _texts_of(report)

    # Undo each: the stack and the data agree.
    _reload(qtbot, page, context.history.undo)
    assert get_sample(context.project, "HR-01").items[1].result is None
    assert not any(e.reference == f"HR-01 / {second}" for r in list_reports(context.project) for e in r.exceptions)
    assert stack.undoText() == f"Record pass for {first} (HR-01)"
    _reload(qtbot, page, context.history.undo)
    assert get_sample(context.project, "HR-01").items[0].result is None
    assert stack.undoText() == "Draw the sample of HR-01"
    _reload(qtbot, page, context.history.undo)
    assert get_sample(context.project, "HR-01") is None and tab.items_model.rowCount() == 0


def _texts_of(report) -> str:
    """Return every text the report page's exceptions table shows."""
    from PySide6.QtWidgets import QTableView

    texts = []
    for view in report.findChildren(QTableView):
        model = view.model()
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                texts.append(str(model.index(r, c).data()))
    return "\n".join(texts)


def test_completeness_and_accuracy_evidence_is_linked_from_the_population_box_and_undone(qtbot, page):
    tab, context = page.type2, page.context
    assert tab.select_control("AC-04")
    assert tab.population_box.isHidden()  # a quarterly control expects no population
    assert tab.select_control("CM-02")
    assert not tab.population_box.isHidden() and tab.link_button.isEnabled()
    before = get_population(context.project, "CM-02").evidence_ids
    tab.link_evidence()
    dialog = tab.dialog
    offered = [dialog.evidence.item(r) for r in range(dialog.evidence.count())]
    assert offered and not {i.data(Qt.ItemDataRole.UserRole) for i in offered} & set(before)
    own = [i.text().startswith("CM-02") for i in offered]
    assert own == sorted(own, reverse=True)  # the control's own evidence first
    chosen = offered[0].data(Qt.ItemDataRole.UserRole)
    dialog.set_checked(chosen)
    _reload(qtbot, page, dialog.accept)
    assert context.undo_stack.undoText() == "Link evidence to the population of CM-02"
    assert sorted(get_population(context.project, "CM-02").evidence_ids) == sorted((*before, chosen))
    title = tab.data.evidence[chosen].title
    assert title in tab.pop_evidence.text()
    _reload(qtbot, page, context.history.undo)
    assert get_population(context.project, "CM-02").evidence_ids == before
    assert title not in tab.pop_evidence.text()


def test_the_population_box_shows_its_items(qtbot, page):
    tab = page.type2
    assert tab.select_control("CM-02")
    assert tab.items_button.isEnabled()
    qtbot.mouseClick(tab.items_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hasattr(tab, "population_items_dialog"), timeout=20_000)
    dialog = tab.population_items_dialog
    assert dialog.windowTitle() == "Population of CM-02"
    assert dialog.table.rowCount() == 120
    dialog.close()


def test_an_automated_daily_control_is_drawn_once_as_its_dialog_says(qtbot, page):
    tab = page.type2
    assert tab.select_control("OP-01")  # automated, daily: tested once, not by its 365 days
    assert "tested once" in tab.sample_info.text() and "asks for 1." in tab.sample_info.text()
    qtbot.mouseClick(tab.draw_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog.size.value() == 1
    _reload(qtbot, page, lambda: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton))
    sample = get_sample(page.context.project, "OP-01")
    assert sample.basis.value == "tested_once" and [i.key for i in sample.items] == ["tested once"]
    assert tab.items_model.rowCount() == 1 and "1 items" not in tab.sample_info.text()


def test_the_exception_dialog_records_nothing_until_the_note_says_what_was_found(qtbot, page):
    tab = page.type2
    assert tab.select_control("AC-02") and tab.select_item(tab.items_model.record(0).key)
    qtbot.mouseClick(tab.exception_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    dialog.note.setPlainText("   ")
    record = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not record.isEnabled() and dialog.refusal() == "say what was found"
    dialog.note.setPlainText("reviewer was the requester")
    assert record.isEnabled()
