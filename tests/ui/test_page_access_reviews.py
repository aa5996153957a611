"""The Access reviews tab driven with qtbot: a user list imported through the wizard (with its system) starts a
campaign whose leaver, account not on the roster and admin are flagged; decisions through the dialog, undoable;
closing is refused until every account is decided, then signs it, files its PDF as evidence and makes the removal
a task; the next campaign of the system shows what changed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from tests.ui.conftest import wait_until_idle
from tests.ui.test_page_registers import _csv, _fill, _ok, _page, _shown, context  # noqa: F401
from tests.ui.wizard_steps import import_through_wizard
from workbench.domain.access_reviews import Decision
from workbench.services.controls import list_tasks
from workbench.services.evidence import list_evidence
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import PEOPLE

STAFF = [("Name", "Email", "Start date", "End date", "Access removed"),
         ("Ann Lee", "ann@acme.test", "2024-01-10", "2026-02-06", "2026-02-09"),
         ("Bob Roy", "bob@acme.test", "2023-05-01", "", ""),
         ("Cy Dee", "cy@acme.test", "2025-02-01", "", "")]
USERS = [("Username", "Email", "Role", "Is Admin"), ("ann", "ann@acme.test", "Developer", "no"),
         ("bob", "bob@acme.test", "Owner", "yes"), ("zed", "zed@elsewhere.test", "Developer", "no")]


def _start(qtbot, ctx, tab, path, system: str) -> str:
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    wizard = tab.import_wizard
    wizard.details_form.edits["system"].setText(system)
    import_through_wizard(qtbot, wizard, ctx, path)
    message = wizard.result_label.text()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, ctx)
    return message


def _decide(qtbot, ctx, tab, ref: str, decision: Decision, note: str = "") -> None:
    tab.select(ref)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    _fill(tab.dialog, decision=decision, note=note)
    _ok(qtbot, tab.dialog, ctx)


def test_a_review_flags_decides_refuses_closes_into_evidence_and_the_next_shows_the_change(qtbot, context,  # noqa: F811
                                                                                             tmp_path):
    import_register(context.project, PEOPLE, _csv(tmp_path / "staff.csv", STAFF))
    _page_widget, tab = _page(qtbot, context, "access-reviews")
    assert not tab.add_button.isVisible() and not tab.remove_button.isVisible()
    message = _start(qtbot, context, tab, _csv(tmp_path / "github.csv", USERS), "GitHub")
    assert "Access review AR-001 of GitHub started: Left the company: ann; Not on the roster: zed; Privileged: bob." \
        in message
    assert _shown(tab, "Campaign") == ["AR-001", "AR-001", "AR-001"]
    assert _shown(tab, "Flags") == ["Left the company", "Privileged", "Not on the roster"]
    assert "AR-001 (GitHub): 3 of 3 accounts undecided." in tab.summary.text()
    tab.filter.setCurrentIndex(tab.filter.findText("Privileged"))
    assert _shown(tab, "Login") == ["bob"]
    tab.filter.setCurrentIndex(0)

    # A decision, and its undo.
    _decide(qtbot, context, tab, "AR-001/ann", Decision.REMOVE, "left in February")
    assert _shown(tab, "Decision")[0] == "Remove"
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert _shown(tab, "Decision")[0] == ""
    context.history.redo()
    wait_until_idle(qtbot, context)
    count = context.undo_stack.count()
    _decide(qtbot, context, tab, "AR-001/ann", Decision.REMOVE, "left in February")  # the same again: no edit
    assert context.undo_stack.count() == count

    # Closing with an account undecided is refused and changes nothing.
    failures: list[str] = []
    context.failed.connect(failures.append)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    tab.close_dialog.reviewer.setText("Cy Dee")
    assert tab.close_dialog.control.currentData() is not None
    _ok(qtbot, tab.close_dialog, context)
    assert any("2 of 3 accounts have no decision" in m for m in failures), failures
    assert _shown(tab, "State") == ["open"] * 3 and list_evidence(context.project) == []

    _decide(qtbot, context, tab, "AR-001/bob", Decision.KEEP)
    _decide(qtbot, context, tab, "AR-001/zed", Decision.REMOVE, "not staff")
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    tab.close_dialog.reviewer.setText("Cy Dee")
    _ok(qtbot, tab.close_dialog, context)
    assert all(state.startswith("closed") for state in _shown(tab, "State"))
    evidence = list_evidence(context.project)
    assert [e.filename for e in evidence] == [f"access-review-AR-001-{context.today().isoformat()}.pdf"]
    assert sorted(t.title for t in list_tasks(context.project)) == [
        "Remove ann's access to GitHub (access review AR-001)", "Remove zed's access to GitHub (access review AR-001)"]
    context.history.undo()
    wait_until_idle(qtbot, context)
    assert list_evidence(context.project) == [] and list_tasks(context.project) == []
    context.history.redo()
    wait_until_idle(qtbot, context)
    assert len(list_evidence(context.project)) == 1

    # The next campaign of the system shows what changed.
    _start(qtbot, context, tab, _csv(tmp_path / "github2.csv", [USERS[0], USERS[2], ("dan", "", "Admin", "yes")]),
           "GitHub")
    assert "AR-002 (GitHub): 2 of 2 accounts undecided; since AR-001: new: dan; gone: ann" in tab.summary.text()
