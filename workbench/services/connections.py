"""Saved connection profiles: a name for a project database on a PostgreSQL server.

Profiles are kept in the per-user data folder as JSON, never with a password. A profile's password, when
the user asks to remember it, lives in the OS keyring (service KEYRING_SERVICE, user name = profile name).
Keyring trouble is reported as such, never papered over by writing the password anywhere else; without a
keyring the user types the password each time, or sets WORKBENCH_DB_PASSWORD (or PGPASSWORD).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbench import paths
from workbench.domain.errors import NotFoundError, ProjectFileError, ValidationError, WorkbenchError
from workbench.domain.location import (
    ServerAddress,
    is_profile_location,
    is_server_location,
    profile_location,
    profile_name,
)
from workbench.services.encryption import keyring_usable
from workbench.store import notify

# keyring is imported in the functions that use it: importing it costs start-up about 0.1 s, and opening a
# plain project never needs it.
KEYRING_SERVICE = "soc2-workbench-server"
PASSWORD_ENV = "WORKBENCH_DB_PASSWORD"
PROFILES_FILE = "connections.json"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")


class PasswordKeyringError(WorkbenchError):
    """The OS keyring could not store, read or forget a connection's password (it is locked or missing)."""


@dataclass(frozen=True, slots=True)
class ConnectionProfile:
    """A saved connection: its name, the database's address (without password), and whether a password is kept."""

    name: str
    address: ServerAddress
    password_saved: bool = False

    @property
    def location(self) -> str:
        """Return the location text naming this profile (`profile:NAME`)."""
        return profile_location(self.name)


@dataclass(frozen=True, slots=True)
class SavedProfile:
    """What saving a profile did: the profile, and why its password could not be kept, if it could not."""

    profile: ConnectionProfile
    password_problem: str | None = None


def profiles_file() -> Path:
    """Return the JSON file the profiles are kept in (in the per-user data folder)."""
    return paths.user_data_dir() / PROFILES_FILE


def _read() -> dict[str, ConnectionProfile]:
    path = profiles_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProjectFileError(str(path), f"the saved connections cannot be read ({exc})") from None
    found: dict[str, ConnectionProfile] = {}
    for entry in data.get("profiles", []) if isinstance(data, dict) else []:
        try:
            address = ServerAddress.parse(str(entry["url"])).with_password(None)
            found[str(entry["name"])] = ConnectionProfile(str(entry["name"]), address,
                                                          bool(entry.get("password_saved", False)))
        except (KeyError, TypeError, WorkbenchError):
            continue  # one damaged entry must not hide the others
    return found


def _write(profiles: dict[str, ConnectionProfile]) -> None:
    path = profiles_file()
    data = {"version": 1, "profiles": [
        {"name": p.name, "url": str(p.address), "password_saved": p.password_saved}
        for p in sorted(profiles.values(), key=lambda p: p.name.lower())]}
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".connections-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=2)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def list_profiles() -> list[ConnectionProfile]:
    """Return the saved connection profiles, by name."""
    return sorted(_read().values(), key=lambda p: p.name.lower())


def get_profile(name: str) -> ConnectionProfile:
    """Return the profile called `name`, or say there is none."""
    found = _read().get(name)
    if found is None:
        raise NotFoundError(profile_location(name), "no saved connection of that name (see `workbench connect list`)")
    return found


def check_profile_name(name: str) -> str:
    """Return the name stripped, refusing one that would be awkward to type or store."""
    name = name.strip()
    if not _NAME.match(name):
        raise ValidationError(name or "(empty)", "a connection name has 1 to 64 letters, digits, spaces, dots, "
                                                 "dashes or underscores, and starts with a letter or digit")
    return name


def _keyring_problem(exc: BaseException) -> str:
    import keyring.errors

    if isinstance(exc, keyring.errors.KeyringLocked):
        return "the keyring is locked"
    if isinstance(exc, keyring.errors.NoKeyringError) or not keyring_usable():
        return "no keyring service is available on this computer"
    detail = " ".join(str(exc).split())[:120]
    return f"the keyring failed ({type(exc).__name__}{': ' + detail if detail else ''})"


