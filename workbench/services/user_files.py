"""Small JSON files kept for this user (their name, the warnings already given): read forgivingly, written whole."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any


def read_user_file(path: Path) -> Any:
    """Return the file's JSON, or None when it is missing or unreadable (callers fall back to their default)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_user_file(path: Path, data: object, **dump_options: Any) -> None:
    """Write data as JSON through a temporary file beside it, so the file is either whole or unchanged (OSError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.partial")
    try:
        temp.write_text(json.dumps(data, ensure_ascii=False, **dump_options), encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
