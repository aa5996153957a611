"""The readiness assessment page driven as a user would; what it stored is read back through the services."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import show_page, wait_until_idle
from workbench.domain.enums import AssessmentStatus, Category
from workbench.domain.readiness import readiness_by_category
from workbench.services.assessment import CriterionRow, criteria_in_scope
from workbench.services.controls import list_tasks
from workbench.services.session import open_project
from workbench.ui.pages.assessment import AssessmentPage
from workbench.ui.pages.assessment_model import AssessmentTreeModel


@pytest.fixture
def page(qtbot, page_context) -> AssessmentPage:
    """The assessment page on a copy of the sample project, shown and loaded."""
    shown = AssessmentPage(page_context)
    show_page(qtbot, shown)
    return shown


def _rows(context) -> dict[str, CriterionRow]:
    """The criteria as stored now, read through the services once the worker is idle."""
    return {r.criterion.id: r for r in criteria_in_scope(context.project)}


def _reopened(context) -> dict[str, CriterionRow]:
    """Close the context's project and read the criteria from the file opened afresh."""
    project = context.project
    path: Path = project.path
    context.set_project(None)
    context.operations.wait(30)
    project.close()
    with open_project(path) as again:
        return {r.criterion.id: r for r in criteria_in_scope(again)}


def _first(context, status: AssessmentStatus, *, with_note: bool = False) -> CriterionRow:
    return next(r for r in _rows(context).values()
                if r.assessment.status is status and (r.assessment.note or not with_note))


def _key(qtbot, page: AssessmentPage, key: Qt.Key) -> None:
    page.tree.setFocus()
    qtbot.keyClick(page.tree, key)


def test_number_key_sets_the_status_keeps_the_note_and_survives_reopening(qtbot, page, page_context):
    row = _first(page_context, AssessmentStatus.NOT_ASSESSED, with_note=True)
    cid = row.criterion.id
    assert page.select(cid)
    assert page.panel.heading.text().startswith(cid)

    _key(qtbot, page, Qt.Key.Key_1)
    wait_until_idle(qtbot, page_context)

    assert page_context.undo_stack.undoText() == f"Set {cid} to Met"
    assert page.selected_id() == cid
    assert page.panel.chosen_status() is AssessmentStatus.MET
    stored = _reopened(page_context)[cid].assessment
    assert (stored.status, stored.note) == (AssessmentStatus.MET, row.assessment.note)


def test_panel_saves_status_and_note_and_undo_redo_restore_both(qtbot, page, page_context):
    row = _first(page_context, AssessmentStatus.PARTIALLY_MET, with_note=True)
    cid, before = row.criterion.id, row.assessment
    page.select(cid)
    assert not page.panel.apply_button.isEnabled()  # nothing changed yet

    page.panel.status_buttons[AssessmentStatus.GAP].click()
    page.panel.note.setPlainText("  Nobody reviews this yet.  ")
    assert page.panel.apply_button.isEnabled()
    qtbot.mouseClick(page.panel.apply_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, page_context)

    assert page_context.undo_stack.undoText() == f"Set {cid} to Gap"
    stored = _rows(page_context)[cid].assessment
    assert (stored.status, stored.note) == (AssessmentStatus.GAP, "Nobody reviews this yet.")

    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    stored = _rows(page_context)[cid].assessment
    assert (stored.status, stored.note) == (before.status, before.note)
    assert page.panel.chosen_status() is before.status
    assert page.panel.note_text() == before.note

    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    assert page.panel.chosen_status() is AssessmentStatus.GAP
    stored = _reopened(page_context)[cid].assessment
    assert (stored.status, stored.note) == (AssessmentStatus.GAP, "Nobody reviews this yet.")