def save_profile(name: str, address: ServerAddress | str, password: str | None = None, *,
                 remember_password: bool = True) -> SavedProfile:
    """Save (or replace) a profile; keep `password` in the OS keyring when asked, never in the file.

    A password the keyring will not take is reported in `password_problem`; the profile is saved without it.
    """
    name = check_profile_name(name)
    if isinstance(address, str):
        address = ServerAddress.parse(address)
    if password is None and address.password is not None:
        password = address.password
    profiles = _read()
    previous = profiles.get(name)
    problem: str | None = None
    saved = False
    if password is not None and remember_password:
        import keyring

        try:
            keyring.set_password(KEYRING_SERVICE, name, password)
            saved = True
        except Exception as exc:  # every keyring failure is told, none is worked around
            problem = (f"the password was not saved: {_keyring_problem(exc)}; type it when connecting, or set "
                       f"{PASSWORD_ENV}")
    elif previous is not None and previous.password_saved:
        _forget_password(name)
    profile = ConnectionProfile(name, address.with_password(None), saved)
    profiles[name] = profile
    _write(profiles)
    return SavedProfile(profile, problem)


def _forget_password(name: str) -> str | None:
    import keyring.errors

    try:
        keyring.delete_password(KEYRING_SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        return None  # nothing was kept
    except Exception as exc:
        return f"its password could not be removed from the keyring: {_keyring_problem(exc)}"
    return None


def remove_profile(name: str) -> str | None:
    """Forget a profile and its kept password; return why the password could not be removed, if so."""
    profiles = _read()
    profile = profiles.pop(name, None)
    if profile is None:
        raise NotFoundError(profile_location(name), "no saved connection of that name (see `workbench connect list`)")
    _write(profiles)
    return _forget_password(name) if profile.password_saved else None


def kept_password(profile: ConnectionProfile) -> str | None:
    """Return the password the keyring keeps for a profile (None when none is kept); keyring trouble is raised."""
    if not profile.password_saved:
        return None
    import keyring

    try:
        return keyring.get_password(KEYRING_SERVICE, profile.name)
    except Exception as exc:
        raise PasswordKeyringError(profile.location, f"its saved password cannot be read: {_keyring_problem(exc)}; "
                                                     f"type the password, or set {PASSWORD_ENV}") from None


def _env_password() -> str | None:
    return os.environ.get(PASSWORD_ENV) or None  # PGPASSWORD needs nothing here: the driver reads it itself


def resolve_location(location: object) -> object:
    """Turn `profile:NAME` into its server address with the kept password; give a URL WORKBENCH_DB_PASSWORD.

    Anything else (a file path, an address that has its password) is returned as it is.
    """
    if is_profile_location(location):
        profile = get_profile(profile_name(str(location)))
        try:
            password = kept_password(profile)
        except PasswordKeyringError:
            if _env_password() is None:
                raise
            password = None
        return profile.address.with_password(password if password is not None else _env_password())
    if is_server_location(location):
        address = location if isinstance(location, ServerAddress) else ServerAddress.parse(str(location))
        if address.password is None and _env_password() is not None:
            return address.with_password(_env_password())
        return address
    return location


@dataclass(frozen=True, slots=True)
class ConnectionCheck:
    """What Test Connection found, as one sentence."""

    ok: bool
    is_project: bool
    message: str


def check_connection(location: object) -> ConnectionCheck:
    """Log in to a server location and say whether the database holds a project (never changes anything)."""
    resolved = resolve_location(location)
    if not isinstance(resolved, ServerAddress):
        raise ValidationError(str(location), "is not a server location (postgresql://user@host:port/database)")
    found = notify.probe(resolved)
    where = f"{resolved.database} on {resolved.host}:{resolved.port} (PostgreSQL {found.server_version})"
    if found.is_project:
        return ConnectionCheck(True, True, f"Connected: {where} holds a SOC 2 Workbench project.")
    return ConnectionCheck(True, False, f"Connected to {where}, but it holds no project yet "
                                        "(create one there with `workbench new`).")
