"""Step 4 driven as a user would: add files (dialog and drop), edit, remove, undo, previews, copies, calendar."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QDropEvent, QImage
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from tests.ui.conftest import show_page, wait_until_idle
from workbench.services.evidence import EvidenceEdit, list_evidence, read_evidence
from workbench.services.session import open_project
from workbench.ui.pages.evidence import EvidencePage
from workbench.ui.pages.evidence_calendar_view import COVERED, MISSING, STATE_COLOURS


def _png_bytes(width: int = 40, height: int = 30) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f5fa8"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


@pytest.fixture
def page(qtbot, page_context) -> EvidencePage:
    page = EvidencePage(page_context)
    show_page(qtbot, page)
    return page


def _reopened(context):
    """Close the context's project and open the file again (the caller closes it)."""
    project = context.project
    path = project.path
    context.set_project(None)
    context.operations.wait(30)
    project.close()
    return open_project(path)


def _stored(context, ref: str):
    return [e for e in list_evidence(context.project) if e.control_ref == ref]


def _confirm(qtbot, page) -> None:
    dialog = page.details_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def _select(qtbot, page, ref: str, title: str | None = None) -> None:
    assert page.select_control(ref)
    if title is not None:
        shown = page.evidence_sorted
        row = next(r for r in range(shown.rowCount()) if shown.index(r, 0).data() == title)
        page.evidence.selectRow(row)
    wait_until_idle(qtbot, page.context)


def _reload(qtbot, page, action) -> None:
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        action()
    wait_until_idle(qtbot, page.context)


def test_adding_a_file_stores_its_bytes_and_shows_its_sha256(qtbot, page, tmp_path, monkeypatch):
    source = tmp_path / "access provisioning tickets.csv"
    content = b"ticket,user,approved_by\nIT-101,ana,ben\nIT-102,carl,ben\n"
    source.write_bytes(content)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(source)], ""))
    _select(qtbot, page, "HR-01")
    assert page.evidence_model.rowCount() == 0
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.details_dialog
    dialog.title.setText("Provisioning tickets, Q2")
    dialog.set_collected(date(2026, 7, 2))
    dialog.set_period(date(2026, 4, 1), date(2026, 6, 30))
    dialog.source.setText("Jira export")
    dialog.notes.setPlainText("all approved")
    _reload(qtbot, page, lambda: _confirm(qtbot, page))

    sha = hashlib.sha256(content).hexdigest()
    assert page.evidence_model.rowCount() == 1
    assert page.detail_sha.text() == sha and page.detail_sha.isReadOnly()
    assert page.detail_title.text() == "Provisioning tickets, Q2"
    assert "Added 1 file to HR-01" in page.message.text()
    count_row = page.controls_model.row_of("HR-01")
    assert page.controls_model.index(count_row, 2).data() == "1"

    again = _reopened(page.context)
    try:
        (stored,) = [e for e in list_evidence(again) if e.control_ref == "HR-01"]
        assert b"".join(read_evidence(again, stored.sha256)) == content
        assert (stored.sha256, stored.title, stored.filename) == (sha, "Provisioning tickets, Q2", source.name)
        assert (stored.collected_on, stored.period_start, stored.period_end) == (
            date(2026, 7, 2), date(2026, 4, 1), date(2026, 6, 30))
        assert (stored.source, stored.notes) == ("Jira export", "all approved")
    finally:
        again.close()


