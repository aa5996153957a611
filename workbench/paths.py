"""Where the program finds its bundled resources and keeps per-user data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "soc2-workbench"


def resources_dir() -> Path:
    """Return the folder that holds the catalog, templates and icons."""
    override = os.environ.get("WORKBENCH_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    package = Path(__file__).resolve().parent
    installed = package / "_resources"  # an installed wheel carries resources/ inside the package (setup.py)
    return installed if installed.is_dir() else package.parent / "resources"


def user_data_dir() -> Path:
    """Return the per-user data folder (overridable with WORKBENCH_DATA_DIR)."""
    override = os.environ.get("WORKBENCH_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs  # here, not at the top: a few milliseconds the window's first paint need not wait for

    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def backups_dir() -> Path:
    """Return the folder automatic backups are written to."""
    return user_data_dir() / "backups"


def catalog_path() -> Path:
    """Return the path of the bundled Trust Services Criteria catalog."""
    return resources_dir() / "tsc" / "tsc-2017.json"


def sample_projects_dir() -> Path:
    """Return the folder of the bundled sample projects."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "sample_projects"
    return Path(__file__).resolve().parent.parent / "sample_projects"


def settings_file() -> Path:
    """Return the file the desktop program keeps its preferences in."""
    return user_data_dir() / "settings.ini"
