"""A next action of the dashboard opens the page where it is done: a register's on the Registers page at that
register's tab, a policy's on the Policies page (who is behind on its Acknowledgements tab), the rest on their step."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import SAMPLE, open_in
from workbench.ui.pages.policies import TAB_ACKS


def _open_action(qtbot, window, starts: str) -> None:
    """Double-click the dashboard's next action whose sentence starts so, as the user does."""
    actions = window.dashboard.next_actions
    texts = [actions.item(i).text().split("  ·  ", 1)[1] for i in range(actions.count())]
    item = actions.item(next(i for i, text in enumerate(texts) if text.startswith(starts)))
    actions.scrollToItem(item)
    centre = actions.visualItemRect(item).center()
    qtbot.mouseClick(actions.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(actions.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def test_register_actions_open_their_page_and_tab(qtbot, window):
    window.resize(1100, 720)
    window.show()
    open_in(qtbot, window, SAMPLE)
    _open_action(qtbot, window, "Explain 1 late access removal")
    assert window.current_page() == "registers"
    registers = window.step_pages["registers"]
    assert registers.tabs.currentWidget() is registers.registers["people"]
    assert registers.tabs.tabText(registers.tabs.currentIndex()).startswith("People")

    window.show_page("dashboard")
    _open_action(qtbot, window, "Have 2 people acknowledge the policies in force")
    assert window.current_page() == "policies"
    policies = window.step_pages["policies"]
    assert policies.tabs.currentIndex() == TAB_ACKS and policies.acks.isVisible()

    window.show_page("dashboard")
    _open_action(qtbot, window, "Assess 2 criteria")  # not a register's: its step's page, as before
    assert window.current_page() == "assessment"