def test_dropping_files_adds_them_all_with_the_same_details(qtbot, page, tmp_path):
    files = [tmp_path / "a.log", tmp_path / "b.log"]
    files[0].write_bytes(b"first log\n")
    files[1].write_bytes(b"second log\n")
    _select(qtbot, page, "AC-05")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(QPointF(QPoint(50, 50)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    page.details_dialog.source.setText("AWS CloudTrail")
    page.details_dialog.set_period(date(2026, 5, 1), date(2026, 5, 31))
    _reload(qtbot, page, lambda: _confirm(qtbot, page))
    stored = _stored(page.context, "AC-05")
    assert sorted(e.title for e in stored) == ["a", "b"]
    assert {(e.source, e.period_start, e.period_end) for e in stored} == {
        ("AWS CloudTrail", date(2026, 5, 1), date(2026, 5, 31))}
    assert page.evidence_model.rowCount() == 2


def test_editing_details_is_undoable(qtbot, page):
    title = "Q2 2026 user access review (Okta campaign export)"
    _select(qtbot, page, "AC-04", title)
    (before,) = [e for e in _stored(page.context, "AC-04") if e.title == title]
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.details_dialog
    assert dialog.title.text() == title
    dialog.title.setText("Q2 access review, signed off")
    dialog.source.setText("Okta + sign-off email")
    dialog.set_collected(None)
    _reload(qtbot, page, lambda: _confirm(qtbot, page))
    (after,) = [e for e in _stored(page.context, "AC-04") if e.id == before.id]
    assert (after.title, after.source, after.collected_on) == ("Q2 access review, signed off",
                                                               "Okta + sign-off email", None)
    assert (after.period_start, after.period_end, after.sha256) == (before.period_start, before.period_end,
                                                                    before.sha256)
    assert page.detail_title.text() == "Q2 access review, signed off"
    stack = page.context.undo_stack
    assert stack.undoText() == f"Edit evidence {title}"

    _reload(qtbot, page, page.context.history.undo)
    assert [e for e in _stored(page.context, "AC-04") if e.id == before.id] == [before]
    assert page.detail_title.text() == title
    _reload(qtbot, page, page.context.history.redo)
    assert [e.title for e in _stored(page.context, "AC-04") if e.id == before.id] == ["Q2 access review, signed off"]

    again = _reopened(page.context)
    try:
        (stored,) = [e for e in list_evidence(again) if e.id == before.id]
        assert (stored.title, stored.collected_on) == ("Q2 access review, signed off", None)
    finally:
        again.close()


def test_a_backwards_period_is_refused_in_the_dialog(qtbot, page):
    _select(qtbot, page, "AC-04", "Q2 2026 user access review (Okta campaign export)")
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.details_dialog
    dialog.set_period(date(2026, 6, 30), date(2026, 4, 1))
    _confirm(qtbot, page)
    assert dialog.isVisible() and "ends before it starts" in dialog.problem.text()
    dialog.reject()
    wait_until_idle(qtbot, page.context)
    assert page.context.undo_stack.count() == 0


def test_removing_evidence_and_undoing_reattaches_the_same_bytes(qtbot, page):
    _select(qtbot, page, "BC-01", "AWS Backup job log, September 2026 (extract)")
    (before,) = [e for e in _stored(page.context, "BC-01") if e.filename == "aws_backup_jobs_2026-09.log"]
    total = len(list_evidence(page.context.project))
    _reload(qtbot, page, lambda: qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton))
    assert len(list_evidence(page.context.project)) == total - 1
    assert before.id not in {e.id for e in _stored(page.context, "BC-01")}
    assert page.evidence_model.rowCount() == 1
    stack = page.context.undo_stack
    assert stack.undoText() == f"Remove evidence {before.title}"

    _reload(qtbot, page, page.context.history.undo)
    restored = next(e for e in _stored(page.context, "BC-01") if e.filename == before.filename)
    assert restored == before
    assert page.evidence_model.rowCount() == 2
    _reload(qtbot, page, page.context.history.redo)
    assert before.id not in {e.id for e in _stored(page.context, "BC-01")}
    _reload(qtbot, page, page.context.history.undo)

    again = _reopened(page.context)
    try:
        stored = next(e for e in list_evidence(again) if e.id == before.id)
        assert stored == before
        assert hashlib.sha256(b"".join(read_evidence(again, stored.sha256))).hexdigest() == before.sha256
    finally:
        again.close()


def test_save_a_copy_writes_the_original_bytes_and_never_overwrites(qtbot, page, tmp_path, monkeypatch):
    title = "Okta screenshot: MFA enrolment enforced for all users"
    _select(qtbot, page, "AC-01", title)
    item = page.selected_evidence()
    assert item is not None and item.title == title
    original = b"".join(read_evidence(page.context.project, item.sha256))
    target = tmp_path / "copy.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, page.context)
    assert target.read_bytes() == original
    assert hashlib.sha256(target.read_bytes()).hexdigest() == item.sha256
    assert "SHA-256 checked" in page.message.text()

    with qtbot.waitSignal(page.context.failed, timeout=20_000) as failure:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "already exists" in failure.args[0]
    assert target.read_bytes() == original


def test_open_hands_a_checked_temporary_copy_to_the_desktop(qtbot, page, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    _select(qtbot, page, "VN-02")
    item = page.selected_evidence()
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, page.context)
    (url,) = opened
    path = Path(url.toLocalFile())
    assert path.name == item.filename
    assert hashlib.sha256(path.read_bytes()).hexdigest() == item.sha256


def test_previews_show_text_for_a_txt_and_an_image_for_a_png(qtbot, page):
    _select(qtbot, page, "VN-02")
    assert page.selected_evidence().filename == "subservice_soc_review_2026.txt"
    assert page.preview.kind == "text"
    stored = b"".join(read_evidence(page.context.project, page.selected_evidence().sha256)).decode()
    assert page.preview.text.toPlainText() == stored
    assert page.preview.currentWidget() is page.preview.text

    _select(qtbot, page, "OP-06")
    assert page.selected_evidence().filename == "kandji_device_compliance.png"
    assert page.preview.kind == "image"
    pixmap = page.preview.image.pixmap()
    assert not pixmap.isNull() and pixmap.width() > 0
    assert page.preview.currentWidget() is page.preview.image

    _select(qtbot, page, "GV-01")
    assert page.preview.kind == "pdf"
    assert page.preview.pdf_form.rowCount() >= 2
    # The first page itself is rendered: a white page with dark text on it, not a blank box.
    rendered = page.preview._pdf_image
    assert rendered is not None and rendered.height() > rendered.width() > 100
    colours = {rendered.pixelColor(x, y).lightness() for x in range(0, rendered.width(), 7)
               for y in range(0, rendered.height() // 3, 7)}
    assert max(colours) > 240 and min(colours) < 120


def test_a_png_added_through_the_page_previews_as_an_image(qtbot, page, tmp_path, monkeypatch):
    source = tmp_path / "console.png"
    source.write_bytes(_png_bytes())
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(source)], ""))
    _select(qtbot, page, "DP-01")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    _reload(qtbot, page, lambda: _confirm(qtbot, page))
    assert page.selected_evidence().filename == "console.png"
    assert page.preview.kind == "image"
    assert not page.preview.image.pixmap().isNull()


