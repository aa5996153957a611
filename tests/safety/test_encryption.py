"""Encryption at rest: no secret in the file or the data folder, three distinct locked messages, tamper, re-key."""

from __future__ import annotations

import base64
import sqlite3
import zipfile
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import openpyxl
import pytest

from tests.conftest import DEFAULT_SPEC, FixedClock
from tests.keyrings import MemoryKeyring
from workbench import cli
from workbench.domain.encryption import (
    EncryptionChoice,
    EncryptionSetupError,
    KeyRequiredError,
    KeyringUnavailableError,
    WrongPassphraseError,
)
from workbench.domain.entities import ControlDraft, Engagement
from workbench.domain.errors import WorkbenchError
from workbench.services import encryption
from workbench.services.controls import add_control, add_controls, list_controls
from workbench.services.engagement import get_engagement, save_engagement
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes, list_evidence, read_evidence
from workbench.services.exports.run import run_export
from workbench.services.integrity import check_project
from workbench.services.project import create_project
from workbench.services.scope import get_scope, set_description
from workbench.services.session import OpenProject, open_project
from workbench.store import crypto

PASSPHRASE = "correct horse battery"
MARKERS = {
    "control": "CTRLSECRET7731 the break-glass account is shared",
    "bulk": "BULKSECRET5512 imported note",
    "evidence": b"EVIDMARKER9042 customer database dump",
    "evidence_title": "TITLESECRET6620 prod db",
    "description": "DESCSECRET4471 we run on a single VM",
    "contact": "auditor-contact-8823@example.com",
}


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**10)  # the default stays 2**17; tests only make it cheap
    monkeypatch.delenv("WORKBENCH_PASSPHRASE", raising=False)


def _make(path: Path, clock: FixedClock, choice: EncryptionChoice) -> OpenProject:
    return create_project(path, replace(DEFAULT_SPEC, encryption=choice), clock=clock)


def _fill(project: OpenProject) -> None:
    add_control(project, ControlDraft("AC-1", "Access review", description=MARKERS["control"], criteria=("CC6.2",)))
    add_controls(project, [ControlDraft("BK-1", "Backups", notes=MARKERS["bulk"]),
                           ControlDraft("BK-2", "Restores")])
    add_evidence_bytes(project, "dump.txt", MARKERS["evidence"] * 50,
                       EvidenceMeta("AC-1", title=MARKERS["evidence_title"]))
    set_description(project, {"services": MARKERS["description"]})
    save_engagement(project, Engagement(firm="Audit Co", email=MARKERS["contact"]))


def _needles() -> list[bytes]:
    found = []
    for value in MARKERS.values():
        raw = value if isinstance(value, bytes) else value.encode()
        found.append(raw[:14])  # the unique marker word alone
    return found


def _leaks(*roots: Path) -> list[str]:
    leaks = []
    for root in roots:
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for path in files:
            data = path.read_bytes()
            leaks += [f"{path}: {needle!r}" for needle in _needles() if needle in data]
    return leaks


def _assert_readable(project: OpenProject) -> None:
    controls = {c.ref: c for c in list_controls(project)}
    assert controls["AC-1"].description == MARKERS["control"]
    assert controls["BK-1"].notes == MARKERS["bulk"]
    (evidence,) = list_evidence(project)
    assert evidence.title == MARKERS["evidence_title"]
    assert b"".join(read_evidence(project, evidence.sha256)) == MARKERS["evidence"] * 50
    assert get_scope(project).description["dc1"] == MARKERS["description"]
    assert get_engagement(project)[0].email == MARKERS["contact"]
    assert [r.problem for r in check_project(project)] == [None] * 4


def test_the_sanity_of_the_grep_itself(tmp_path: Path, clock: FixedClock) -> None:
    # A plain project holds the markers in plain form: the grep below would see a leak.
    project = create_project(tmp_path / "plain.soc2", DEFAULT_SPEC, clock=clock)
    _fill(project)
    project.close()
    assert len(_leaks(tmp_path / "plain.soc2")) == len(MARKERS)


