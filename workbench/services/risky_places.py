"""Warn, once per project and risk, when a project lives in a synced folder or beside a conflicted copy."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from workbench import paths
from workbench.domain.risky_places import PlaceRisk, advice, conflicted_copies, synced_folder
from workbench.services.user_files import read_user_file, write_user_file

MAX_NAMES_PER_FOLDER = 5000  # a folder larger than this is read only this far for marker files


def _names(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            names = []
            for entry in entries:
                names.append(entry.name)
                if len(names) >= MAX_NAMES_PER_FOLDER:
                    break
            return names
    except OSError:
        return []


def _resolved(path: Path | str) -> Path:
    absolute = Path(path).absolute()
    try:
        return absolute.resolve()
    except OSError:
        return absolute


def place_risks(path: Path | str) -> list[PlaceRisk]:
    """Return what is risky about where the project at `path` lives (nothing is recorded)."""
    resolved = _resolved(path)
    folders = list(resolved.parent.parts)
    ancestors = [Path(*folders[: i + 1]) for i in range(len(folders))]
    synced = synced_folder(folders, [_names(folder) for folder in ancestors])
    risks = [synced] if synced is not None else []
    risks.extend(conflicted_copies(resolved.name, _names(resolved.parent), synced=synced is not None))
    return risks


def _record_file() -> Path:
    return paths.user_data_dir() / "place-warnings.json"


def _load() -> dict[str, list[str]]:
    data = read_user_file(_record_file())
    return data if isinstance(data, dict) else {}


def _save(record: dict[str, list[str]]) -> None:
    with contextlib.suppress(OSError):  # failing to remember only means warning again next time
        write_user_file(_record_file(), record, indent=1, sort_keys=True)


def place_warnings(path: Path | str) -> list[str]:
    """Return the warnings not yet given for where this project lives, and remember them as given."""
    resolved = _resolved(path)
    risks = place_risks(resolved)
    if not risks:
        return []
    record = _load()
    key = str(resolved)
    given = record.get(key, [])
    given = given if isinstance(given, list) else []
    fresh = [risk for risk in risks if risk.key not in given]
    if fresh:
        record[key] = [*given, *(risk.key for risk in fresh)]
        _save(record)
    return [advice(risk, resolved.name) for risk in fresh]
