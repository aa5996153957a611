"""Where a project file is at risk: inside a folder a sync service copies between computers, or beside a copy
that such a service made when two computers changed the file at once. Pure: callers supply the names they see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SYNCED = "synced"
CONFLICT_BESIDE = "conflict-beside"
IS_CONFLICT = "is-conflict"

# Folder names (compared case-insensitively) that sync clients use for the folder they keep in step.
_FOLDER_NAMES = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "skydrive": "OneDrive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "icloud drive": "iCloud Drive",
    "icloud drive (archive)": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "com~apple~clouddocs": "iCloud Drive",
    "icloudrive": "iCloud Drive",
    "box": "Box",
    "box sync": "Box",
    "box drive": "Box",
    "pcloud drive": "pCloud",
    "pclouddrive": "pCloud",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
}
# Names that sync clients give with a suffix: "OneDrive - Contoso", "Dropbox (Personal)", and the macOS
# File Provider folders under ~/Library/CloudStorage ("GoogleDrive-jane@example.com", "OneDrive-Personal").
_FOLDER_PREFIXES = (
    (re.compile(r"^onedrive( - |-).+", re.IGNORECASE), "OneDrive"),
    (re.compile(r"^dropbox( \(.+\)|-.+)$", re.IGNORECASE), "Dropbox"),
    (re.compile(r"^googledrive-.+", re.IGNORECASE), "Google Drive"),
    (re.compile(r"^box-.+", re.IGNORECASE), "Box"),
    (re.compile(r"^pcloud( drive)?-.+", re.IGNORECASE), "pCloud"),
    (re.compile(r"^(nextcloud|owncloud)[ -].+", re.IGNORECASE), "Nextcloud"),
)
# Files or folders a sync client leaves in the root of what it syncs.
MARKER_NAMES = {
    ".dropbox": "Dropbox",
    ".dropbox.cache": "Dropbox",
    ".dropbox.attr": "Dropbox",
    ".stfolder": "Syncthing",
    ".owncloudsync.log": "Nextcloud",
    ".nextcloudsync.log": "Nextcloud",
    ".tmp.drivedownload": "Google Drive",
    ".tmp.driveupload": "Google Drive",
}
_MARKER_PATTERNS = ((re.compile(r"^\._?sync_[0-9a-f]+\.db$", re.IGNORECASE), "Nextcloud"),)


@dataclass(frozen=True, slots=True)
class PlaceRisk:
    """One risk of where a project lives: its kind, the service behind it, and the folder or file concerned."""

    kind: str
    service: str
    subject: str

    @property
    def key(self) -> str:
        """Return what identifies this risk for "warned once" bookkeeping."""
        return f"{self.kind}:{self.service}:{self.subject}"


def service_of_folder(name: str) -> str | None:
    """Return the sync service whose folder is called `name`, or None."""
    lowered = name.strip().lower()
    if lowered in _FOLDER_NAMES:
        return _FOLDER_NAMES[lowered]
    return next((service for pattern, service in _FOLDER_PREFIXES if pattern.match(name.strip())), None)


def service_of_markers(names: Iterable[str]) -> str | None:
    """Return the sync service whose marker files appear among a folder's entry names, or None."""
    for name in names:
        if name in MARKER_NAMES:
            return MARKER_NAMES[name]
        for pattern, service in _MARKER_PATTERNS:
            if pattern.match(name):
                return service
    return None


def synced_folder(folders: Sequence[str], markers: Sequence[Iterable[str]] = ()) -> PlaceRisk | None:
    """Return the risk of living in a synced folder, given the project's ancestor folder names (outermost first)
    and, optionally, the entry names seen in each of those folders (same order)."""
    for index, name in enumerate(folders):
        service = service_of_folder(name)
        if service is None and index < len(markers):
            service = service_of_markers(markers[index])
        if service is not None:
            return PlaceRisk(SYNCED, service, "/".join(folders[: index + 1]) or name)
    return None


def _conflict_patterns(stem: str, synced: bool) -> list[tuple[re.Pattern[str], str]]:
    name = re.escape(stem)
    patterns = [
        (re.compile(rf"^{name} \([^()]*conflicted copy[^()]*(\(\d+\))?\)$", re.IGNORECASE), "Dropbox or Nextcloud"),
        (re.compile(rf"^{name} ?\(\d{{1,3}}\)$"), "Google Drive"),
        (re.compile(rf"^{name}_conflict-\d{{8}}-\d{{6}}$"), "ownCloud"),
        (re.compile(rf"^{name}\.sync-conflict-\d{{8}}-\d{{6}}-[A-Z0-9]+$"), "Syncthing"),
    ]
    if synced:
        # OneDrive appends the computer's name ("acme-LAPTOP7.soc2"): too like an ordinary name to trust
        # outside a synced folder.
        patterns.append((re.compile(rf"^{name}-(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{{1,14}}$"), "OneDrive"))
    return patterns


def _split(name: str) -> tuple[str, str]:
    stem, dot, suffix = name.rpartition(".")
    return (stem, f".{suffix}") if dot and stem else (name, "")


def conflicted_copies(project_name: str, sibling_names: Iterable[str], *, synced: bool = False) -> list[PlaceRisk]:
    """Return the conflicted copies of the project among the names beside it, and the original it is a copy of."""
    stem, suffix = _split(project_name)
    risks = []
    for sibling in sorted(set(sibling_names)):
        if sibling == project_name:
            continue
        other, other_suffix = _split(sibling)
        if other_suffix.lower() != suffix.lower():
            continue
        for pattern, service in _conflict_patterns(stem, synced):
            if pattern.match(other):
                risks.append(PlaceRisk(CONFLICT_BESIDE, service, sibling))
                break
        for pattern, service in _conflict_patterns(other, synced):
            if pattern.match(stem):
                risks.append(PlaceRisk(IS_CONFLICT, service, sibling))
                break
    return risks


def advice(risk: PlaceRisk, project_name: str) -> str:
    """Return the warning for one risk: what is wrong and what to do about it."""
    if risk.kind == SYNCED:
        return (
            f"{project_name} is inside a {risk.service} folder ({risk.subject}). A synced project can be replaced "
            f"by a copy from another computer while you work. Close SOC 2 Workbench on every other computer before "
            f"opening it here and pause {risk.service} while you work, or keep the project outside the synced folder "
            f"and rely on its automatic backups."
        )
    if risk.kind == CONFLICT_BESIDE:
        return (
            f"{risk.subject} beside {project_name} looks like a conflicted copy made by {risk.service}: the project "
            f"was changed on two computers at once. Open both, keep the one with your latest work, move the other "
            f"out of the folder, and work on one computer at a time."
        )
    return (
        f"{project_name} looks like a conflicted copy of {risk.subject} made by {risk.service}: the project was "
        f"changed on two computers at once. Open both, keep the one with your latest work, move the other out of "
        f"the folder, and work on one computer at a time."
    )
