"""Undo and redo through the history: the stack moves only once the data did, and pages reload what changed.

A failed undo (the record went away behind the window's back, or someone else edited it meanwhile) leaves the
stack's index and the data as they were and tells the user once; the window's modified mark follows the
stack's clean state; and an edit of a control reloads the pages that show controls, not the timeline.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pytest

from tests.ui.conftest import open_in, show_page, wait_until_idle
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import AssessmentStatus
from workbench.services import plan
from workbench.services.assessment import assess, criteria_in_scope
from workbench.services.changes import Touched
from workbench.services.controls import (
    add_control,
    control_library,
    draft_of,
    get_control,
    list_controls,
    remove_control,
    update_control,
)
from workbench.ui.pages.controls import ControlsPage
from workbench.ui.pages.timeline import TimelinePage
from workbench.ui.undo import EditCommand


def _edit_owner(ref: str, owner: str, context) -> EditCommand:
    control = get_control(context.project, ref)
    return EditCommand(f"Edit control {ref}", partial(update_control, ref=ref, draft=replace(draft_of(control),
                                                                                             owner=owner)))


def _refs(context) -> list[str]:
    return [c.ref for c in list_controls(context.project)]


def _messages(qtbot, context) -> list[str]:
    seen: list[str] = []
    context.failed.connect(seen.append)
    return seen


def test_an_undo_whose_record_went_away_leaves_the_stack_and_the_data_in_step(qtbot, page_context):
    context, stack = page_context, page_context.undo_stack
    library = control_library(context.project)
    ref = next(c.ref for c in library.controls if not library.evidence_counts.get(c.ref))  # one that may go
    context.apply(_edit_owner(ref, "Zed", context))
    wait_until_idle(qtbot, context)
    assert (stack.count(), stack.index(), stack.undoText()) == (1, 1, f"Edit control {ref}")
    remove_control(context.project, ref)  # behind the window's back
    refs = _refs(context)
    messages = _messages(qtbot, context)

    context.history.undo()
    wait_until_idle(qtbot, context)

    assert (stack.count(), stack.index(), stack.undoText()) == (1, 1, f"Edit control {ref}")
    assert _refs(context) == refs  # nothing was put back or changed
    assert len(messages) == 1
    assert f"control {ref} : does not exist" in messages[0] and "Nothing was undone" in messages[0]
    # Asked again, it fails again, the same way: the history still points at the edit it cannot undo.
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert stack.index() == 1 and len(messages) == 2


def test_an_undo_after_someone_else_edited_is_refused_as_a_conflict(qtbot, page_context):
    context, stack = page_context, page_context.undo_stack
    row = next(r for r in criteria_in_scope(context.project) if r.assessment.status is AssessmentStatus.NOT_ASSESSED)
    cid = row.criterion.id
    context.apply(EditCommand(f"Set {cid} to Gap", partial(assess, criterion=cid, status=AssessmentStatus.GAP,
                                                           note="mine", expected_version=row.assessment.version)))
    wait_until_idle(qtbot, context)
    assess(context.project, cid, AssessmentStatus.MET, "a colleague's")  # made meanwhile
    messages = _messages(qtbot, context)

    context.history.undo()
    wait_until_idle(qtbot, context)

    assert stack.index() == 1
    judged = {r.criterion.id: r.assessment for r in criteria_in_scope(context.project)}[cid]
    assert (judged.status, judged.note) == (AssessmentStatus.MET, "a colleague's")
    assert len(messages) == 1 and "changed" in messages[0] and "Nothing was undone" in messages[0]


def test_a_failed_redo_leaves_the_edit_undone_and_the_stack_where_it_was(qtbot, page_context):
    context, stack = page_context, page_context.undo_stack
    context.apply(EditCommand("Add control NEW-1", partial(add_control, draft=ControlDraft("NEW-1", "Mine"))))
    wait_until_idle(qtbot, context)
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert stack.index() == 0 and "NEW-1" not in _refs(context)
    add_control(context.project, ControlDraft("NEW-1", "Theirs"))  # the reference is taken meanwhile
    messages = _messages(qtbot, context)

    context.history.redo()
    wait_until_idle(qtbot, context)

    assert (stack.index(), stack.redoText()) == (0, "Add control NEW-1")
    assert get_control(context.project, "NEW-1").title == "Theirs"
    assert len(messages) == 1 and "already exists" in messages[0] and "Nothing was redone" in messages[0]


def test_an_undo_asked_for_while_an_edit_is_on_its_way_takes_that_edit_back(qtbot, page_context):
    context, stack = page_context, page_context.undo_stack
    before = get_control(context.project, "AC-02").owner
    context.apply(_edit_owner("AC-02", "Zed", context))
    context.history.undo()  # pressed before the edit came back from the worker
    wait_until_idle(qtbot, context)
    assert (stack.count(), stack.index()) == (1, 0)
    assert get_control(context.project, "AC-02").owner == before
    context.history.redo()
    wait_until_idle(qtbot, context)
    assert get_control(context.project, "AC-02").owner == "Zed"


def test_an_edit_of_a_control_does_not_reload_the_timeline(qtbot, page_context):
    controls, timeline = ControlsPage(page_context), TimelinePage(page_context)
    show_page(qtbot, controls)
    show_page(qtbot, timeline)  # both on screen: each reloads at once when told its data changed
    loads = {"controls": 0, "timeline": 0}
    controls.loaded.connect(lambda: loads.__setitem__("controls", loads["controls"] + 1))
    timeline.loaded.connect(lambda: loads.__setitem__("timeline", loads["timeline"] + 1))
    touched: list[Touched] = []
    page_context.refreshed.connect(touched.append)

    page_context.apply(_edit_owner("AC-02", "Zed", page_context))
    wait_until_idle(qtbot, page_context)
    assert touched and all(Touched.PLAN not in t and Touched.SETTINGS not in t for t in touched)
    assert loads == {"controls": 1, "timeline": 0}

    page_context.history.undo()  # an undo reloads what it touched too, and nothing else
    wait_until_idle(qtbot, page_context)
    assert loads == {"controls": 2, "timeline": 0}

    page_context.apply(EditCommand("Save baseline", plan.set_baseline))  # and a plan edit the other way round
    wait_until_idle(qtbot, page_context)
    assert loads == {"controls": 2, "timeline": 1}


def test_the_window_is_modified_while_the_stack_is_not_at_the_opening(qtbot, window, sample_copy):
    open_in(qtbot, window, sample_copy)
    context = window.context
    wait_until_idle(qtbot, context)  # the page shown after opening has loaded: the project is free to read
    assert "[*]" in window.windowTitle() and not window.isWindowModified()
    with qtbot.assertNotEmitted(window.project_loaded, wait=200):  # an edit refreshes; it opens nothing
        context.apply(_edit_owner("AC-02", "Zed", context))
        wait_until_idle(qtbot, context)
    assert window.isWindowModified()
    assert window.undo_action.text() == "&Undo Edit control AC-02" and window.undo_action.isEnabled()
    window.undo_action.trigger()
    wait_until_idle(qtbot, context)
    assert not window.isWindowModified()  # back where it was opened
    assert window.redo_action.text() == "&Redo Edit control AC-02"
    window.redo_action.trigger()
    wait_until_idle(qtbot, context)
    assert window.isWindowModified() and get_control(context.project, "AC-02").owner == "Zed"


@pytest.mark.parametrize("direction", ["undo", "redo"])
def test_nothing_to_undo_or_redo_does_nothing(qtbot, page_context, direction):
    getattr(page_context.history, direction)()
    wait_until_idle(qtbot, page_context)
    assert page_context.undo_stack.count() == 0


def test_several_undos_asked_for_at_once_each_take_back_one_edit(qtbot, page_context):
    context, stack = page_context, page_context.undo_stack
    before = get_control(context.project, "AC-02").owner
    for owner in ("One", "Two"):
        context.apply(EditCommand(f"Owner {owner}", partial(update_control, ref="AC-02", draft=replace(
            draft_of(get_control(context.project, "AC-02")), owner=owner))))
        wait_until_idle(qtbot, context)
    for _ in range(3):  # one more than there is to undo: the last does nothing, and nothing waits for ever
        context.history.undo()
    context.history.redo()
    wait_until_idle(qtbot, context)
    assert (stack.index(), get_control(context.project, "AC-02").owner) == (1, "One")
    assert before != "One" and not context.history.busy