def test_filter_lists_only_controls_without_evidence(qtbot, page):
    page.without_evidence.setChecked(True)
    shown = {page.controls_filter.index(r, 0).data() for r in range(page.controls_filter.rowCount())}
    assert "HR-01" in shown and "AC-01" not in shown
    overview = page.overview
    assert len(shown) == sum(1 for c in overview.controls if not overview.counts.get(c.ref))
    page.search.setText("multi-az")
    shown = {page.controls_filter.index(r, 0).data() for r in range(page.controls_filter.rowCount())}
    assert shown == {"BC-02"}
    page.without_evidence.setChecked(False)
    page.search.setText("backup")
    shown = {page.controls_filter.index(r, 0).data() for r in range(page.controls_filter.rowCount())}
    assert "BC-01" in shown and "AC-01" not in shown


def test_calendar_shows_the_gaps_of_the_sample_and_closes_one_when_evidence_arrives(qtbot, page, tmp_path,
                                                                                    monkeypatch):
    page.tabs.setCurrentIndex(page.calendar_index)
    view = page.calendar
    gaps = view.gap_texts()
    assert any(g.startswith("AC-04  ·  2026-Q3") for g in gaps)
    assert not any(g.startswith("AC-04  ·  2026-Q2") for g in gaps)
    assert any(g.startswith("OP-03  ·  2026-04") for g in gaps)  # monthly, no evidence at all
    assert not any(g.startswith("AC-02") for g in gaps)  # event-driven: its population is imported
    model = view.model
    row = next(r for r in range(model.rowCount()) if model.control(r).ref == "AC-04")
    assert model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) == STATE_COLOURS[COVERED]
    assert view.grid.columnSpan(row, 0) == 3  # Q2 spans April to June
    assert model.index(row, 3).data(Qt.ItemDataRole.BackgroundRole) == STATE_COLOURS[MISSING]
    assert model.columnCount() == 6
    assert "Audit period 1 Apr 2026 – 30 Sept 2026" in view.summary.text()  # British English writes "Sept"

    # Double-clicking a gap leads to the control, where evidence for it can be added.
    row_of_gap = next(i for i, text in enumerate(view.gap_texts()) if text.startswith("AC-04  ·  2026-Q3"))
    view.gaps.activated.emit(view.gaps_model.index(row_of_gap))
    assert page.tabs.currentIndex() == 0 and page._selected_ref == "AC-04"
    source = tmp_path / "access_review_2026Q3.csv"
    source.write_bytes(b"user,kept\nana,yes\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(source)], ""))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    page.details_dialog.set_period(date(2026, 7, 1), date(2026, 9, 30))
    _reload(qtbot, page, lambda: _confirm(qtbot, page))
    assert not any(g.startswith("AC-04") for g in view.gap_texts())
    assert model.index(row, 3).data(Qt.ItemDataRole.BackgroundRole) == STATE_COLOURS[COVERED]
    assert len(view.gap_texts()) == len(gaps) - 1


def test_cancelling_the_ingest_adds_nothing(qtbot, page, tmp_path, monkeypatch):
    from workbench.ui.operations import OperationContext

    source = tmp_path / "big.log"
    source.write_bytes(b"line\n" * 1000)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(source)], ""))
    monkeypatch.setattr(OperationContext, "progress", lambda self, done, total: False)  # the user pressed Cancel
    _select(qtbot, page, "AC-06")
    before = len(list_evidence(page.context.project))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    _confirm(qtbot, page)
    wait_until_idle(qtbot, page.context)  # a cancelled add changed nothing: no page needs to reload
    assert "cancelled; nothing was added" in page.message.text()
    assert len(list_evidence(page.context.project)) == before
    assert page.evidence_model.rowCount() == 0


