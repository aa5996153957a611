"""An open project as the services see it: its store (a file or a server database) and units of work on it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from workbench.domain.clock import Clock, utc_now
from workbench.domain.encryption import EncryptionChoice, PassphrasePrompt
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.location import ServerAddress, is_server_location
from workbench.services import connections, encryption
from workbench.services.identity import current_actor
from workbench.store import ProjectStore, UnitOfWork, create_store, crypto, crypto_keys, open_store
from workbench.store.backups import backup_on_open


def default_actor() -> str:
    """Return the name recorded in the audit trail: WORKBENCH_USER, else the name saved in settings, else the login."""
    return current_actor()


T = TypeVar("T")
Location = Path | str | ServerAddress  # a project file, or a postgresql:// URL / address of a project database


class OpenProject:
    """A project held open by this program (a file, or a database on a server); close it when done."""

    def __init__(self, store: ProjectStore) -> None:
        self._file = store
        self.open_backup: Path | None = None  # the once-per-open automatic backup, when one was taken
        self.backup_problem: str | None = None  # why that backup could not be taken, if it could not

    @property
    def path(self) -> Path | ServerAddress:
        """Return the project file's path, or the server address (without password) of its database."""
        return self._file.path

    @property
    def on_server(self) -> bool:
        """Return True when the project lives on a PostgreSQL server, shared with other programs."""
        return self._file.is_server

    @property
    def read_only(self) -> bool:
        """Return True when the project was opened for reading only: every change to it is refused."""
        return self._file.read_only

    @property
    def read_only_reason(self) -> str | None:
        """Return why the project can only be read ("the file is read-only", ...), or None when it can be changed."""
        return self._file.read_only_reason

    @property
    def backup_made(self) -> Path | None:
        """Return the automatic backup taken while opening (before a schema upgrade), if any."""
        return self._file.backup_made

    def uow(self, *, core_first: bool = False) -> UnitOfWork:
        """Return a new unit of work on this project (core_first: the ORM loads only when the work needs it)."""
        return UnitOfWork(self._file, core_first=core_first)

    def committed(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run work(uow) in a new unit of work and commit it; return what work returned (a failure keeps nothing)."""
        with self.uow() as uow:
            done = work(uow)
            uow.commit()
        return done

    def now(self) -> datetime:
        """Return the project's clock reading."""
        return self._file.clock()

    def close(self) -> None:
        """Release the project file."""
        self._file.close()

    def __enter__(self) -> OpenProject:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # Used by services that work on the project as a whole (backups, integrity, encryption, copying).
    @property
    def file(self) -> ProjectStore:
        """Return the project's store: the project file, or the server database."""
        return self._file


def load_orm() -> None:
    """Load SQLAlchemy's ORM and map the row classes now, so the first unit of work that uses them need not wait.

    Opening a project and its dashboard's status need neither (they read through Core): the window has this done
    in the background once the dashboard is drawn.
    """
    from workbench.store.schema import map_rows

    map_rows()


def server_address(location: Location) -> ServerAddress | None:
    """Return the server address `location` names, or None when it names a file (see domain/location.py)."""
    location = connections.resolve_location(location)  # profile:NAME, WORKBENCH_DB_PASSWORD
    if isinstance(location, ServerAddress):
        return location
    if is_server_location(location):
        return ServerAddress.parse(str(location))
    return None


def open_project(path: Location, *, actor: str | None = None, clock: Clock = utc_now, backup_on_open: bool = True,
                 passphrase: str | None = None, prompt: PassphrasePrompt | None = None,
                 read_only: bool = False) -> OpenProject:
    """Open an existing project file for exclusive use (taking the automatic open-time backup unless told not to).

    A file that cannot be written (or any file, with read_only=True) is opened for reading only: reading,
    checking and exporting work, changes are refused, and no backup is taken (nothing can change).
    An encrypted project is unlocked with the key in the OS keyring, else `passphrase` (or WORKBENCH_PASSPHRASE,
    or what `prompt` answers when asked once); otherwise KeyRequiredError refuses it.
    """
    address = server_address(path)
    if address is not None:
        return OpenProject(open_store(address, clock=clock, actor=actor or default_actor()))
    project = OpenProject(open_store(path, clock=clock, actor=actor or default_actor(), read_only=read_only))
    _unlock(project.file, passphrase, prompt)
    if backup_on_open and not project.read_only:
        _backup_on_open(project)
    return project


def _backup_on_open(project: OpenProject) -> None:
    """Take the rotating open-time backup; a failure to back up is reported on the project, never blocks opening."""
    if project.backup_made is not None:
        return  # a backup was just taken before the schema upgrade: one backup per open
    try:
        project.open_backup = backup_on_open(project.file)
    except (WorkbenchError, OSError) as exc:
        project.backup_problem = f"the automatic backup could not be taken: {exc}"


# -- encryption at rest (services/encryption.py) ---------------------------------------------------------------

def _unlock(store: ProjectStore, passphrase: str | None, prompt: PassphrasePrompt | None) -> None:
    """Attach an encrypted project's key, asking `prompt` once if needed; close the project on failure."""
    try:
        encryption.unlock_or_ask(store, passphrase, prompt)
    except BaseException:
        with contextlib.suppress(WorkbenchError):  # the refusal of the key is what the user must see
            store.close()
        raise


def create_file(path: Location, populate: Callable[[UnitOfWork], None], *, actor: str | None = None,
                clock: Clock = utc_now, encryption_choice: EncryptionChoice | None = None) -> OpenProject:
    """Create a project (file or server database) whose first contents come from `populate`, all at once.

    With an encryption choice, the project gets a data key first, so nothing it holds is ever written in plain.
    """
    address = server_address(path)
    if address is not None and encryption_choice is not None:
        raise ValidationError(str(address), "encryption at rest is for project files; on a server, the "
                                            "server's own disk encryption and access rights protect the data")
    where = address if address is not None else path
    made: list[crypto.ProjectCipher] = []

    def fill(store: ProjectStore) -> None:
        if encryption_choice is not None:
            made.append(encryption.enable(store, encryption_choice))
        with UnitOfWork(store) as uow:
            populate(uow)
            uow.commit()

    try:
        store = create_store(where, fill, clock=clock, actor=actor or default_actor())
    except BaseException:
        for cipher in made:
            encryption.forget_new_key(cipher)
        raise
    if made:
        crypto_keys.use_key(store, made[0])
    return OpenProject(store)
