"""Projects in synced folders or beside conflicted copies are warned about once, with what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.risky_places import (
    CONFLICT_BESIDE,
    IS_CONFLICT,
    SYNCED,
    conflicted_copies,
    service_of_folder,
    service_of_markers,
    synced_folder,
)
from workbench.services.risky_places import place_risks, place_warnings


@pytest.mark.parametrize(("name", "service"), [
    ("Dropbox", "Dropbox"), ("Dropbox (Personal)", "Dropbox"), ("OneDrive", "OneDrive"),
    ("OneDrive - Contoso Ltd", "OneDrive"), ("OneDrive-Personal", "OneDrive"), ("Google Drive", "Google Drive"),
    ("My Drive", "Google Drive"), ("GoogleDrive-jane@example.com", "Google Drive"),
    ("Mobile Documents", "iCloud Drive"), ("com~apple~CloudDocs", "iCloud Drive"), ("iCloud Drive", "iCloud Drive"),
    ("Box", "Box"), ("Box Sync", "Box"), ("pCloud Drive", "pCloud"), ("Nextcloud", "Nextcloud"),
    ("ownCloud", "ownCloud"), ("Documents", None), ("Dropboxes", None), ("boxes", None), ("Projects", None),
])
def test_sync_folders_are_known_by_name(name, service):
    assert service_of_folder(name) == service


def test_marker_files_reveal_a_sync_root():
    assert service_of_markers(["notes", ".dropbox"]) == "Dropbox"
    assert service_of_markers([".dropbox.cache"]) == "Dropbox"
    assert service_of_markers(["._sync_0a1b2c3d4e5f.db"]) == "Nextcloud"
    assert service_of_markers([".stfolder"]) == "Syncthing"
    assert service_of_markers(["a.soc2", ".git"]) is None
    risk = synced_folder(["/", "home", "jane", "Work", "clients"], [[], [], [], [".dropbox"], []])
    assert risk is not None and risk.kind == SYNCED and risk.service == "Dropbox"


@pytest.mark.parametrize(("sibling", "synced", "service"), [
    ("acme (Jane's conflicted copy 2026-03-02).soc2", False, "Dropbox or Nextcloud"),
    ("acme (conflicted copy 2026-03-02 093000).soc2", False, "Dropbox or Nextcloud"),
    ("acme (1).soc2", False, "Google Drive"),
    ("acme_conflict-20260302-093000.soc2", False, "ownCloud"),
    ("acme.sync-conflict-20260302-093000-ABCD123.soc2", False, "Syncthing"),
    ("acme-LAPTOP7.soc2", True, "OneDrive"),
    ("acme-LAPTOP7.soc2", False, None),  # outside a synced folder, an ordinary name
    ("acme-old.soc2", True, None),
    ("acme (1).xlsx", False, None),
    ("other (1).soc2", False, None),
])
def test_conflicted_copies_beside_the_project(sibling, synced, service):
    found = conflicted_copies("acme.soc2", ["acme.soc2", sibling], synced=synced)
    beside = [r for r in found if r.kind == CONFLICT_BESIDE]
    assert [r.service for r in beside] == ([service] if service else [])


def test_the_project_itself_may_be_the_conflicted_copy():
    found = conflicted_copies("acme (1).soc2", ["acme.soc2", "acme (1).soc2"])
    assert [(r.kind, r.subject) for r in found] == [(IS_CONFLICT, "acme.soc2")]


def test_warned_once_per_project_and_risk(tmp_path, data_dir):
    folder = tmp_path / "Dropbox" / "clients"
    folder.mkdir(parents=True)
    project = folder / "acme.soc2"
    project.write_bytes(b"")
    first = place_warnings(project)
    assert len(first) == 1
    assert "inside a Dropbox folder" in first[0] and "pause Dropbox" in first[0] and "backups" in first[0]
    assert place_warnings(project) == []  # remembered in the user data folder
    assert (data_dir / "place-warnings.json").is_file()
    (folder / "acme (Jane's conflicted copy 2026-03-02).soc2").write_bytes(b"")
    second = place_warnings(project)
    assert len(second) == 1 and "conflicted copy" in second[0] and "one computer at a time" in second[0]
    assert place_warnings(project) == []
    other = folder / "globex.soc2"
    other.write_bytes(b"")
    assert len(place_warnings(other)) == 1  # per project path


def test_a_plain_folder_is_not_risky(tmp_path):
    project = tmp_path / "work" / "acme.soc2"
    project.parent.mkdir()
    project.write_bytes(b"")
    assert place_risks(project) == []
    assert place_warnings(project) == []


def test_marker_file_in_an_ancestor_is_found_on_disk(tmp_path):
    root = tmp_path / "Sync root"
    (root / "deep").mkdir(parents=True)
    (root / ".dropbox").write_text("{}")
    risks = place_risks(root / "deep" / "acme.soc2")
    assert [(r.kind, r.service) for r in risks] == [(SYNCED, "Dropbox")]


def test_cli_warns_on_stderr_once(tmp_path, make_project, capsys):
    folder = tmp_path / "OneDrive - Contoso"
    folder.mkdir()
    path = folder / "acme.soc2"
    make_project(path).close()
    assert main(["backups", "list", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: acme.soc2 is inside a OneDrive folder") and err.count("warning:") == 1
    assert main(["backups", "list", str(path)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_a_missing_place_is_handled(tmp_path):
    assert place_risks(tmp_path / "nowhere" / "acme.soc2") == []
    assert isinstance(place_warnings(Path("relative-name.soc2")), list)
