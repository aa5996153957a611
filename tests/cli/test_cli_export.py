"""`workbench export` as a new user runs it: each deliverable written, narrowed, refused cleanly when it must be."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.binder_files import binder_names, unpack_binder
from tests.cli.test_cli_process import assert_one_error_line, run

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    copy = tmp_path / "sample.soc2"
    shutil.copyfile(SAMPLE, copy)
    return copy


def test_every_kind_is_written_and_described(tmp_path, sample):
    for kind, name in (("pdf", "package.pdf"), ("xlsx", "book.xlsx"), ("zip", "binder.zip"), ("requests", "pbc.xlsx")):
        result = run(tmp_path, "export", kind, sample, name, "--json")
        assert result.returncode == 0, result.stderr
        document = json.loads(result.stdout)
        assert document["kind"] == kind and Path(document["path"]).name == name
        assert document["size"] == (tmp_path / name).stat().st_size > 0
    assert PdfReader(tmp_path / "package.pdf").outline
    assert "Controls" in load_workbook(tmp_path / "book.xlsx", read_only=True).sheetnames
    assert "SHA256SUMS" in binder_names(tmp_path / "binder.zip")
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


def test_narrowing_to_one_criterion_keeps_only_its_controls(tmp_path, sample):
    result = run(tmp_path, "export", "xlsx", sample, "cc61.xlsx", "--criteria", "cc 6.1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("exported the workbook for the CPA firm to ")
    controls = json.loads(run(tmp_path, "controls", sample, "--json").stdout)
    expected = sorted(c["ref"] for c in controls if "CC6.1" in c["criteria"])
    sheet = load_workbook(tmp_path / "cc61.xlsx")["Controls"]
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]) == expected


@pytest.mark.parametrize(("args", "phrases"), [
    (("export", "docx"), ("invalid choice",)),
    (("export", "xlsx", "{sample}", "out.xlsx", "--criteria", "banana"), ("banana", "criterion")),
    (("export", "xlsx", "{sample}", "out.xlsx", "--controls", "NOPE-1"), ("NOPE-1",)),
    (("export", "pdf", "{sample}", "out.pdf", "--from", "2026-06-01", "--to", "2026-01-01"), ("ends before",)),
    (("export", "requests", "{sample}", "out.xlsx", "--criteria", "CC6.1"), ("whole",)),
    (("export", "zip", "{sample}", "missing-folder/out.zip"), ("folder does not exist",)),
])
def test_bad_requests_are_one_line_and_write_nothing(tmp_path, sample, args, phrases):
    before = set(tmp_path.iterdir())
    result = run(tmp_path, *(str(a).format(sample=sample) for a in args))
    assert_one_error_line(result, *phrases)
    assert set(tmp_path.iterdir()) == before


def test_an_altered_evidence_byte_stops_every_export_and_fails_check(tmp_path, sample):
    with closing(sqlite3.connect(sample)) as connection, connection:
        sha, seq, data = connection.execute("SELECT blob_sha256, seq, data FROM evidence_chunks LIMIT 1").fetchone()
        changed = bytes([data[0] ^ 0xFF]) + data[1:]
        connection.execute("UPDATE evidence_chunks SET data = ? WHERE blob_sha256 = ? AND seq = ?", (changed, sha, seq))
        connection.execute("PRAGMA journal_mode = DELETE")
    for kind, name in (("pdf", "p.pdf"), ("zip", "b.zip")):
        line = assert_one_error_line(run(tmp_path, "export", kind, sample, name), "no longer match")
        assert "evidence " in line
        assert not (tmp_path / name).exists()
    checked = run(tmp_path, "check", sample)
    assert checked.returncode != 0 and sha[:12] in checked.stdout + checked.stderr


def test_the_binder_verifies_with_sha256sum(tmp_path, sample):
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum is not installed")
    assert run(tmp_path, "export", "zip", sample, "binder.zip").returncode == 0
    folder = unpack_binder(tmp_path / "binder.zip", tmp_path / "unzipped")
    verified = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=folder, capture_output=True,
                              text=True, check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.count(": OK") == sum(1 for p in folder.rglob("*") if p.is_file()) - 1


def test_the_package_warns_on_stderr_while_the_description_is_unwritten(tmp_path, sample):
    fresh = tmp_path / "fresh.soc2"
    assert run(tmp_path, "new", fresh, "--org", "Acme Ltd").returncode == 0
    result = run(tmp_path, "export", "pdf", fresh, "fresh.pdf")
    assert result.returncode == 0 and (tmp_path / "fresh.pdf").exists()
    (line,) = result.stderr.splitlines()
    assert line.startswith("warning: the system description is not fully written (DC1 ") and "more empty" in line
    assert result.stdout.startswith("exported the PDF evidence package to ")
    written = run(tmp_path, "export", "pdf", sample, "sample.pdf", "--json")
    assert written.returncode == 0 and "warning" not in written.stderr
    assert json.loads(written.stdout)["warnings"] == []
    pages = PdfReader(tmp_path / "fresh.pdf").pages
    assert {(page.extract_text() or "").count("Acme Ltd · SOC 2") for page in pages} == {1}