def test_the_list_marks_each_item_against_the_audit_period(qtbot, page):
    from datetime import timedelta

    from workbench.domain.period import project_period
    from workbench.services.project import get_settings
    from workbench.ui.pages.evidence_model import IN_PERIOD, OUT_OF_PERIOD, UNDATED

    period = project_period(get_settings(page.context.project))
    _select(qtbot, page, "AC-04")
    model = page.evidence_model
    marks = [model.index(r, model.IN_PERIOD).data() for r in range(model.rowCount())]
    assert marks and set(marks) <= {IN_PERIOD, OUT_OF_PERIOD, UNDATED}
    item = model.evidence(0)
    before = period.start - timedelta(days=120)
    edit = EvidenceEdit(item.title, before, before, before + timedelta(days=30), item.source, item.notes)
    _reload(qtbot, page, lambda: page._apply_edit(item, EvidenceEdit.of(item), edit))
    row = next(r for r in range(model.rowCount()) if model.evidence(r).id == item.id)
    assert model.index(row, model.IN_PERIOD).data() == OUT_OF_PERIOD
    assert model.index(row, model.IN_PERIOD).data(Qt.ItemDataRole.FontRole).bold()
    page.select_evidence(item.id)
    assert OUT_OF_PERIOD in page.detail_period.text()


def test_an_item_reaching_across_an_end_of_the_period_is_marked_partly_outside(qtbot, page):
    from datetime import timedelta

    from workbench.domain.period import project_period
    from workbench.services.project import get_settings
    from workbench.ui.pages.evidence_model import PARTLY_OUTSIDE

    period = project_period(get_settings(page.context.project))
    _select(qtbot, page, "AC-04")
    model = page.evidence_model
    item = model.evidence(0)
    edit = EvidenceEdit(item.title, item.collected_on, period.start - timedelta(days=10),
                        period.start + timedelta(days=20), item.source, item.notes)
    _reload(qtbot, page, lambda: page._apply_edit(item, EvidenceEdit.of(item), edit))
    row = next(r for r in range(model.rowCount()) if model.evidence(r).id == item.id)
    assert model.index(row, model.IN_PERIOD).data() == PARTLY_OUTSIDE
    assert model.index(row, model.IN_PERIOD).data(Qt.ItemDataRole.FontRole).bold()
    page.select_evidence(item.id)
    assert PARTLY_OUTSIDE in page.detail_period.text()
