"""Edit > Your Name in the Audit Trail…: the name chosen is recorded with the user's next changes."""

from __future__ import annotations

from tests.ui.conftest import open_in
from workbench.domain.entities import ControlDraft
from workbench.services import identity
from workbench.services.controls import add_control


def test_the_name_chosen_in_the_window_is_recorded_for_the_next_changes(qtbot, window, sample_copy, monkeypatch):
    monkeypatch.delenv("WORKBENCH_USER")
    open_in(qtbot, window, sample_copy)
    assert window.name_action.isEnabled() and window.name_action.text() == "Your &Name in the Audit Trail…"
    window.name_action.trigger()
    dialog = window.name_dialog
    assert dialog.isVisible() and dialog.textValue() == ""
    assert identity.login_name() in dialog.labelText()
    dialog.setTextValue("Ana Souza")
    dialog.accept()
    assert identity.saved_name() == "Ana Souza"
    assert window.statusBar().currentMessage() == "Your changes are recorded as Ana Souza"
    add_control(window.project, ControlDraft("NEW-1", "Recorded under the chosen name"))
    with window.project.uow() as uow:
        last = list(uow.audit.entries())[-1]
    assert (last.actor, last.entity_key) == ("Ana Souza", "NEW-1")
    window.name_action.trigger()
    assert window.name_dialog.textValue() == "Ana Souza"  # offered again as saved
    window.name_dialog.reject()
