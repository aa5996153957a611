"""The binder as a Type II auditor opens it: a workbook per sampled control, folders by request ID, and
SHA256SUMS covering them all (checked with sha256sum -c)."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.binder_files import binder_members, unpack_binder
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency
from workbench.domain.sampling import select
from workbench.domain.testing import SampleResult
from workbench.services.controls import add_control
from workbench.services.engagement import add_request
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
from workbench.services.exports.binder import export_zip
from workbench.services.exports.sample_workbook import LEGEND
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds.populations import POPULATIONS
from workbench.services.populations import link_population_evidence
from workbench.services.samples import draw_sample, record_result
from workbench.services.session import OpenProject

DETAILS = (("control", "CHG-1"), ("source", "GitHub"), ("query", "merged PRs to main"),
           ("generated_at", "2026-07-02"), ("generated_by", "Ana"))


@pytest.fixture
def project(new_project: OpenProject, tmp_path: Path) -> OpenProject:
    add_control(new_project, ControlDraft("CHG-1", "Changes are approved", frequency=Frequency.EVENT_DRIVEN))
    add_control(new_project, ControlDraft("REV/1", "Quarterly access review", frequency=Frequency.QUARTERLY))
    source = tmp_path / "changes.csv"
    lines = ["Change ID,Merged at,Title"] + [f"PR-{i:03d},2026-{1 + i % 6:02d}-{1 + i % 28:02d},=cmd|x"
                                             for i in range(40)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_register(new_project, POPULATIONS, source, details=DETAILS)
    query = add_evidence_bytes(new_project, "query.png", b"png bytes", EvidenceMeta("CHG-1", "Query screenshot",
                                                                                    date(2026, 7, 2))).value
    link_population_evidence(new_project, "CHG-1", query.id)
    draw_sample(new_project, "CHG-1", seed="audit-2026")
    ticket = add_evidence_bytes(new_project, "PR approval.pdf", b"%PDF-1.4 approval\n",
                                EvidenceMeta("CHG-1", "Approval", date(2026, 2, 3))).value
    keys = select([f"PR-{i:03d}" for i in range(40)], 25, "audit-2026")
    record_result(new_project, "CHG-1", keys[0], SampleResult.PASS, ticket.id)
    record_result(new_project, "CHG-1", keys[1], SampleResult.EXCEPTION, note="approved after merge")
    draw_sample(new_project, "REV/1", seed="q")
    add_request(new_project, "PBC-7", "Change tickets <sampled>", control_ref="CHG-1", evidence_ids=[ticket.id])
    add_request(new_project, "PBC-8", "Org chart")
    return new_project


def _open(path: Path) -> dict[str, bytes]:
    return binder_members(path)


def test_each_sampled_control_has_a_workbook_with_method_results_hashes_and_legend(
        project: OpenProject, tmp_path: Path) -> None:
    members = _open(export_zip(project, tmp_path / "binder.zip"))
    assert {"samples/CHG-1.xlsx", "samples/REV_1.xlsx"} <= set(members), sorted(members)
    book = openpyxl.load_workbook(io.BytesIO(members["samples/CHG-1.xlsx"]))
    assert book.sheetnames == ["Method", "Population", "Sample", "Evidence", "Tickmark legend"]
    assert all(sheet.freeze_panes == "A2" and sheet.auto_filter.ref for sheet in book.worksheets)
    method = {row[0]: row[1] for row in book["Method"].iter_rows(values_only=True)}
    assert method["Seed"] == "audit-2026" and "SHA-256" in method["Method"] and method["Population rows"] == 40
    sample = [dict(zip(next(book["Sample"].iter_rows(values_only=True)), row, strict=False))
              for row in book["Sample"].iter_rows(min_row=2, values_only=True)]
    assert [row["Key"] for row in sample] == select([f"PR-{i:03d}" for i in range(40)], len(sample), "audit-2026")
    assert [row["Tickmark"] for row in sample[:3]] == ["\u2713", "X", "\u25cb"]
    passed = sample[0]
    assert passed["Evidence SHA-256"] == hashlib.sha256(b"%PDF-1.4 approval\n").hexdigest()
    assert members[passed["In binder"]] == b"%PDF-1.4 approval\n"  # the reference leads to the very file
    used = {row[1]: row for row in book["Evidence"].iter_rows(min_row=2, values_only=True)}
    completeness = used["completeness and accuracy of the population"]
    assert completeness[8] == hashlib.sha256(b"png bytes").hexdigest() and completeness[7] == "No"
    legend = [tuple(row) for row in book["Tickmark legend"].iter_rows(min_row=2, values_only=True)]
    assert legend == list(LEGEND)
    titles = [c for row in book["Population"].iter_rows() for c in row if c.value == "=cmd|x"]
    assert titles and all(c.data_type == "s" for c in titles)
    note = next(v.decode() for n, v in members.items() if n.startswith("CHG-1 ") and n.endswith("/_control.txt"))
    assert "Sample workbook: samples/CHG-1.xlsx" in note


def test_the_binder_with_samples_verifies_with_sha256sum(project: OpenProject, tmp_path: Path) -> None:
    out = export_zip(project, tmp_path / "binder.zip")
    folder = unpack_binder(out, tmp_path / "unzipped")
    listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text("utf-8").splitlines()}
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert listed == files and "samples/CHG-1.xlsx" in listed
    assert "requests/PBC-7 Change tickets _sampled_/PR approval.pdf" in listed
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum is not installed")
    result = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=folder, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_request_has_a_folder_with_its_own_linked_evidence_and_a_note(project: OpenProject,
                                                                         tmp_path: Path) -> None:
    members = _open(export_zip(project, tmp_path / "binder.zip"))
    folder = "requests/PBC-7 Change tickets _sampled_"
    assert members[f"{folder}/PR approval.pdf"] == b"%PDF-1.4 approval\n"
    assert not any(n.startswith(folder) and n.endswith("query.png") for n in members)  # only its own links
    note = members[f"{folder}/_request.txt"].decode()
    assert "Request PBC-7: Change tickets <sampled>" in note
    assert "The control's own evidence is in its folder: CHG-1 Changes are approved/" in note
    assert "audit period: In period (reflects 2026-02-03 (received))" in note
    assert hashlib.sha256(b"%PDF-1.4 approval\n").hexdigest() in note
    empty = members["requests/PBC-8 Org chart/_request.txt"].decode()
    assert "No evidence linked to this request is in this binder." in empty
    readme = members["README.txt"].decode()
    assert "requests/<request ID> <item>/" in readme and "samples/" in readme
