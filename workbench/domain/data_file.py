"""Reading a JSON data file (the criteria catalog, a template library), refused in one line naming it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.domain.errors import WorkbenchError


def read_json_file(path: Path, refusal: Callable[[str, str], WorkbenchError]) -> Any:
    """Return the file's parsed JSON; a missing or unreadable file raises refusal(path, why)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise refusal(str(path), "the file does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise refusal(str(path), f"cannot be read as JSON ({exc})") from None
