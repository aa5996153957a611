"""The open project's life in the main window: open, replace and close, with their retries.

A retry asks again where that helps: the passphrase of an encrypted file, the password of a server login.
Opening what is already open shows it; an upgrade reports its backup; a read-only project opens read-only.
Every file or database step runs on the window's background worker, which also loads the services' database
layer the first time a project opens: the window is drawn before it (the dialogs that need it load on use).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from workbench.domain.encryption import KeyRequiredError
from workbench.domain.errors import ProjectFileError, WorkbenchError
from workbench.domain.location import (
    ServerAddress,
    is_profile_location,
    is_server_location,
    profile_name,
    shown_location,
)
from workbench.services import files
from workbench.services.risky_places import place_warnings
from workbench.ui.operations import OperationContext
from workbench.ui.passphrase_dialog import ask_passphrase

if TYPE_CHECKING:
    from workbench.services.project import ProjectStatus
    from workbench.services.session import OpenProject
    from workbench.ui.main_window import MainWindow
    from workbench.ui.server_dialog import ServerChoice

FILE_FILTER = "SOC 2 Workbench projects (*.soc2);;All files (*)"


def open_project(where: Path | str | ServerAddress, **options: Any) -> OpenProject:
    """Open a project through the services, loading them (and the database layer) on first use."""
    from workbench.services.session import open_project as open_it

    return open_it(where, **options)


class ProjectSession:
    """Opens, replaces and closes the window's project; the window shows what it holds."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def replace(self, opener: Any, title: str, handled: Callable[[BaseException], bool] | None = None, *,
                remember: Path | str | None = None, notes: list[str] | None = None) -> None:
        """Close the open project (if any), then open another with `opener(context) -> OpenProject`.

        `handled(exc)` may take over a failure (asking for a passphrase, say) by returning True. `remember`
        is what Open Recent keeps (default: the project's path); `notes` collects what the opener has to say.
        """
        previous = self.window.project
        if previous is not None and not self.window.context.edits.settle(self.window.operations.settle):
            return  # the user keeps editing the open project
        self.window.live.stop()  # the project being replaced no longer reloads on others' changes

        def work(context: OperationContext) -> tuple[OpenProject, ProjectStatus, list[str]]:
            from workbench.services.project import project_status

            if previous is not None:
                previous.close()
            project = opener(context)
            try:
                warnings = [] if project.on_server else place_warnings(project.path)
                return project, project_status(project), warnings
            except BaseException:
                project.close()
                raise

        def done(result: tuple[OpenProject, ProjectStatus, list[str]]) -> None:
            project, status, warnings = result
            self.window.opened_as = remember if remember is not None else project.path
            self.window.recent.add(self.window.opened_as)
            self.window._show_project(project, status, opened=True)
            for note in notes or []:
                self.window.statusBar().showMessage(note, 12000)
                if self.window.interactive:
                    box = QMessageBox(QMessageBox.Icon.Warning, "Saved connection", note,
                                      QMessageBox.StandardButton.Ok, self.window)
                    box.setTextFormat(Qt.TextFormat.PlainText)
                    box.exec()
            if project.backup_made is not None:
                self.window.statusBar().showMessage(f"Upgraded the project; a backup is at {project.backup_made}", 8000)
            elif project.backup_problem:
                self.window.statusBar().showMessage(project.backup_problem, 8000)
            if warnings:
                self.window.place_warned.emit("\n\n".join(warnings))
                if self.window.interactive:
                    box = QMessageBox(QMessageBox.Icon.Warning, "Where this project lives", "\n\n".join(warnings),
                                      QMessageBox.StandardButton.Ok, self.window)
                    box.setTextFormat(Qt.TextFormat.PlainText)
                    box.exec()

        def failed(exc: BaseException, trace: str) -> None:
            if previous is not None or self.window.project is None:  # no project, or only its frame, on show
                self.window._show_no_project()
            if handled is not None and handled(exc):
                return
            self.window.context.fail(title, exc, trace)

        self.window.operations.run(work, done, failed, label=title, parent=self.window)

    def open_path(self, path: Path | str | ServerAddress, passphrase: str | None = None) -> None:
        """Open a project file (a shipped sample opens as the user's own working copy), or one on a server.

        An encrypted project whose key is not in the keyring asks for its passphrase, again after a wrong one.
        """
        if is_server_location(path):
            self.open_server(path)  # type: ignore[arg-type]
            return
        path = Path(path)
        if self.window.project is not None and self.window.project.path == path.absolute():
            self.window.show_page("dashboard")
            return

        def opener(_context: OperationContext) -> OpenProject:
            target = files.sample_working_copy(path) if files.is_bundled_sample(path) else path
            return open_project(target, passphrase=passphrase)

        def ask_again(exc: BaseException) -> bool:
            if not (isinstance(exc, KeyRequiredError) and exc.passphrase_helps and self.window.interactive):
                return False
            answer = ask_passphrase(path, exc, self.window)
            if answer is not None:
                self.open_path(path, passphrase=answer)
            return True

        self.replace(opener, "Opening project", ask_again)



    def open_server_dialog(self) -> None:
        """Ask which project on a server to open (a saved connection, or a new one), then open it."""
        from workbench.ui.server_dialog import ServerDialog

        dialog = ServerDialog(self.window.operations, self.window, interactive=self.window.interactive)
        self.window.server_dialog = dialog
        if dialog.exec() == ServerDialog.DialogCode.Accepted:
            self.open_server_choice(dialog.choice())

    def open_server_choice(self, choice: ServerChoice) -> None:
        """Open what the server dialog chose, saving the typed connection first when asked."""
        notes: list[str] = []

        def opener(_context: OperationContext) -> OpenProject:
            problem = choice.prepare()
            if problem is not None:
                notes.append(f"{choice.remembered} : {problem}")
            return open_project(choice.target())

        self._open_on_server(opener, choice.remembered, notes)

    def open_server(self, location: str | ServerAddress) -> None:
        """Open a project on a server: a postgresql:// URL or address, or a saved connection `profile:NAME`."""
        remember = location if isinstance(location, str) and is_profile_location(location) \
            else shown_location(location)
        if self.window.project is not None and self.window.project.on_server and self.window.opened_as == remember \
                and (not isinstance(location, ServerAddress) or location.password is None):
            self.window.show_page("dashboard")
            return
        self._open_on_server(lambda _context: open_project(location), remember, [])

    def _open_on_server(self, opener: Callable[[OperationContext], OpenProject], remember: str,
                        notes: list[str]) -> None:
        def ask_password(exc: BaseException) -> bool:
            from workbench.services.connections import PasswordKeyringError, get_profile
            from workbench.ui.server_dialog import ask_server_password

            refused = isinstance(exc, PasswordKeyringError) or (
                isinstance(exc, ProjectFileError) and "refused the login" in exc.why)
            if not (refused and self.window.interactive):
                return False
            try:
                address = get_profile(profile_name(remember)).address if is_profile_location(remember) \
                    else ServerAddress.parse(remember)
            except WorkbenchError:  # the saved connection went away meanwhile: report the first failure
                return False
            password = ask_server_password(address, str(exc), self.window)
            if password is not None:
                self._open_on_server(lambda _context: open_project(address.with_password(password)), remember, [])
            return True

        self.replace(opener, "Opening project", ask_password, remember=remember, notes=notes)

    def backups_dialog(self) -> None:
        """Show the open project's automatic backups; restoring closes, restores and reopens the project."""
        project = self.window.project
        if project is None or not isinstance(project.path, Path):
            return
        from workbench.ui.backups_dialog import BackupsDialog, restore_and_reopen

        path = project.path
        dialog = BackupsDialog(path, self.window.operations, self.window, interactive=self.window.interactive)
        dialog.restore_requested.connect(lambda backup: restore_and_reopen(
            self.window.operations, path, backup, close_project=self.close, open_path=self.open_path,
            failed=lambda exc, trace: self.window.context.fail("Restore", exc, trace),
            restored=lambda b: self.window.statusBar().showMessage(f"Restored {path.name} from {b.name}", 8000),
            parent=self.window))
        self.window.backups = dialog
        dialog.open()

    def open_dialog(self) -> None:
        """Ask for a project file and open it."""
        window = self.window
        chosen, _ = QFileDialog.getOpenFileName(window, "Open project", str(window.documents_folder()), FILE_FILTER)
        if chosen:
            self.open_path(Path(chosen))

    def open_sample(self) -> None:
        """Open (a working copy of) the bundled sample project."""
        samples = files.bundled_samples()
        if samples:
            self.open_path(samples[0])

    def new_project(self) -> None:
        """Ask what to create, then create and open it."""
        from workbench.services.project import create_project
        from workbench.ui.new_project_wizard import NewProjectWizard

        dialog = NewProjectWizard(self.window.documents_folder(), date.today(), self.window)
        if dialog.exec() != NewProjectWizard.DialogCode.Accepted:
            return
        spec, target = dialog.project_spec(), dialog.target_path()
        self.replace(lambda _context: create_project(target, spec), "Creating project")

    def save_as(self) -> None:
        """Copy the open project to a new file and continue working in the copy."""
        project = self.window.project
        if project is None or not isinstance(project.path, Path):
            return
        if not self.window.context.edits.settle(self.window.operations.settle):
            return  # the copy is made once what is typed is saved (or let go)
        suggestion = project.path.with_name(f"{project.path.stem} copy.soc2")
        chosen, _ = QFileDialog.getSaveFileName(self.window, "Save project as", str(suggestion), FILE_FILTER)
        if not chosen:
            return
        destination = Path(chosen)
        copied: list[Path] = []

        def opener(_context: OperationContext) -> OpenProject:
            return open_project(copied[0])

        def copy(_context: OperationContext) -> Path:
            return files.save_copy(project, destination)

        def copied_ok(path: Path) -> None:
            copied.append(path)
            self.replace(opener, "Opening the copy")

        self.window.operations.run(copy, copied_ok, lambda exc, trace: self.window.context.fail("Save As", exc, trace),
                            label="Saving a copy", parent=self.window)

    def close(self) -> None:
        """Close the open project, once what is still typed in its forms is saved (or the user let it go)."""
        project = self.window.project
        if project is None or not self.window.context.edits.settle(self.window.operations.settle):
            return
        self.window._show_no_project()
        self.window.operations.run(lambda _c: project.close(), lambda _r: self.window.project_closed.emit(),
                            lambda exc, trace: self.window.context.fail("Close", exc, trace))