@pytest.mark.parametrize("protection", ["keyring", "passphrase"])
def test_no_secret_reaches_the_file_or_the_data_folder(
    protection: str, request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock, data_dir: Path
) -> None:
    if protection == "keyring":
        backend = request.getfixturevalue("memory_keyring")
        choice, passphrase = EncryptionChoice(), None
    else:
        request.getfixturevalue("no_keyring")
        choice, passphrase = EncryptionChoice(passphrase=PASSPHRASE), PASSPHRASE
    path = tmp_path / "client.soc2"
    project = _make(path, clock, choice)
    assert encryption.protection(project.file) == encryption.KeyProtection(True, protection == "keyring",
                                                                           protection == "passphrase")
    _fill(project)
    assert _leaks(path, *Path(f"{path}-wal").parent.glob(f"{path.name}-*")) == []  # while open: file and WAL
    project.close()
    assert _leaks(tmp_path, data_dir) == []
    if protection == "keyring":
        assert len(backend.store) == 1
        assert all(MARKERS["control"] not in v for v in backend.store.values())

    (tmp_path / "out").mkdir()
    with open_project(path, clock=clock, passphrase=passphrase) as project:
        _assert_readable(project)
        run_export(project, "xlsx", tmp_path / "out" / "package.xlsx")
        run_export(project, "zip", tmp_path / "out" / "binder.zip")
    cells = [str(c.value) for ws in openpyxl.load_workbook(tmp_path / "out" / "package.xlsx").worksheets
             for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(MARKERS["control"] in c for c in cells)
    with zipfile.ZipFile(tmp_path / "out" / "binder.zip") as binder:
        assert any(binder.read(n) == MARKERS["evidence"] * 50 for n in binder.namelist())
    assert _leaks(path, data_dir) == []  # the open-time backup holds ciphertext only


def test_creating_without_keyring_or_passphrase_is_refused(no_keyring: None, tmp_path: Path,
                                                            clock: FixedClock) -> None:
    with pytest.raises(EncryptionSetupError, match=r"no keyring is available .* no passphrase"):
        _make(tmp_path / "x.soc2", clock, EncryptionChoice())
    assert list(tmp_path.iterdir()) == []


def test_three_distinct_messages(memory_keyring: MemoryKeyring, tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "client.soc2"
    _make(path, clock, EncryptionChoice(passphrase=PASSPHRASE)).close()
    with open_project(path, clock=clock) as project:  # the keyring opens it without a question
        assert list_controls(project) == []

    memory_keyring.locked = True
    with pytest.raises(KeyringUnavailableError) as locked:
        open_project(path, clock=clock)
    memory_keyring.locked = False
    memory_keyring.store.clear()
    with pytest.raises(KeyRequiredError) as missing:
        open_project(path, clock=clock)
    with pytest.raises(WrongPassphraseError) as wrong:
        open_project(path, clock=clock, passphrase="not the passphrase")

    assert "keyring is locked" in str(locked.value) and "passphrase is wrong" not in str(locked.value)
    assert str(missing.value).endswith("locked: the key for client.soc2 is not in the keyring; enter the passphrase")
    assert type(missing.value) is KeyRequiredError
    assert wrong.value.why == "the passphrase is wrong"
    with open_project(path, clock=clock, passphrase=PASSPHRASE) as project:
        assert list_controls(project) == []


def test_fail_backend_is_told_as_unavailable(memory_keyring: MemoryKeyring, tmp_path: Path,
                                             clock: FixedClock) -> None:
    path = tmp_path / "client.soc2"
    _make(path, clock, EncryptionChoice(passphrase=PASSPHRASE)).close()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(KeyringUnavailableError, match=r"keyring is unavailable.*enter the passphrase"):
        open_project(path, clock=clock)
    with open_project(path, clock=clock, passphrase=PASSPHRASE):
        pass


def _tamper(path: Path, statement: str) -> None:
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute(statement)
    finally:
        connection.close()


def test_tampered_chunk_is_damaged_evidence_and_stops_exports(no_keyring: None, tmp_path: Path,
                                                             clock: FixedClock) -> None:
    path = tmp_path / "client.soc2"
    project = _make(path, clock, EncryptionChoice(passphrase=PASSPHRASE))
    _fill(project)
    project.close()
    # Flip one bit in the middle of the first chunk's ciphertext.
    connection = sqlite3.connect(path)
    try:
        (data,) = connection.execute("SELECT data FROM evidence_chunks WHERE seq = 0").fetchone()
        flipped = bytearray(data)
        flipped[40] ^= 1
        with connection:
            connection.execute("UPDATE evidence_chunks SET data = ? WHERE seq = 0", (bytes(flipped),))
    finally:
        connection.close()
    with open_project(path, clock=clock, passphrase=PASSPHRASE) as project:
        problems = {r.name: r.problem for r in check_project(project)}
        assert problems["evidence hashes"] is not None
        assert "evidence dump.txt" in problems["evidence hashes"]
        assert "is damaged: it does not decrypt" in problems["evidence hashes"]
        with pytest.raises(WorkbenchError, match=r"dump\.txt"):
            run_export(project, "zip", tmp_path / "binder.zip")
    assert not (tmp_path / "binder.zip").exists()


def test_tampered_free_text_and_audit_summary_are_reported(no_keyring: None, tmp_path: Path,
                                                          clock: FixedClock) -> None:
    path = tmp_path / "client.soc2"
    project = _make(path, clock, EncryptionChoice(passphrase=PASSPHRASE))
    _fill(project)
    project.close()
    _tamper(path, "UPDATE controls SET description = substr(description, 1, 30) || 'AAAA' || "
                  "substr(description, 35) WHERE ref = 'AC-1'")
    _tamper(path, "UPDATE audit_entries SET summary = substr(summary, 1, 30) || 'AAAA' || substr(summary, 35) "
                  "WHERE seq = 2")
    with open_project(path, clock=clock, passphrase=PASSPHRASE) as project:
        control = next(c for c in list_controls(project) if c.ref == "AC-1")
        assert control.description == crypto.DAMAGED_TEXT
        problems = {r.name: r.problem for r in check_project(project)}
        assert problems["audit trail chain"] is not None and "entry 2 " in problems["audit trail chain"]


def _stored(project: OpenProject) -> dict[str, list[object]]:
    with project.file.engine.connect() as connection:
        return {table: list(connection.exec_driver_sql(f"SELECT * FROM {table}").all())
                for table in ("controls", "evidence_chunks")}


def test_rekey_and_passphrase_changes_keep_everything_readable(memory_keyring: MemoryKeyring, tmp_path: Path,
                                                               clock: FixedClock) -> None:
    path = tmp_path / "client.soc2"
    project = _make(path, clock, EncryptionChoice(passphrase=PASSPHRASE))
    _fill(project)
    before = _stored(project)
    count = encryption.rekey(project.file)
    assert count > 10
    _assert_readable(project)
    after = _stored(project)
    assert before["controls"] != after["controls"] and before["evidence_chunks"] != after["evidence_chunks"]

    # Out of the keyring, new passphrase: the old one no longer opens it.
    result = encryption.protect(project.file, use_keyring=False, new_passphrase="a brand new passphrase")
    assert result == encryption.KeyProtection(True, keyring=False, passphrase=True)
    assert memory_keyring.store == {}
    project.close()
    with pytest.raises(WrongPassphraseError):
        open_project(path, clock=clock, passphrase=PASSPHRASE)
    with open_project(path, clock=clock, passphrase="a brand new passphrase") as project:
        _assert_readable(project)
        encryption.rekey(project.file)  # the passphrase used to open is remembered for re-wrapping
        encryption.protect(project.file, use_keyring=True, remove_passphrase=True)
    with open_project(path, clock=clock) as project:  # back in the keyring only
        _assert_readable(project)
        with pytest.raises(EncryptionSetupError, match="must stay protected"):
            encryption.protect(project.file, use_keyring=False)
        _assert_readable(project)


def test_cli_new_encrypt_and_open_with_the_passphrase(no_keyring: None, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cli.soc2"
    assert cli.main(["new", str(path), "--org", "Acme", "--encrypt"]) == 2
    assert "no keyring is available" in capsys.readouterr().err and not path.exists()

    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    assert cli.main(["new", str(path), "--org", "Acme", "--encrypt", "--passphrase-file", str(secret)]) == 0
    capsys.readouterr()
    assert cli.main(["status", str(path), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "enter the passphrase" in err and "Traceback" not in err

    monkeypatch.setenv("WORKBENCH_PASSPHRASE", PASSPHRASE)
    assert cli.main(["status", str(path), "--json"]) == 0
    assert cli.main(["rekey", str(path)]) == 0
    new_secret = tmp_path / "new.txt"
    new_secret.write_text("another long passphrase\n", encoding="utf-8")
    assert cli.main(["passphrase", str(path), "--new-passphrase-file", str(new_secret)]) == 0
    assert "encrypted; the key opens with a passphrase" in capsys.readouterr().out
    assert cli.main(["check", str(path)]) == 2  # WORKBENCH_PASSPHRASE still holds the old one
    assert "the passphrase is wrong" in capsys.readouterr().err
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", "another long passphrase")
    assert cli.main(["check", str(path)]) == 0


def test_check_reports_altered_or_plain_free_text_in_an_encrypted_project(tmp_path, clock, memory_keyring):
    path = tmp_path / "secret.soc2"
    with _make(path, clock, EncryptionChoice(use_keyring=True)) as project:
        _fill(project)
        assert all(r.ok for r in check_project(project))
    with closing(sqlite3.connect(path)) as connection, connection:
        stored = connection.execute("SELECT description FROM controls WHERE ref = 'AC-1'").fetchone()[0]
        sealed = bytearray(base64.b64decode(stored.removeprefix(crypto.TEXT_PREFIX)))
        sealed[-1] ^= 0x01  # one bit of the authentication tag
        altered = crypto.TEXT_PREFIX + base64.b64encode(bytes(sealed)).decode()
        connection.execute("UPDATE controls SET description = ? WHERE ref = 'AC-1'", (altered,))
        connection.execute("UPDATE controls SET notes = 'put back in plain' WHERE ref = 'BK-2'")
        connection.execute("PRAGMA journal_mode = DELETE")
    with open_project(path, clock=clock, backup_on_open=False) as project:
        found = {r.name: r.problem for r in check_project(project)}
    assert "controls.description" in found["encrypted text"] and "does not decrypt" in found["encrypted text"]