def test_a_note_only_edit_is_its_own_undoable_command(qtbot, page, page_context):
    row = _first(page_context, AssessmentStatus.MET, with_note=True)
    cid = row.criterion.id
    page.select(cid)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.panel.note.setFocus()
    page.panel.note.setPlainText("Reviewed again in March.")
    qtbot.keyClick(page.panel.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == f"Edit note of {cid}"
    assert _rows(page_context)[cid].assessment.note == "Reviewed again in March."
    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert _reopened(page_context)[cid].assessment.note == row.assessment.note


def test_not_applicable_without_a_justification_is_refused_in_the_panel(qtbot, page, page_context):
    row = _first(page_context, AssessmentStatus.NOT_ASSESSED)
    cid = row.criterion.id
    page.select(cid)
    page.panel.note.clear()
    failures: list[str] = []
    page_context.failed.connect(failures.append)

    _key(qtbot, page, Qt.Key.Key_4)  # the number key for 'not applicable'
    page.panel.status_buttons[AssessmentStatus.NOT_APPLICABLE].click()
    page.apply()
    wait_until_idle(qtbot, page_context)

    assert page.panel.chosen_status() is AssessmentStatus.NOT_APPLICABLE
    assert not page.panel.reason.isHidden()
    assert "justification" in page.panel.reason.text()
    assert not page.panel.apply_button.isEnabled()
    assert page_context.undo_stack.count() == 0
    assert failures == []  # refused in the panel, before anything reached the service
    assert _rows(page_context)[cid].assessment.status is row.assessment.status

    qtbot.keyClicks(page.panel.note, "We run no physical premises.")
    assert page.panel.reason.isHidden()
    qtbot.mouseClick(page.panel.apply_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.undoText() == f"Set {cid} to Not applicable"
    stored = _reopened(page_context)[cid].assessment
    assert (stored.status, stored.note) == (AssessmentStatus.NOT_APPLICABLE, "We run no physical premises.")


def test_a_gap_becomes_a_remediation_task_and_undo_removes_it(qtbot, page, page_context):
    row = _first(page_context, AssessmentStatus.NOT_ASSESSED)
    cid = row.criterion.id
    page.select(cid)
    assert not page.panel.task_button.isEnabled()  # nothing to remediate while not assessed
    _key(qtbot, page, Qt.Key.Key_3)
    wait_until_idle(qtbot, page_context)
    assert page.panel.task_button.isEnabled()
    tasks_before = {t.id for t in list_tasks(page_context.project)}

    page.panel.task_owner.setText("Dana Ops")
    qtbot.mouseClick(page.panel.task_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, page_context)

    assert page_context.undo_stack.undoText() == f"Create remediation task for {cid}"
    new = [t for t in list_tasks(page_context.project) if t.id not in tasks_before]
    assert len(new) == 1
    task = new[0]
    assert (task.criterion_id, task.owner) == (cid, "Dana Ops")
    assert task.due == page_context.today() + timedelta(days=30)
    assert task.title.startswith(f"Remediate {cid}: ")
    assert task.title in page.panel.tasks.text()

    page_context.history.undo()
    wait_until_idle(qtbot, page_context)
    assert {t.id for t in list_tasks(page_context.project)} == tasks_before
    assert "No remediation task yet." in page.panel.tasks.text()
    assert _rows(page_context)[cid].assessment.status is AssessmentStatus.GAP  # only the task was undone

    page_context.history.redo()
    wait_until_idle(qtbot, page_context)
    project = page_context.project
    path = project.path
    page_context.set_project(None)
    page_context.operations.wait(30)
    project.close()
    with open_project(path) as again:
        recreated = [t for t in list_tasks(again) if t.id not in tasks_before]
    assert [(t.criterion_id, t.owner, t.title) for t in recreated] == [(cid, "Dana Ops", task.title)]


def test_filters_reduce_the_visible_rows(qtbot, page, page_context):
    rows = _rows(page_context)
    assert page.visible_criteria() == list(rows)

    gap_index = page.status_filter.findData(AssessmentStatus.GAP)
    page.status_filter.setCurrentIndex(gap_index)
    gaps = [cid for cid, r in rows.items() if r.assessment.status is AssessmentStatus.GAP]
    assert gaps and page.visible_criteria() == gaps
    assert page.shown.text() == f"Showing {len(gaps)} of {len(rows)} criteria"
    page.status_filter.setCurrentIndex(0)

    page.category_filter.setCurrentIndex(page.category_filter.findData(Category.AVAILABILITY))
    assert page.visible_criteria() == [cid for cid in rows if cid.startswith("A1.")]
    page.category_filter.setCurrentIndex(0)

    page.unmapped_only.setChecked(True)
    assert page.visible_criteria() == [cid for cid, r in rows.items() if not r.controls]
    page.unmapped_only.setChecked(False)

    qtbot.keyClicks(page.search, "INCIDENT")
    expected = [cid for cid, r in rows.items()
                if "incident" in f"{cid} {r.criterion.summary} {r.assessment.note}".lower()]
    assert 0 < len(expected) < len(rows)
    assert page.visible_criteria() == expected
    assert page.selected_id() in expected  # the selection follows what is visible
    page.search.clear()
    assert len(page.visible_criteria()) == len(rows)


def test_setting_a_status_under_a_status_filter_moves_on_to_the_next_match(qtbot, page, page_context):
    waiting = [cid for cid, r in _rows(page_context).items() if r.assessment.status is AssessmentStatus.NOT_ASSESSED]
    assert len(waiting) >= 2
    page.status_filter.setCurrentIndex(page.status_filter.findData(AssessmentStatus.NOT_ASSESSED))
    page.select(waiting[0])
    _key(qtbot, page, Qt.Key.Key_1)
    wait_until_idle(qtbot, page_context)
    assert page.visible_criteria() == waiting[1:]
    assert page.selected_id() == waiting[1]


def test_category_bars_reflect_the_counts(qtbot, page, page_context):
    rows = list(_rows(page_context).values())
    expected = readiness_by_category(
        [(r.criterion.id, r.criterion.category) for r in rows], {r.criterion.id: r.assessment.status for r in rows}
    )
    assert page.bars.categories() == expected
    assert [c.category for c in expected] == [Category.SECURITY, Category.AVAILABILITY, Category.CONFIDENTIALITY]
    security = expected[0]
    assert f"Security: {security.readiness:.0%} ready" in page.bars.toolTip()

    row = next(r for r in rows if r.criterion.category is Category.SECURITY
               and r.assessment.status is AssessmentStatus.NOT_ASSESSED)
    page.select(row.criterion.id)
    _key(qtbot, page, Qt.Key.Key_1)
    wait_until_idle(qtbot, page_context)
    after = page.bars.categories()[0]
    assert after.counts.met == security.counts.met + 1
    assert after.counts.not_assessed == security.counts.not_assessed - 1
    assert after.readiness > security.readiness
    assert page.bars.categories()[1:] == expected[1:]


def test_arrow_keys_move_through_criteria_over_the_headings(qtbot, page):
    ids = page.visible_criteria()
    series_end = next(i for i in range(len(ids) - 1) if ids[i].split(".")[0] != ids[i + 1].split(".")[0])
    page.select(ids[series_end])
    _key(qtbot, page, Qt.Key.Key_Down)
    assert page.selected_id() == ids[series_end + 1]  # passed over the next series heading
    _key(qtbot, page, Qt.Key.Key_Up)
    assert page.selected_id() == ids[series_end]
    _key(qtbot, page, Qt.Key.Key_Home)
    assert page.selected_id() == ids[0]
    _key(qtbot, page, Qt.Key.Key_Up)
    assert page.selected_id() == ids[0]  # nothing above the first criterion but headings


def test_tree_model_passes_the_model_tester_and_groups_by_series(qtmodeltester, page, page_context):
    model = AssessmentTreeModel()
    model.set_rows(list(_rows(page_context).values()))
    qtmodeltester.check(model)
    security = model.index(0, 0)
    assert security.data().startswith("Security")
    first_series = model.index(0, 0, security)
    assert first_series.data().startswith("CC1  Control Environment")
    assert model.index(0, 0, first_series).data() == "CC1.1"


def test_user_text_is_shown_as_plain_text(qtbot, page):
    for label in (page.panel.heading, page.panel.summary, page.panel.controls, page.panel.tasks, page.panel.reason):
        assert label.textFormat() == Qt.TextFormat.PlainText
