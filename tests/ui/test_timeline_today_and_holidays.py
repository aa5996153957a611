"""The Timeline page against a fixed today: late tasks named, holidays edited undoably, one critical chain drawn."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.conftest import show_page, wait_until_idle
from workbench.domain.schedule import is_working_day
from workbench.services import plan as service
from workbench.services.session import open_project
from workbench.ui.pages.gantt_rows import KEY_ROLE, PlanListModel
from workbench.ui.pages.timeline import TimelinePage
from workbench.ui.palette import CRITICAL


def _page(qtbot, context, today: date) -> TimelinePage:
    context.today = lambda: today  # the page reads today from its context: fix it
    page = TimelinePage(context)
    show_page(qtbot, page)
    return page


def test_tasks_past_their_dates_are_named_as_late_above_the_chart(qtbot, page_context):
    page = _page(qtbot, page_context, date(2026, 5, 4))
    late = service.plan_view(page_context.project, date(2026, 5, 4)).late
    assert late and page.late.isVisible()
    text = page.late.text()
    assert text.startswith("Already late on ") and f"{len(late)} tasks" in text and late[0].name in text


def test_nothing_is_late_before_the_plan_starts(qtbot, page_context):
    page = _page(qtbot, page_context, date(2026, 1, 2))
    assert not page.late.isVisible() and page.late.text() == ""


def test_generating_when_the_period_is_too_near_suggests_an_earlier_start_and_says_so(qtbot, page_context):
    today = date(2026, 3, 16)  # the sample's audit period begins on 1 April: too soon to prepare from today
    page = _page(qtbot, page_context, today)
    page.generate_button.click()
    suggested = page.data.suggested_start
    assert suggested is not None and suggested < today
    assert page.dialog.start_date() == suggested
    assert any("already late" in label.text() for label in page.dialog.findChildren(type(page.late)))
    page.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    wait_until_idle(qtbot, page_context)
    assert page.data.schedule.start == suggested and page.late.isVisible()


def test_holidays_are_set_in_their_dialog_move_tasks_and_undo(qtbot, page_context):
    page = _page(qtbot, page_context, date(2026, 3, 2))
    fieldwork = page.data.schedule.task("fieldwork")
    report_before = page.data.schedule.task("final_report").end
    page.holidays_button.click()
    dialog = page.dialog
    dialog.text.setPlainText("2026-10-20 Fieldwork pause\n2026-10-32")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not save.isEnabled() and "line 2" in dialog.problem.text()
    dialog.text.setPlainText("2026-10-20 Fieldwork pause\n2026-10-21, 2026-10-24")
    assert save.isEnabled() and dialog.problem.text() == "3 holidays"
    save.click()
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == "Set holidays"
    moved = page.data.schedule
    assert page.holidays_button.text() == "&Holidays (3)…"
    # two of them are working days inside the fieldwork (the 24th is a Saturday): it ends two working days later
    assert [is_working_day(d) for d in (date(2026, 10, 20), date(2026, 10, 21), date(2026, 10, 24))] == \
        [True, True, False]
    assert moved.task("fieldwork").start == fieldwork.start and moved.task("fieldwork").end > fieldwork.end
    assert moved.task("final_report").end > report_before
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert page.data.holidays == frozenset() and page.data.schedule.task("final_report").end == report_before
    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    project = page_context.project
    page_context.set_project(None)
    page_context.operations.wait(30)
    project.close()
    with open_project(project.path) as again:
        assert service.plan_holidays(again) == {date(2026, 10, 20), date(2026, 10, 21), date(2026, 10, 24)}


def test_only_the_longest_chain_is_critical_in_the_list_and_the_arrows(qtbot, page_context):
    page = _page(qtbot, page_context, date(2026, 1, 2))
    plan = page.data.schedule
    path = plan.critical_path
    assert 3 < len(path) < len(plan.tasks) - 3
    shown = {}
    for row in range(page.model.rowCount()):
        key = page.model.index(row, 0).data(KEY_ROLE)
        if key:
            shown[key] = page.model.index(row, PlanListModel.SLACK).data()
    assert {key for key, text in shown.items() if text == "critical"} == set(path)
    red = [arrow for arrow in page.scene.arrows if arrow.pen().color() == CRITICAL]
    assert len(red) == len(path) - 1
