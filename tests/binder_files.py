"""Reading a zip binder as an auditor does: everything lies in its one root folder."""

from __future__ import annotations

import zipfile
from pathlib import Path


def binder_root(archive: zipfile.ZipFile) -> str:
    """Return the binder's one root folder, failing when its members do not share exactly one."""
    roots = {name.split("/", 1)[0] for name in archive.namelist()}
    assert len(roots) == 1, sorted(roots)[:10]
    (root,) = roots
    assert all(name.startswith(f"{root}/") for name in archive.namelist())
    return root


def binder_names(path: Path) -> list[str]:
    """Return every member name below the root folder (folders end in "/"), in the archive's order."""
    with zipfile.ZipFile(path) as archive:
        root = binder_root(archive)
        return [name[len(root) + 1:] for name in archive.namelist() if name != f"{root}/"]


def binder_members(path: Path) -> dict[str, bytes]:
    """Return the bytes of every file, by its name below the root folder."""
    with zipfile.ZipFile(path) as archive:
        root = binder_root(archive)
        return {name[len(root) + 1:]: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def unpack_binder(path: Path, folder: Path) -> Path:
    """Unzip the binder into folder and return its root folder there."""
    with zipfile.ZipFile(path) as archive:
        root = binder_root(archive)
        archive.extractall(folder)
    return folder / root
