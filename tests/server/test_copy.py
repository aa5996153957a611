"""`workbench copy`: a project file to a server database and back, losslessly, never over anything."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.pg_helpers import admin_address, drop_database, unique_name
from workbench.cli import main
from workbench.domain.location import ServerAddress
from workbench.services.integrity import project_digest
from workbench.services.session import open_project

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"


@pytest.fixture(scope="session")
def _admin() -> ServerAddress:
    return admin_address()


@pytest.fixture
def _database_url(_admin: ServerAddress) -> Iterator[str]:
    """The URL of a database that does not exist yet (copy makes it); dropped after the test."""
    name = unique_name("wb_copy")
    yield str(_admin.with_database(name))
    drop_database(_admin, name, [])


def _digest(location: Path | str) -> str:
    with open_project(location, backup_on_open=False) as project:
        return project_digest(project)


def test_sample_project_goes_to_the_server_and_back_unchanged(
        _database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = tmp_path / "brightpath.soc2"
    shutil.copyfile(SAMPLE, original)
    assert main(["check", str(original)]) == 0  # opens (and, for an older sample, upgrades) the copy first
    before = _digest(original)

    assert main(["copy", str(original), _database_url]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("copied ") and out[-1].endswith(f"content digest {before} matches")
    rows = int(out[-1].split()[1])
    assert rows > 100 and int(out[-1].split()[3]) > 0  # evidence bytes came along

    back = tmp_path / "back.soc2"
    assert main(["copy", _database_url, str(back)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].endswith(f"content digest {before} matches")

    for location in (str(original), _database_url, str(back)):
        assert main(["check", location]) == 0, location
        assert _digest(location) == before, location
    capsys.readouterr()

    # The copy on the server is a working project: it takes new changes, with ids past the copied ones.
    assert main(["evidence", "add", _database_url, str(SAMPLE), "--control", "AC-01", "--title", "the file"]) == 0
    assert main(["check", _database_url]) == 0


def test_copy_never_replaces_an_existing_file_or_a_filled_database(
        _database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = tmp_path / "brightpath.soc2"
    shutil.copyfile(SAMPLE, original)
    assert main(["copy", str(original), _database_url]) == 0
    server_digest = _digest(_database_url)

    existing = tmp_path / "existing.soc2"
    existing.write_bytes(b"someone's file")
    capsys.readouterr()
    assert main(["copy", _database_url, str(existing)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {existing} : already exists")
    assert existing.read_bytes() == b"someone's file"

    assert main(["copy", str(original), _database_url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "already holds tables" in err[0]
    assert _digest(_database_url) == server_digest


def test_file_to_file_copy_keeps_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = tmp_path / "brightpath.soc2"
    shutil.copyfile(SAMPLE, original)
    copy = tmp_path / "copy.soc2"
    assert main(["copy", str(original), str(copy)]) == 0
    assert _digest(copy) == _digest(original)
    assert main(["check", str(copy)]) == 0


def test_an_encrypted_project_is_refused_for_a_server(
        _database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", "correct horse battery staple")
    secret = tmp_path / "secret.soc2"
    assert main(["new", str(secret), "--org", "Acme", "--encrypt", "--no-keyring"]) == 0
    capsys.readouterr()
    assert main(["copy", str(secret), _database_url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "encryption at rest is for project files only" in err[0]

    # Between files the sealed values travel as they are, and the same passphrase opens the copy.
    copy = tmp_path / "secret-copy.soc2"
    assert main(["copy", str(secret), str(copy)]) == 0
    assert main(["check", str(copy)]) == 0
