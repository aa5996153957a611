"""Helpers of the packaging tests: where the files are, the packaging scripts as modules, the real validators."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"


def on_ci() -> bool:
    """Return True when the environment variable CI says this is a CI run."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_tool(name: str, package: str) -> str:
    """Return the path of a command-line tool; skip the test without it (fail instead on CI)."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (Debian package {package})"
        if on_ci():
            pytest.fail(f"{message}; CI must install it")
        pytest.skip(message)
    return found


def packaging_module(name: str) -> ModuleType:
    """Import one of the scripts in packaging/ (which is not a Python package) as a module."""
    if str(PACKAGING) not in sys.path:
        sys.path.insert(0, str(PACKAGING))
    return importlib.import_module(name)
