"""File > Open from Server…: pick a saved connection, or type one (and maybe save it); test it on the worker."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.domain.location import ServerAddress, profile_location
from workbench.services.connections import (
    ConnectionCheck,
    ConnectionProfile,
    check_connection,
    check_profile_name,
    get_profile,
    list_profiles,
    remove_profile,
    save_profile,
)
from workbench.services.encryption import keyring_usable
from workbench.ui.operations import OperationContext, Operations

DEFAULT_PORT = 5432
NO_KEYRING_TIP = "No keyring is available on this computer: the password will be asked each time."


@dataclass(frozen=True)
class ServerChoice:
    """What the user chose: a saved connection, or a typed address (maybe to be saved as a connection)."""

    profile: str | None = None  # a saved connection's name
    address: ServerAddress | None = None  # or the address typed (without password)
    password: str | None = None  # the password typed, if any (for a saved connection: instead of the kept one)
    save_as: str | None = None  # save the typed address as a connection of this name before opening
    keep_password: bool = False  # and keep its password in the OS keyring

    @property
    def remembered(self) -> str:
        """Return what Open Recent keeps: `profile:NAME`, or the URL without its password."""
        name = self.profile or self.save_as
        return profile_location(name) if name else str(self.address)

    def target(self) -> str | ServerAddress:
        """Return what to open (run on the worker: it may read the saved connections)."""
        if self.profile is not None:
            if self.password:
                return get_profile(self.profile).address.with_password(self.password)
            return profile_location(self.profile)
        assert self.address is not None
        return self.address.with_password(self.password)

    def prepare(self) -> str | None:
        """Save the typed connection when asked (on the worker); return why its password was not kept, if so."""
        if self.save_as is None or self.address is None:
            return None
        saved = save_profile(self.save_as, self.address, self.password, remember_password=self.keep_password)
        return saved.password_problem


class ServerDialog(QDialog):
    """Two tabs, saved connections and a new one; Test Connection runs on the background worker."""

    def __init__(self, operations: Operations, parent: QWidget | None = None, *, interactive: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a project on a server")
        self.operations = operations
        self.interactive = interactive
        self._keyring_ok = keyring_usable()
        self._test_number = 0
        self.last_check: ConnectionCheck | None = None

        self.tabs = QTabWidget()
        self.tabs.addTab(self._saved_tab(), "&Saved connections")
        self.tabs.addTab(self._new_tab(), "&New connection")
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setObjectName("serverMessage")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.test_button = self.buttons.addButton("&Test Connection", QDialogButtonBox.ButtonRole.ActionRole)
        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self.tabs.currentChanged.connect(lambda _index: self._sync())
        self.profiles.currentRowChanged.connect(lambda _row: self._sync())
        self.profiles.itemActivated.connect(lambda _item: self._accept_if_valid())
        for field in (self.host, self.database, self.user, self.profile_name):
            field.textChanged.connect(lambda _text: self._sync())
        self.save_profile.toggled.connect(lambda _on: self._sync())
        self.fill_profiles()
        self.resize(520, 420)

    # -- building ---------------------------------------------------------------------------------

    def _saved_tab(self) -> QWidget:
        tab = QWidget()
        self.profiles = QListWidget()
        self.profiles.setAccessibleName("Saved connections")
        self.saved_password = QLineEdit()
        self.saved_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.saved_password.setPlaceholderText("Leave empty to use the password kept in the keyring")
        self.saved_password.setAccessibleName("Password")
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setToolTip("Forget this saved connection and the password kept for it")
        self.remove_button.clicked.connect(self.remove_selected)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.profiles, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Password:"))
        row.addWidget(self.saved_password, 1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        return tab

    def _new_tab(self) -> QWidget:
        tab = QWidget()
        self.host = QLineEdit()
        self.host.setPlaceholderText("db.example.com")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit()
        self.database.setPlaceholderText("the project's database")
        self.user = QLineEdit()
        self.user.setPlaceholderText("your login on the server (empty: this computer's login name)")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.save_profile = QCheckBox("Save as a connection &named")
        self.profile_name = QLineEdit()
        self.profile_name.setAccessibleName("Connection name")
        self.keep_password = QCheckBox("Remember the password in this computer's &keyring")
        self.keep_password.setChecked(self._keyring_ok)
        if not self._keyring_ok:
            self.keep_password.setToolTip(NO_KEYRING_TIP)
        self.database.textChanged.connect(self._suggest_name)
        form = QFormLayout(tab)
        form.addRow("Se&rver:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&User:", self.user)
        form.addRow("Pass&word:", self.password)
        form.addRow(self.save_profile, self.profile_name)
        form.addRow("", self.keep_password)
        return tab

    def fill_profiles(self) -> None:
        """List the saved connections; open on the new-connection tab when there are none."""
        self.profiles.clear()
        try:
            found: list[ConnectionProfile] = list_profiles()
        except WorkbenchError as exc:
            found = []
            self.show_message(str(exc))
        for profile in found:
            kept = "password in keyring" if profile.password_saved else "no saved password"
            item = QListWidgetItem(f"{profile.name}    {profile.address}    ({kept})")
            item.setData(Qt.ItemDataRole.UserRole, profile.name)
            self.profiles.addItem(item)
        if found:
            self.profiles.setCurrentRow(0)
        self.tabs.setCurrentIndex(0 if found else 1)
        self._sync()

    def _suggest_name(self, database: str) -> None:
        if not self.profile_name.isModified():
            self.profile_name.setText(database.strip())

    # -- state ------------------------------------------------------------------------------------

    @property
    def on_saved_tab(self) -> bool:
        """Return True when a saved connection is being chosen."""
        return self.tabs.currentIndex() == 0

    def selected_profile(self) -> str | None:
        """Return the name of the selected saved connection, if any."""
        item = self.profiles.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def typed_address(self) -> ServerAddress:
        """Return the address typed on the new-connection tab, with its password (if one was typed)."""
        return ServerAddress(self.user.text().strip(), self.host.text().strip(), self.port.value(),
                             self.database.text().strip(), self.password.text() or None)

    def problem(self) -> str | None:
        """Return why the dialog cannot open anything yet, or None."""
        if self.on_saved_tab:
            return None if self.selected_profile() else "Choose a saved connection, or type a new one."
        if not self.host.text().strip():
            return "Name the server."
        if not self.database.text().strip() or "/" in self.database.text():
            return "Name the project's database."
        if self.save_profile.isChecked():
            try:
                check_profile_name(self.profile_name.text())
            except WorkbenchError as exc:
                return str(exc)
        return None

    def _sync(self) -> None:
        problem = self.problem()
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(problem is None)
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setToolTip(problem or "")
        self.test_button.setEnabled(problem is None)
        self.test_button.setToolTip(problem or "Log in and see whether the database holds a project")
        self.remove_button.setEnabled(self.selected_profile() is not None)
        self.profile_name.setEnabled(self.save_profile.isChecked())
        self.keep_password.setEnabled(self.save_profile.isChecked() and self._keyring_ok)

    def show_message(self, text: str) -> None:
        """Show one line of feedback under the tabs."""
        self.message.setText(text)

    def choice(self) -> ServerChoice:
        """Return what to open, as chosen."""
        if self.on_saved_tab:
            return ServerChoice(profile=self.selected_profile(), password=self.saved_password.text() or None)
        typed = self.typed_address()
        address, password = typed.with_password(None), typed.password
        if self.save_profile.isChecked():
            keep = self.keep_password.isChecked() and self._keyring_ok
            return ServerChoice(address=address, password=password, save_as=self.profile_name.text().strip(),
                                keep_password=keep)
        return ServerChoice(address=address, password=password)

    # -- actions ----------------------------------------------------------------------------------

    def _accept_if_valid(self) -> None:
        if self.problem() is None:
            self.accept()

    def test_connection(self) -> None:
        """Log in on the worker and say what was found (never changes anything)."""
        if self.problem() is not None:
            return
        choice = self.choice()
        self._test_number += 1
        number = self._test_number
        self.show_message("Connecting…")
        self.test_button.setEnabled(False)

        def done(check: ConnectionCheck) -> None:
            if number == self._test_number:
                self.last_check = check
                self.show_message(check.message)
                self._sync()

        def failed(exc: BaseException, _trace: str) -> None:
            if number == self._test_number:
                self.last_check = ConnectionCheck(False, False, str(exc))
                message = str(exc) if isinstance(exc, WorkbenchError) else f"Unexpected error: {exc!r}"
                self.show_message(f"Could not connect. {message}")
                self._sync()

        self.operations.run(lambda _context: check_connection(choice.target()), done, failed)

    def remove_selected(self) -> None:
        """Forget the selected saved connection (on the worker: the keyring may take a moment)."""
        name = self.selected_profile()
        if name is None:
            return

        def work(_context: OperationContext) -> str | None:
            return remove_profile(name)

        def done(problem: str | None) -> None:
            self.fill_profiles()
            self.show_message(f"Removed {name}." + (f" But {problem}." if problem else ""))

        self.operations.run(work, done, lambda exc, _trace: self.show_message(str(exc)))


def ask_server_password(address: ServerAddress, why: str, parent: QWidget | None = None) -> str | None:
    """Ask for the password of a login on a server (modal); None when the user cancels."""
    text, ok = QInputDialog.getText(parent, "Password", f"{why}\n\nPassword for {address}:",
                                    QLineEdit.EchoMode.Password)
    return text if ok and text else None
