"""Saved connection profiles: kept as JSON without passwords; the password in the OS keyring, or told why not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.entities import ControlDraft
from workbench.domain.errors import NotFoundError, ProjectFileError, ValidationError
from workbench.domain.location import (
    ServerAddress,
    is_profile_location,
    is_server_location,
    parse_location,
    shown_location,
)
from workbench.services.connections import (
    KEYRING_SERVICE,
    PASSWORD_ENV,
    PasswordKeyringError,
    check_connection,
    get_profile,
    list_profiles,
    profiles_file,
    remove_profile,
    resolve_location,
    save_profile,
)
from workbench.services.controls import add_control, list_controls
from workbench.services.project import NewProject, create_project
from workbench.services.session import open_project, server_address

SECRET = "s3cret-pw-9917"
URL = "postgresql://ana@db.example.com:6543/acme"


def _file_text() -> str:
    return profiles_file().read_text(encoding="utf-8")


# -- locations ---------------------------------------------------------------------------------------------

def test_profile_locations_are_server_locations_and_stay_text():
    assert is_profile_location("profile:team") and is_server_location("profile:team")
    assert not is_profile_location("profile:") and not is_profile_location(Path("profile:x"))
    assert parse_location("profile:team") == "profile:team"
    assert isinstance(parse_location("acme.soc2"), Path)


def test_addresses_never_show_their_password():
    address = ServerAddress.parse(f"postgresql://ana:{SECRET}@db.example.com:6543/acme")
    assert address.password == SECRET
    assert SECRET not in str(address) and SECRET not in repr(address)
    assert shown_location(f"postgresql://ana:{SECRET}@db.example.com/acme") == "postgresql://ana@db.example.com/acme"
    assert shown_location("profile:team") == "profile:team"


# -- profiles ----------------------------------------------------------------------------------------------

def test_a_profile_keeps_its_password_in_the_keyring_never_in_the_file(memory_keyring, data_dir):
    saved = save_profile("acme prod", URL, SECRET)
    assert saved.password_problem is None and saved.profile.password_saved
    assert profiles_file().parent == data_dir
    assert SECRET not in _file_text()
    assert json.loads(_file_text())["profiles"] == [
        {"name": "acme prod", "url": "postgresql://ana@db.example.com:6543/acme", "password_saved": True}]
    assert memory_keyring.store == {(KEYRING_SERVICE, "acme prod"): SECRET}

    assert [p.name for p in list_profiles()] == ["acme prod"]
    resolved = resolve_location("profile:acme prod")
    assert resolved == ServerAddress("ana", "db.example.com", 6543, "acme", SECRET)
    assert server_address("profile:acme prod") == resolved


def test_a_password_inside_the_url_goes_to_the_keyring_too(memory_keyring):
    save_profile("acme", f"postgresql://ana:{SECRET}@db.example.com:6543/acme")
    assert SECRET not in _file_text()
    assert memory_keyring.store[(KEYRING_SERVICE, "acme")] == SECRET


def test_saving_again_without_a_password_forgets_the_kept_one(memory_keyring):
    save_profile("acme", URL, SECRET)
    save_profile("acme", URL, None)
    assert memory_keyring.store == {}
    assert resolve_location("profile:acme").password is None


def test_without_a_keyring_the_profile_is_saved_and_the_password_is_not_with_the_reason(no_keyring):
    saved = save_profile("acme", URL, SECRET)
    assert saved.password_problem is not None
    assert "no keyring service is available" in saved.password_problem
    assert PASSWORD_ENV in saved.password_problem
    assert not saved.profile.password_saved
    assert SECRET not in _file_text()
    # Without a kept password the keyring is never asked: the profile opens as typed.
    assert resolve_location("profile:acme").password is None


def test_a_locked_keyring_is_reported_and_the_environment_password_still_works(memory_keyring, monkeypatch):
    save_profile("acme", URL, SECRET)
    memory_keyring.locked = True
    with pytest.raises(PasswordKeyringError, match="the keyring is locked"):
        resolve_location("profile:acme")
    monkeypatch.setenv(PASSWORD_ENV, "from-env")
    assert resolve_location("profile:acme").password == "from-env"


def test_a_locked_keyring_refuses_to_keep_a_password_and_says_so(memory_keyring):
    memory_keyring.locked = True
    saved = save_profile("acme", URL, SECRET)
    assert "the keyring is locked" in (saved.password_problem or "")
    assert not get_profile("acme").password_saved


def test_the_environment_password_serves_a_plain_url(memory_keyring, monkeypatch):
    assert resolve_location(URL).password is None
    monkeypatch.setenv(PASSWORD_ENV, "from-env")
    assert resolve_location(URL).password == "from-env"
    assert resolve_location(f"postgresql://ana:{SECRET}@h/acme").password == SECRET  # a typed one wins
    assert resolve_location(Path("acme.soc2")) == Path("acme.soc2")


def test_removing_a_profile_forgets_its_password(memory_keyring):
    save_profile("acme", URL, SECRET)
    assert remove_profile("acme") is None
    assert list_profiles() == [] and memory_keyring.store == {}
    with pytest.raises(NotFoundError, match="no saved connection"):
        remove_profile("acme")
    with pytest.raises(NotFoundError, match="profile:nope : no saved connection"):
        open_project("profile:nope")


def test_bad_names_and_addresses_are_refused(memory_keyring):
    with pytest.raises(ValidationError, match="a connection name"):
        save_profile("../etc", URL)
    with pytest.raises(ValidationError, match="names no database"):
        save_profile("acme", "postgresql://ana@db.example.com:6543/")


def test_a_damaged_profiles_file_is_reported(memory_keyring):
    profiles_file().parent.mkdir(parents=True, exist_ok=True)
    profiles_file().write_text("{not json", encoding="utf-8")
    with pytest.raises(ProjectFileError, match="saved connections cannot be read"):
        list_profiles()


# -- command line ------------------------------------------------------------------------------------------

def test_cli_connect_add_list_remove(memory_keyring, tmp_path, capsys):
    secret_file = tmp_path / "pw.txt"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    assert main(["connect", "add", "acme", URL, "--password-file", str(secret_file)]) == 0
    out = capsys.readouterr().out
    assert "profile:acme" in out and "OS keyring" in out and SECRET not in out
    assert main(["connect", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert SECRET not in listed
    assert json.loads(listed)["connections"][0] == {
        "name": "acme", "location": "profile:acme", "url": "postgresql://ana@db.example.com:6543/acme",
        "host": "db.example.com", "port": 6543, "database": "acme", "user": "ana", "password_in_keyring": True}
    assert main(["connect", "list"]) == 0
    assert "acme  postgresql://ana@db.example.com:6543/acme  (password in keyring)" in capsys.readouterr().out
    assert main(["connect", "remove", "acme"]) == 0
    assert main(["connect", "remove", "acme"]) == 2
    assert "no saved connection" in capsys.readouterr().err
    assert memory_keyring.store == {}


def test_cli_connect_add_without_a_keyring_fails_clearly_and_keeps_no_password(no_keyring, tmp_path, capsys):
    secret_file = tmp_path / "pw.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    assert main(["connect", "add", "acme", URL, "--password-file", str(secret_file)]) == 2
    captured = capsys.readouterr()
    assert "the password was not saved: no keyring service is available" in captured.err
    assert SECRET not in _file_text() and SECRET not in captured.out + captured.err
    assert main(["connect", "list"]) == 0
    assert "(no saved password)" in capsys.readouterr().out


# -- on the test server ------------------------------------------------------------------------------------

def test_a_profile_opens_a_project_on_the_server_everywhere_a_location_goes(memory_keyring, fresh_database,
                                                                             capsys):
    address = fresh_database()
    save_profile("team", address)
    assert "holds no project yet" in check_connection("profile:team").message
    create_project("profile:team", NewProject("Acme Ltd", "Acme Cloud")).close()
    assert "holds a SOC 2 Workbench project" in check_connection("profile:team").message
    with open_project("profile:team") as project:
        assert project.on_server and project.path == address
        add_control(project, ControlDraft("AC-1", "Access reviews", criteria=("CC6.1",)))
    assert main(["controls", "profile:team", "--json"]) == 0
    assert "AC-1" in capsys.readouterr().out
    with open_project(address) as project:
        assert [c.ref for c in list_controls(project)] == ["AC-1"]


def test_a_missing_database_is_told_by_test_connection(memory_keyring, postgres_admin):
    with pytest.raises(ProjectFileError, match="no such database"):
        check_connection(postgres_admin.with_database("wbt_surely_missing_db"))
