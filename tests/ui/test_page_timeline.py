"""The Timeline page driven as a user would: drag and stretch bars, edit a task, zoom, generate, export."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.conftest import show_page, wait_until_idle
from workbench.domain.schedule import next_working_day, working_days_between
from workbench.services import plan as service
from workbench.services.session import open_project
from workbench.ui.pages.gantt_rows import HEADER_HEIGHT, ROW_HEIGHT, Zoom
from workbench.ui.pages.timeline import TimelinePage


def _reopen(context):
    """Close the context's project and open the file again through the services."""
    project = context.project
    context.set_project(None)
    context.operations.wait(30)
    project.close()
    return open_project(project.path)


def _starts(project) -> dict[str, date]:
    plan = service.plan_view(project).schedule
    return {t.key: t.start for t in plan.tasks}


def _drag(qtbot, page, key: str, days: int, *, edge: bool = False) -> None:
    """Drag a task's bar (its middle, or its right edge) sideways by whole days, with real mouse events."""
    page.select_task(key)
    qtbot.wait(20)
    view = page.chart
    bar = page.scene.bar(key)
    view.ensureVisible(bar.sceneBoundingRect(), 60, 60)
    rect = bar.mapRectToScene(bar.bar_rect())
    point = QPointF(rect.right() - 2, rect.center().y()) if edge else rect.center()
    start = view.mapFromScene(point)
    end = start + QPoint(round(days * page.scene.time_scale.pixels_per_day), 0)
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, start + QPoint(3, 0))
    QTest.mouseMove(viewport, end)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_every_task_is_a_bar_and_a_row_and_the_window_is_the_audit_period(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    view = service.plan_view(page_context.project)
    keys = [t.key for t in view.schedule.tasks]
    assert len(keys) > 10
    assert set(page.scene.items_by_key) == set(keys)
    listed = [row.key for row in page.model.rows if row.task is not None]
    assert sorted(listed) == sorted(keys)
    headings = [row.step for row in page.model.rows if row.task is None]
    assert headings == sorted({t.step for t in view.schedule.tasks})
    assert page.list_view.columnSpan(0, 0) == 4
    for index, row in enumerate(page.model.rows):  # each list row lines up with its bar
        if row.task is not None:
            bar = page.scene.bar(row.key)
            assert page.list_view.rowViewportPosition(index) + HEADER_HEIGHT + ROW_HEIGHT / 2 == \
                bar.bar_rect().center().y()
    settings = view.settings
    scale = page.scene.time_scale
    window = page.scene.window_item.rect()
    assert (settings.period_start, settings.period_end) == view.observation
    assert window.left() == scale.x(settings.period_start)
    assert window.right() == scale.x(settings.period_end + timedelta(days=1))
    assert page.scene.today_item is not None
    assert any(item.task.spec.kind == "cpa" and item.task.milestone for item in page.scene.items_by_key.values())
    assert len(page.scene.arrows) == sum(len(t.spec.depends_on) for t in view.schedule.tasks)
    assert page.stack.currentWidget() is page.gantt_widget
    assert "19 tasks" in page.summary.text() or f"{len(keys)} tasks" in page.summary.text()


def test_drag_a_bar_later_moves_its_dependents_undo_and_redo(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    before = _starts(page_context.project)
    _drag(qtbot, page, "fieldwork", 14)
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == "Move Auditor fieldwork"
    moved = _starts(page_context.project)
    assert moved["fieldwork"] == next_working_day(before["fieldwork"] + timedelta(days=14))
    for dependent in ("draft_report", "management_assertion", "final_report"):
        assert moved[dependent] > before[dependent]
    assert moved["observation"] == before["observation"]
    assert page.data.schedule.task("fieldwork").start == moved["fieldwork"]  # the page reloaded
    assert page.scene.bar("fieldwork").pos().x() == 0
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert _starts(page_context.project) == before
    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    with _reopen(page_context) as project:
        assert _starts(project) == moved


def test_stretch_a_bar_changes_its_duration(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    task = page.data.schedule.task("fieldwork")
    final_before = page.data.schedule.task("final_report").start
    _drag(qtbot, page, "fieldwork", 7, edge=True)
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == "Change duration of Auditor fieldwork"
    stretched = service.plan_view(page_context.project).schedule
    expected = working_days_between(task.start, task.end + timedelta(days=7))
    assert expected == task.spec.duration + 5
    assert stretched.task("fieldwork").spec.duration == expected
    assert stretched.task("fieldwork").end == task.end + timedelta(days=7)
    assert stretched.task("final_report").start > final_before
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert service.plan_view(page_context.project).schedule.task("fieldwork").spec == task.spec


def test_a_refused_move_shows_the_message_and_the_bar_snaps_back(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    before = _starts(page_context.project)
    with qtbot.waitSignal(page_context.failed, timeout=20_000) as failure:
        _drag(qtbot, page, "populations", -14)  # before the observation window it follows has ended
    wait_until_idle(qtbot, page_context)
    assert "populations" in failure.args[0] and "Traceback" not in failure.args[0]
    assert page.scene.bar("populations").pos().x() == 0
    assert page_context.undo_stack.count() == 0
    assert _starts(page_context.project) == before


def test_the_side_panel_edits_a_task_undoably(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    page.select_task("fieldwork")
    assert page.panel.isVisible() and page.panel.name.text() == "Auditor fieldwork"
    previous = page.data.schedule.task("fieldwork").spec
    page.panel.name.setText("Fieldwork <b>on site</b>")
    page.panel.duration.setValue(12)
    page.panel.percent.setValue(40)
    page.panel.apply_button.click()
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == "Edit Auditor fieldwork"
    row = page.model.row_of("fieldwork")
    assert page.model.index(row, 0).data() == "Fieldwork <b>on site</b>"
    with _reopen(page_context) as project:
        spec = service.plan_view(project).schedule.task("fieldwork").spec
    assert (spec.name, spec.duration, spec.percent_complete) == ("Fieldwork <b>on site</b>", 12, 40)
    assert spec.depends_on == previous.depends_on


def test_side_panel_undo_restores_the_task(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    page.select_task("draft_report")
    previous = page.data.schedule.task("draft_report").spec
    page.panel.rows[0].lag.setValue(3)
    page.panel.apply_button.click()
    wait_until_idle(qtbot, page_context)
    assert service.plan_view(page_context.project).schedule.task("draft_report").spec.depends_on[0].lag == 3
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert service.plan_view(page_context.project).schedule.task("draft_report").spec == previous


def test_zoom_changes_the_scale(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    months = page.scene.sceneRect().width()
    assert page.scene.time_scale.zoom is Zoom.MONTHS
    page.zoom_buttons[Zoom.WEEKS].click()
    assert page.scene.time_scale.pixels_per_day == Zoom.WEEKS.pixels_per_day
    assert page.scene.sceneRect().width() > 3 * months
    assert page.scene.time_scale.lower_ticks()[1].start.weekday() == 0
    page.zoom_buttons[Zoom.QUARTERS].click()
    assert page.scene.sceneRect().width() < months
    assert {t.label for t in page.scene.time_scale.lower_ticks()} <= {"Q1", "Q2", "Q3", "Q4"}
    bar = page.scene.bar("fieldwork")
    task = bar.task
    assert bar.bar_rect().width() == pytest.approx(((task.end - task.start).days + 1) * Zoom.QUARTERS.pixels_per_day)


def test_empty_state_then_generate_and_undo(qtbot, page_context):
    service.replace_plan(page_context.project, [], date(2026, 1, 5), template=None)
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    assert page.stack.currentWidget() is page.empty_widget
    assert page.empty_generate_button.isVisible() and not page.export_button.isEnabled()
    page.template.setCurrentIndex(page.template.findData("type2-first"))
    page.empty_generate_button.click()
    page.dialog.start.setDate(date(2026, 2, 2))
    page.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == "Generate plan"
    assert page.stack.currentWidget() is page.gantt_widget
    view = service.plan_view(page_context.project)
    assert view.template == "type2-first" and view.schedule.start == date(2026, 2, 2)
    assert set(page.scene.items_by_key) == {t.key for t in view.schedule.tasks}
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert service.plan_view(page_context.project).schedule is None
    assert page.stack.currentWidget() is page.empty_widget


def _generate(page, start: date) -> None:
    page.generate_button.click()
    page.dialog.start.setDate(start)
    page.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_generate_replaces_the_plan_and_undo_restores_it(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    before = service.plan_tasks(page_context.project)
    start_before = service.plan_view(page_context.project).schedule.start
    page.template.setCurrentIndex(page.template.findData("type2-renewal"))
    with qtbot.waitSignal(page_context.failed, timeout=20_000) as failure:
        _generate(page, date(2027, 1, 4))  # after the audit period has begun: no room to prepare
    wait_until_idle(qtbot, page_context)
    assert "audit period" in failure.args[0] and page_context.undo_stack.count() == 0
    _generate(page, date(2025, 12, 1))
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == "Generate plan"
    generated = service.plan_view(page_context.project)
    assert generated.template == "type2-renewal" and generated.schedule.start == date(2025, 12, 1)
    assert [t.spec for t in generated.schedule.tasks] != before
    assert page.data.schedule.start == date(2025, 12, 1)
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert page.data.template is None
    with _reopen(page_context) as project:
        assert service.plan_tasks(project) == before
        assert service.plan_view(project).schedule.start == start_before


def test_baseline_ghosts_appear_and_undo_removes_them(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    assert not page.scene.ghosts
    page.baseline_button.click()
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == "Save baseline"
    assert set(page.scene.ghosts) == set(page.scene.items_by_key)
    assert page.baseline_button.text().startswith("Replace")
    _drag(qtbot, page, "fieldwork", 14)
    wait_until_idle(qtbot, page_context)
    assert "finishing later" in page.summary.text()
    ghost, bar = page.scene.ghosts["fieldwork"].rect(), page.scene.bar("fieldwork").bar_rect()
    assert ghost.left() < bar.left() and ghost.top() > bar.bottom()
    page_context.history.undo()
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert not page.scene.ghosts and service.plan_view(page_context.project).baseline == {}


def test_png_and_calendar_exports_write_files(qtbot, page_context, tmp_path):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    image_path = tmp_path / "plan.png"
    page.export("png", image_path)
    image = QImage(str(image_path))
    assert not image.isNull() and image.width() > page.scene.sceneRect().width()
    assert image.height() == int(page.scene.sceneRect().height())
    calendar_path = tmp_path / "plan.ics"
    page.export("ics", calendar_path)
    wait_until_idle(qtbot, page_context)
    assert page.last_export == calendar_path
    events = icalendar.Calendar.from_ical(calendar_path.read_bytes()).walk("VEVENT")
    names = {str(event.get("SUMMARY")) for event in events}
    assert any("Audit kickoff meeting" in name for name in names)


def test_replacing_and_clearing_a_baseline_are_undone_back_to_the_earlier_one(qtbot, page_context):
    page = TimelinePage(page_context)
    show_page(qtbot, page)
    page.baseline_button.click()
    wait_until_idle(qtbot, page_context)
    first = service.plan_view(page_context.project).baseline
    _drag(qtbot, page, "fieldwork", 14)
    wait_until_idle(qtbot, page_context)
    page.baseline_button.click()
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == "Replace baseline"
    replaced = service.plan_view(page_context.project).baseline
    assert replaced["fieldwork"] != first["fieldwork"]
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert service.plan_view(page_context.project).baseline == first
    page.clear_baseline_button.click()
    wait_until_idle(qtbot, page_context)
    assert service.plan_view(page_context.project).baseline == {} and not page.scene.ghosts
    assert not page.clear_baseline_button.isEnabled()
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert service.plan_view(page_context.project).baseline == first and page.scene.ghosts
