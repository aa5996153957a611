"""The zip binder, read back: folders by control, safe member names, the workbook inside, SHA256SUMS that verify."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.binder_files import binder_members, binder_names, unpack_binder
from workbench.domain.errors import WorkbenchError
from workbench.services.evidence import EvidenceMeta, add_evidence, add_evidence_bytes, list_evidence
from workbench.services.exports.binder import MAX_NAME, FolderNames, export_zip, safe_name
from workbench.services.exports.output import ExportCancelled
from workbench.services.exports.snapshot import ExportOptions
from workbench.services.session import OpenProject, open_project

HOSTILE = {
    "../../etc/passwd": b"root:x:0:0\n",
    "/etc/shadow": b"absolute path\n",
    "C:\\Windows\\system.ini": b"drive letter\n",
    "nul\x00byte\x07bell.txt": b"control characters\n",
    "CON": b"reserved device name\n",
    "com1.log": b"reserved device name with a suffix\n",
    "trailing dots. . .": b"trailing dots and spaces\n",
    "x" * 300 + ".log": b"a very long name\n",
    "report.pdf": b"%PDF-1.4 the first report\n",
    "..": b"dot dot\n",
    "<b>markup</b> & 'quotes'.txt": b"markup in the name\n",
}
SECOND_REPORT = b"%PDF-1.4 the second report, same name\n"


@pytest.fixture
def sample(sample_location: Callable[[], Any], clock: Any) -> Iterator[OpenProject]:
    """A copy of the sample project with oddly named evidence added to AC-01, open (closed after)."""
    project = open_project(sample_location(), clock=clock)
    try:
        for name, data in HOSTILE.items():
            add_evidence_bytes(project, name, data, EvidenceMeta("AC-01", title=f"odd {len(name)}"))
        add_evidence_bytes(project, "report.pdf", SECOND_REPORT, EvidenceMeta("AC-01", title="second report"))
        # One blob attached to two controls: it must appear in both folders.
        add_evidence_bytes(project, "shared.log", b"shared bytes\n", EvidenceMeta("AC-01", title="shared"))
        add_evidence_bytes(project, "shared.log", b"shared bytes\n", EvidenceMeta("BC-01", title="shared"))
        yield project
    finally:
        project.close()


def _sums(folder: Path) -> dict[str, str]:
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("  ", 1) for line in lines]
    assert all(len(digest) == 64 and int(digest, 16) >= 0 for digest, _ in pairs)
    return {name: digest for digest, name in pairs}


def _folder_of(names: list[str], ref: str) -> str:
    (folder,) = {n.split("/")[0] for n in names if n.startswith(f"{ref} ")}
    return folder


def test_binder_verifies_with_sha256sum_and_in_python(sample: OpenProject, tmp_path: Path) -> None:
    out = export_zip(sample, tmp_path / "binder.zip")
    folder = unpack_binder(out, tmp_path / "unzipped")
    assert [p.name for p in (tmp_path / "unzipped").iterdir()] == [folder.name]
    sums = _sums(folder)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert sorted(sums) == sorted(f for f in files if f != "SHA256SUMS")
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum is not installed")
    result = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=folder, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK") == len(sums)


def test_member_paths_stay_inside_and_every_file_is_there(sample: OpenProject, tmp_path: Path) -> None:
    out = export_zip(sample, tmp_path / "binder.zip")
    with zipfile.ZipFile(out) as zipped:
        assert zipped.testzip() is None
        for name in zipped.namelist():
            path = PurePosixPath(name)
            assert not path.is_absolute() and ".." not in path.parts and "\\" not in name, name
    names, contents = binder_names(out), binder_members(out)
    for name in names:
        path = PurePosixPath(name)
        assert not path.is_absolute() and ".." not in path.parts and "\\" not in name, name
        assert ":" not in name and not any(ord(c) < 32 for c in name), name
        assert all(len(part) <= MAX_NAME and part.strip(". ") == part for part in path.parts), name
    assert {"README.txt", "SHA256SUMS", "workbook.xlsx"} <= set(names)
    ac01 = _folder_of(names, "AC-01")
    assert ac01 == "AC-01 SSO with enforced MFA"
    in_ac01 = {n.split("/", 1)[1]: data for n, data in contents.items() if n.startswith(f"{ac01}/")}
    # The colliding names are both present, each with its own bytes.
    assert in_ac01["report.pdf"] == HOSTILE["report.pdf"]
    assert in_ac01["report (2).pdf"] == SECOND_REPORT
    assert in_ac01["passwd"] == HOSTILE["../../etc/passwd"]
    assert in_ac01["_CON"] == HOSTILE["CON"]
    assert in_ac01["_com1.log"] == HOSTILE["com1.log"]
    assert in_ac01["trailing dots"] == HOSTILE["trailing dots. . ."]
    assert in_ac01["nul_byte_bell.txt"] == HOSTILE["nul\x00byte\x07bell.txt"]
    long_name = next(n for n in in_ac01 if n.startswith("xxxx"))
    assert long_name.endswith(".log") and len(long_name) <= MAX_NAME
    # Every evidence item of the project is in its control's folder, byte for byte.
    stored = list_evidence(sample)
    evidence_members = [n for n in contents if n.count("/") == 1 and not n.endswith("/_control.txt")
                        and n.split("/")[0] not in ("samples", "requests")]
    assert len(evidence_members) == len(stored)
    by_digest = {hashlib.sha256(data).hexdigest(): data for data in contents.values()}
    for item in stored:
        assert item.sha256 in by_digest
    assert contents[f"{ac01}/shared.log"] == b"shared bytes\n"
    assert contents[f"{_folder_of(names, 'BC-01')}/shared.log"] == b"shared bytes\n"
    note = contents[f"{ac01}/_control.txt"].decode()
    assert "original file name: '../../etc/passwd'" in note and "report (2).pdf" in note


def test_workbook_and_readme_inside(sample: OpenProject, tmp_path: Path) -> None:
    out = export_zip(sample, tmp_path / "binder.zip")
    members = binder_members(out)
    (tmp_path / "workbook.xlsx").write_bytes(members["workbook.xlsx"])
    readme = members["README.txt"].decode()
    book = openpyxl.load_workbook(tmp_path / "workbook.xlsx", read_only=True)
    try:
        assert "Controls" in book.sheetnames
        hashes = {str(cell) for row in book["Evidence index"].iter_rows(values_only=True) for cell in row}
    finally:
        book.close()
    assert {e.sha256 for e in list_evidence(sample)} <= hashes
    with sample.uow() as uow:
        head = uow.audit.head()
    assert head in readme
    assert "Brightpath Analytics" in readme and "sha256sum -c SHA256SUMS" in readme
    assert "2026-04-01 to 2026-09-30" in readme


def test_options_narrow_the_binder(sample: OpenProject, tmp_path: Path) -> None:
    out = export_zip(sample, tmp_path / "binder.zip", ExportOptions(controls=frozenset({"BC-01"})))
    members = binder_members(out)
    folders = {n.split("/")[0] for n in members if "/" in n} - {"requests", "samples"}
    assert folders == {"BC-01 Automated backups"}
    # Only the requests that touch what the narrowed binder holds get a folder.
    notes = [data.decode() for n, data in members.items() if n.endswith("/_request.txt")]
    assert all("BC-01" in note for note in notes)


def test_changed_stored_bytes_stop_the_export_and_leave_no_zip(sample: OpenProject, tmp_path: Path, clock: Any,
                                                              plain_sql: Callable[..., Any]) -> None:
    path = sample.path
    sample.close()
    digest = hashlib.sha256(SECOND_REPORT).hexdigest()
    plain_sql(path, "UPDATE evidence_chunks SET data = ? WHERE blob_sha256 = ? AND seq = 0",
              (b"%PDF-1.4 the second report, same nam!\n", digest))
    target = tmp_path / "out" / "binder.zip"
    target.parent.mkdir()
    with open_project(path, clock=clock) as again, pytest.raises(WorkbenchError) as raised:
        export_zip(again, target)
    assert "report.pdf" in str(raised.value) and "SHA-256" in str(raised.value)
    assert list(target.parent.iterdir()) == []


def test_cancel_leaves_no_zip_and_keeps_an_existing_file(sample: OpenProject, tmp_path: Path) -> None:
    target = tmp_path / "binder.zip"
    seen: list[tuple[int, int]] = []

    def stop_midway(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < total // 2

    with pytest.raises(ExportCancelled):
        export_zip(sample, target, progress=stop_midway)
    assert not target.exists() and list(tmp_path.glob("*.part")) == [] and list(tmp_path.glob(".*")) == []
    target.write_bytes(b"an earlier binder")
    with pytest.raises(ExportCancelled):
        export_zip(sample, target, progress=lambda done, total: False)
    assert target.read_bytes() == b"an earlier binder"
    assert len({total for _, total in seen}) == 1
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_large_file_is_streamed_not_held_in_memory(new_project: OpenProject, tmp_path: Path) -> None:
    from workbench.domain.entities import ControlDraft
    from workbench.services.controls import add_control

    add_control(new_project, ControlDraft("BK-1", "Nightly backups", criteria=("CC7.4",)))
    source = tmp_path / "big.bin"
    block = hashlib.sha256(b"seed").digest() * 4096  # 128 KiB, repeated with a counter so it is not uniform
    with source.open("wb") as handle:
        for index in range(96):
            handle.write(index.to_bytes(4, "big") + block[4:])
    add_evidence(new_project, source, EvidenceMeta("BK-1"))
    tracemalloc.start()
    try:
        out = export_zip(new_project, tmp_path / "binder.zip")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, f"peak {peak} bytes for a {source.stat().st_size}-byte file"
    with zipfile.ZipFile(out) as zipped:
        (member,) = [n for n in zipped.namelist() if n.endswith("/big.bin")]
        assert member.count("/") == 2  # the root folder, the control's folder
        digest = hashlib.sha256()
        with zipped.open(member) as data:
            while chunk := data.read(1 << 20):
                digest.update(chunk)
    assert digest.hexdigest() == hashlib.sha256(source.read_bytes()).hexdigest()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=400), min_size=1, max_size=12, unique=True))
def test_safe_names_are_plain_bounded_and_distinct(names: list[str]) -> None:
    folder = FolderNames(["_control.txt"])
    given_out = [folder.take(name) for name in names]
    for original, name in zip(names, given_out, strict=True):
        for made in (name, safe_name(original)):
            assert made and made not in (".", "..")
            assert "/" not in made and "\\" not in made and "\x00" not in made
            assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in made)
            assert len(made) <= MAX_NAME and len(made.encode("utf-8")) <= 255
            assert made == made.strip(". ")
    assert len({n.casefold() for n in given_out}) == len(names)
    assert "_control.txt" not in given_out


def test_one_root_folder_named_after_the_organisation_and_period(sample: OpenProject, tmp_path: Path) -> None:
    out = export_zip(sample, tmp_path / "binder.zip")
    with zipfile.ZipFile(out) as zipped:
        roots = {name.split("/", 1)[0] for name in zipped.namelist()}
        comment = zipped.comment.decode()
    assert roots == {"Brightpath Analytics, Inc. - SOC 2 2026-04-01 to 2026-09-30"}
    readme = binder_members(out)["README.txt"].decode()
    manifest = next(line.split()[-1] for line in readme.splitlines() if line.startswith("Manifest SHA-256:"))
    assert len(manifest) == 64 and manifest in comment and "Confidential" in readme


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["2026-04-01 to 2026-09-30", "as of 2026-06-30", "not set"]))
def test_root_folder_names_are_safe_everywhere(organization: str, period: str) -> None:
    from workbench.services.exports.binder import ROOT_NAME, root_folder
    from workbench.services.exports.cover import CoverFacts

    name = root_folder(CoverFacts(organization, "", "SOC 2 Type II", "", period, "", "0" * 64, "0" * 64, 0))
    assert name and name == name.strip(". ") and len(name) <= ROOT_NAME
    assert not set('/\\:*?"<>|') & set(name) and not any(ord(c) < 32 for c in name)
    assert period == "not set" or name.endswith(period)
