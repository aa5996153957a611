"""Step 4 services beyond adding: edit, remove and restore, checked copies, previews, and the calendar."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from workbench.domain.entities import ControlDraft, Evidence
from workbench.domain.enums import Frequency, ReportType
from workbench.domain.errors import NotFoundError, ValidationError, WorkbenchError
from workbench.services import evidence as ev
from workbench.services.controls import add_control, list_controls
from workbench.services.engagement import add_request, list_requests
from workbench.services.evidence import Cancelled, EvidenceEdit, EvidenceMeta
from workbench.services.period import past_missing, project_calendar
from workbench.services.project import NewProject
from workbench.services.session import OpenProject

PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005"
    "0001ffa65d6b4e0000000049454e44ae426082"
)


@pytest.fixture
def project(new_project: OpenProject) -> OpenProject:
    add_control(new_project, ControlDraft("AC-1", "Quarterly access review", frequency=Frequency.QUARTERLY,
                                          criteria=("CC6.2",)))
    add_control(new_project, ControlDraft("BK-1", "Nightly backups", frequency=Frequency.DAILY,
                                          criteria=("CC7.4",)))
    return new_project


def _add(project: OpenProject, name: str, data: bytes, ref: str = "AC-1", **meta: Any) -> Evidence:
    return ev.add_evidence_bytes(project, name, data, EvidenceMeta(ref, **meta)).value


# -- edit -----------------------------------------------------------------------------------------------------


def test_update_changes_the_details_and_keeps_the_bytes(project: OpenProject, reopen: Any) -> None:
    item = _add(project, "review.csv", b"a,b\n1,2\n", title="Review")
    edit = EvidenceEdit("  Q1 review ", date(2026, 4, 2), date(2026, 1, 1), date(2026, 3, 31), " Okta ", "ok")
    updated = ev.update_evidence(project, item.id, edit).value
    assert (updated.title, updated.source, updated.notes) == ("Q1 review", "Okta", "ok")
    project.close()
    with reopen(project.path) as again:
        stored = ev.get_evidence(again, item.id)
        assert EvidenceEdit.of(stored) == EvidenceEdit("Q1 review", date(2026, 4, 2), date(2026, 1, 1),
                                                       date(2026, 3, 31), "Okta", "ok")
        assert (stored.sha256, stored.filename) == (item.sha256, "review.csv")


def test_update_refuses_an_empty_title_a_backwards_period_and_an_unknown_record(project: OpenProject) -> None:
    item = _add(project, "review.csv", b"x\n", title="Review")
    with pytest.raises(ValidationError, match="title cannot be empty"):
        ev.update_evidence(project, item.id, EvidenceEdit("  "))
    with pytest.raises(ValidationError, match="ends before it starts"):
        ev.update_evidence(project, item.id, EvidenceEdit("R", period_start=date(2026, 5, 1),
                                                          period_end=date(2026, 4, 1)))
    with pytest.raises(NotFoundError):
        ev.update_evidence(project, 9999, EvidenceEdit("R"))
    assert ev.get_evidence(project, item.id).title == "Review"


# -- remove and restore ---------------------------------------------------------------------------------------


def test_remove_keeps_the_bytes_and_restore_brings_back_the_same_record_and_links(project: OpenProject,
                                                                                  reopen: Any) -> None:
    item = _add(project, "review.csv", b"user,ok\n", title="Review", collected_on=date(2026, 4, 2),
                source="Okta", notes="n")
    other = _add(project, "other.txt", b"other\n")
    request_id = add_request(project, "R-1", "Access reviews", evidence_ids=[item.id, other.id]).value
    removed = ev.remove_evidence(project, item.id).value
    assert removed.evidence == item and removed.request_ids == (request_id,)
    assert [e.id for e in ev.list_evidence(project)] == [other.id]
    assert next(r for r in list_requests(project) if r.id == request_id).evidence_ids == (other.id,)
    # The bytes stay in the project.
    assert b"".join(ev.read_evidence(project, item.sha256)) == b"user,ok\n"
    restored = ev.restore_evidence(project, removed).value
    assert restored == item
    project.close()
    with reopen(project.path) as again:
        assert ev.get_evidence(again, item.id) == item
        assert next(r for r in list_requests(again) if r.id == request_id).evidence_ids == tuple(
            sorted((item.id, other.id)))


def test_restore_uses_a_new_id_when_the_old_one_was_taken_meanwhile(project: OpenProject) -> None:
    item = _add(project, "last.txt", b"last\n")
    removed = ev.remove_evidence(project, item.id).value
    newcomer = _add(project, "new.txt", b"new\n")
    restored = ev.restore_evidence(project, removed).value
    if newcomer.id == item.id:
        assert restored.id != item.id
    assert (restored.title, restored.sha256, restored.added_at) == (item.title, item.sha256, item.added_at)
    assert {e.id for e in ev.list_evidence(project)} == {newcomer.id, restored.id}


def test_remove_of_an_unknown_record_is_refused(project: OpenProject) -> None:
    with pytest.raises(NotFoundError, match="evidence 4242"):
        ev.remove_evidence(project, 4242)


# -- copies ---------------------------------------------------------------------------------------------------


def test_export_writes_the_same_bytes_and_refuses_to_overwrite(project: OpenProject, tmp_path: Path) -> None:
    data = bytes(range(256)) * 5000  # more than one chunk
    item = _add(project, "big.bin", data)
    target = tmp_path / "copy.bin"
    seen: list[tuple[int, int]] = []
    assert ev.export_evidence(project, item.id, target, lambda d, t: seen.append((d, t)) or True) == target
    assert target.read_bytes() == data
    assert seen[-1] == (len(data), len(data))
    with pytest.raises(WorkbenchError, match="already exists"):
        ev.export_evidence(project, item.id, target)
    assert target.read_bytes() == data


def test_cancelling_an_export_leaves_no_file(project: OpenProject, tmp_path: Path) -> None:
    item = _add(project, "big.bin", b"z" * (3 << 20))
    target = tmp_path / "copy.bin"
    with pytest.raises(Cancelled):
        ev.export_evidence(project, item.id, target, lambda _d, _t: False)
    assert not target.exists()


def test_export_refuses_bytes_that_no_longer_match_their_hash(project: OpenProject, tmp_path: Path, reopen: Any,
                                                              plain_sql: Callable[..., Any]) -> None:
    item = _add(project, "policy.txt", b"the original policy\n")
    project.close()
    plain_sql(project.path, "UPDATE evidence_chunks SET data = ? WHERE blob_sha256 = ?", (b"tampered\n", item.sha256))
    target = tmp_path / "policy.txt"
    with reopen(project.path) as again, pytest.raises(WorkbenchError, match="no longer match their SHA-256"):
        ev.export_evidence(again, item.id, target)
    assert not target.exists()


def test_export_into_a_missing_folder_says_so(project: OpenProject, tmp_path: Path) -> None:
    item = _add(project, "a.txt", b"a\n")
    with pytest.raises(WorkbenchError, match="cannot be written"):
        ev.export_evidence(project, item.id, tmp_path / "no" / "such" / "a.txt")


def test_temporary_copy_uses_a_safe_file_name(project: OpenProject) -> None:
    item = _add(project, "../../etc/evil.txt", b"payload\n")
    path = ev.export_to_temporary(project, item.id)
    try:
        assert path.name == "evil.txt" and path.read_bytes() == b"payload\n"
        assert path.parent.name.startswith("soc2-evidence-")
    finally:
        path.unlink()
        path.parent.rmdir()


# -- previews -------------------------------------------------------------------------------------------------


def test_text_preview_shows_the_first_lines_only(project: OpenProject) -> None:
    lines = [f"line {i}" for i in range(500)]
    item = _add(project, "app.log", ("\n".join(lines) + "\n").encode())
    preview = ev.preview_evidence(project, item.id)
    assert preview.kind == "text" and preview.truncated
    assert preview.text.splitlines() == lines[:ev.PREVIEW_LINES]
    short = ev.preview_evidence(project, _add(project, "s.csv", b"a,b\n1,2\n").id)
    assert (short.kind, short.text, short.truncated) == ("text", "a,b\n1,2\n", False)


def test_text_preview_reads_utf16_and_replaces_bad_bytes(project: OpenProject) -> None:
    utf16 = _add(project, "export.txt", "naïve,ü\n".encode("utf-16"))
    assert ev.preview_evidence(project, utf16.id).text == "naïve,ü\n"
    cut = _add(project, "cut.txt", b"ok line\n\xe9")  # a stray byte at the end still reads as text
    assert ev.preview_evidence(project, cut.id).text == "ok line\n\ufffd"


def test_image_preview_returns_the_bytes_and_pdf_preview_the_summary(project: OpenProject) -> None:
    from pypdf import PdfWriter

    image = ev.preview_evidence(project, _add(project, "shot.png", PNG_1x1).id)
    assert (image.kind, image.data) == ("image", PNG_1x1)
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Title": "Access policy", "/Author": "Acme"})
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf = ev.preview_evidence(project, _add(project, "policy.pdf", buffer.getvalue()).id)
    assert pdf.kind == "pdf" and pdf.pdf is not None
    assert (pdf.pdf.pages, pdf.pdf.title, pdf.pdf.author) == (2, "Access policy", "Acme")


def test_a_damaged_pdf_and_an_unknown_binary_get_a_sentence(project: OpenProject) -> None:
    broken = ev.preview_evidence(project, _add(project, "broken.pdf", b"%PDF-1.7\n garbage \x00\x01").id)
    assert broken.kind == "none" and "PDF" in broken.text
    binary = ev.preview_evidence(project, _add(project, "blob.bin", b"\x00\x01\x02\x03").id)
    assert binary.kind == "none" and "application/octet-stream" in binary.text


# -- the page's overview and the calendar ---------------------------------------------------------------------


def test_overview_counts_evidence_and_the_period_lays_out_its_windows(project: OpenProject) -> None:
    _add(project, "q1.csv", b"q1\n", period_start=date(2026, 1, 1), period_end=date(2026, 3, 31))
    _add(project, "jan.log", b"jan\n", ref="BK-1", collected_on=date(2026, 1, 31))
    assert ev.evidence_overview(project).counts == {"AC-1": 1, "BK-1": 1}
    period, controls, _populations = project_calendar(project, today=date(2026, 12, 1))
    assert (period.start, period.end) == (date(2026, 1, 1), date(2026, 6, 30))
    windows = {item.control.ref: item.windows for item in controls}
    assert [(w.label, w.status.value) for w in windows["AC-1"]] == [("2026-Q1", "covered"), ("2026-Q2", "missing")]
    daily = windows["BK-1"]
    assert len(daily) == 181 and [w.label for w in daily if w.status.value == "covered"] == ["2026-01-31"]


def test_type1_projects_lay_out_no_windows_of_a_period(make_project: Callable[..., OpenProject],
                                                      project_location: Any) -> None:
    spec = NewProject("Acme", "Cloud", ReportType.TYPE1, period_start=date(2026, 6, 30), period_end=date(2026, 6, 30))
    project = make_project(project_location("type1.soc2"), spec)
    add_control(project, ControlDraft("AC-1", "Quarterly access review", frequency=Frequency.QUARTERLY))
    assert past_missing(ev.evidence_overview(project).settings, list_controls(project), {}, set(),
                        date(2027, 1, 1)) == []
