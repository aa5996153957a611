"""The checks a file read whole gets before its first byte is read: there, a regular file, not empty, not too large."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from workbench.domain.errors import WorkbenchError


def checked_stat(path: Path, refusal: Callable[[str], WorkbenchError], limit: int, too_large: str, *,
                 not_regular: str = "is not a regular file", folder: str | None = None) -> os.stat_result:
    """Return the file's stat; raise refusal(why) when it is missing, unreadable, a folder (the `folder` message,
    else `not_regular`), not a regular file, empty or larger than `limit` bytes (the `too_large` message)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise refusal("the file does not exist") from None
    except OSError as exc:
        raise refusal(f"cannot be read ({exc.strerror or exc})") from None
    if folder is not None and stat.S_ISDIR(info.st_mode):
        raise refusal(folder)
    if not stat.S_ISREG(info.st_mode):
        raise refusal(not_regular)
    if info.st_size == 0:
        raise refusal("the file is empty")
    if info.st_size > limit:
        raise refusal(too_large)
    return info
