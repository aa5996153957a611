"""Who is working: the name the audit trail records for this person's changes, kept per user."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from workbench import paths
from workbench.domain.errors import ValidationError
from workbench.services.user_files import read_user_file, write_user_file

USER_ENV = "WORKBENCH_USER"
MAX_NAME_CHARS = 120


def _identity_file() -> Path:
    return paths.user_data_dir() / "identity.json"


def saved_name() -> str:
    """Return the name this user chose (File > Your Name… or `workbench user --name`), or "" when none."""
    data = read_user_file(_identity_file())
    name = data.get("name") if isinstance(data, dict) else None
    return name.strip() if isinstance(name, str) else ""


def save_name(name: str) -> str:
    """Keep the name recorded for this user's changes from now on ("" forgets it); return it as stored."""
    name = " ".join(name.split())
    if len(name) > MAX_NAME_CHARS:
        raise ValidationError("your name", f"is longer than {MAX_NAME_CHARS} characters")
    if any(not ch.isprintable() for ch in name):
        raise ValidationError("your name", "contains control characters")
    target = _identity_file()
    try:
        write_user_file(target, {"name": name})
    except OSError as exc:
        raise ValidationError(str(target), f"cannot be written ({exc.strerror or exc})") from None
    return name


def login_name() -> str:
    """Return the operating-system login, or "unknown"."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def current_actor() -> str:
    """Return the name recorded in the audit trail: WORKBENCH_USER, else the saved name, else the login."""
    return os.environ.get(USER_ENV, "").strip() or saved_name() or login_name()
