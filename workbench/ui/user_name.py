"""Edit > Your Name in the Audit Trail: the name the audit trail records with this user's changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from workbench.domain.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


def ask_user_name(window: MainWindow) -> None:
    """Ask for the name recorded with this user's changes, in every project; the dialog is window.name_dialog."""
    from workbench.services import identity

    dialog = QInputDialog(window)
    dialog.setWindowTitle("Your Name in the Audit Trail")
    dialog.setLabelText("The audit trail records this name with each of your changes, in every project\n"
                        f"(leave it empty to use your login name, {identity.login_name()}):")
    dialog.setTextValue(identity.saved_name())
    window.name_dialog = dialog
    dialog.textValueSelected.connect(lambda text: save_user_name(window, text))
    dialog.open()


def save_user_name(window: MainWindow, text: str) -> None:
    """Keep the name (empty: the login name); the open project records it with its changes from now on."""
    from workbench.services import identity

    try:
        identity.save_name(text)
    except WorkbenchError as exc:
        window.context.fail("Your name", exc)
        return
    name = identity.current_actor()
    if window.project is not None:
        window.project.file.actor = name  # changes from now on carry the new name
    window.statusBar().showMessage(f"Your changes are recorded as {name}", 5000)
