"""The management documents from the window: the export dialog offers each as DOCX and PDF, names the file after
the document, and the window writes it in the background."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import SAMPLE, open_in
from workbench.services.exports.run import ExportOutcome
from workbench.ui.export_dialog import EXPORT_KINDS, ExportDialog
from workbench.ui.export_outcome import outcome_box


def _choose(dialog: ExportDialog, label: str) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findText(label))
    assert dialog.kind.currentText() == label


def test_each_document_is_offered_as_docx_and_pdf_and_named_after_itself(qtbot, tmp_path):
    offered = {(kind.key, kind.suffix) for kind in EXPORT_KINDS}
    for key in ("description", "assertion", "bridge-letter"):
        assert {(key, ".docx"), (key, ".pdf")} <= offered
    dialog = ExportDialog(tmp_path, "acme")
    qtbot.addWidget(dialog)
    _choose(dialog, "Management's assertion (PDF)")
    assert Path(dialog.destination.text()) == tmp_path / "acme management assertion.pdf"
    assert not dialog.controls.isEnabled() and not dialog.readiness.isEnabled()
    _choose(dialog, "Management's assertion (DOCX, to edit in Word)")
    assert Path(dialog.destination.text()) == tmp_path / "acme management assertion.docx"
    _choose(dialog, "Bridge letter (PDF)")
    assert Path(dialog.destination.text()).name == "acme bridge letter.pdf"
    _choose(dialog, "Evidence package (PDF)")
    assert Path(dialog.destination.text()).name == "acme.pdf" and dialog.controls.isEnabled()
    request = dialog.request()
    assert request.kind.key == "pdf"


def test_the_window_writes_the_description_as_docx(qtbot, window, tmp_path):
    open_in(qtbot, window, SAMPLE)
    dialog = ExportDialog(tmp_path, "brightpath")
    qtbot.addWidget(dialog)
    _choose(dialog, "System description, DC1-DC9 (DOCX, to edit in Word)")
    with qtbot.waitSignal(window.exported, timeout=60_000) as written:
        window.export(dialog.request())
    path = Path(written.args[0])
    assert path == tmp_path / "brightpath system description.docx"
    headings = [p.text.split()[0] for p in docx.Document(str(path)).paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"DC{n}" for n in range(1, 10)]


def test_the_date_field_shows_for_the_documents_alone_and_dates_them(qtbot, tmp_path):
    dialog = ExportDialog(tmp_path, "acme")
    qtbot.addWidget(dialog)
    dialog.show()
    _choose(dialog, "Evidence package (PDF)")
    assert not dialog.dated_on.isVisible() and dialog.request().on is None
    _choose(dialog, "Bridge letter (DOCX, to edit in Word)")
    assert dialog.dated_on.isVisible() and dialog.dated_on.date() == QDate.currentDate()
    assert dialog.request().on == date.today()
    dialog.dated_on.setDate(QDate(2027, 3, 31))
    assert dialog.request().on == date(2027, 3, 31)
    _choose(dialog, "Management's assertion (PDF)")
    assert dialog.dated_on.isVisible() and dialog.request().on == date(2027, 3, 31)
    _choose(dialog, "Workbook for the CPA firm (xlsx)")
    assert not dialog.dated_on.isVisible() and dialog.request().on is None


def test_the_window_writes_the_bridge_letter_on_the_chosen_date_and_shows_its_warning(qtbot, window, tmp_path,
                                                                                      monkeypatch):
    open_in(qtbot, window, SAMPLE)
    monkeypatch.setattr(window.context, "interactive", True)  # the box the user sees, opened without blocking
    dialog = ExportDialog(tmp_path, "brightpath")
    qtbot.addWidget(dialog)
    _choose(dialog, "Bridge letter (DOCX, to edit in Word)")
    dialog.dated_on.setDate(QDate(2027, 3, 31))
    with qtbot.waitSignal(window.exported, timeout=60_000) as written:
        window.export(dialog.request())
    text = "\n".join(p.text for p in docx.Document(written.args[0]).paragraphs)
    assert "31 March 2027" in text and date.today().strftime("%-d %B %Y") not in text
    assert "Warning: the bridge period runs 151 days from 2026-10-31" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)))
    box = window.findChildren(QMessageBox)[0]
    assert box.isVisible() and box.icon() == QMessageBox.Icon.Warning
    assert box.text() == f"{written.args[0]} was written."
    assert box.informativeText().splitlines()[:2] == [
        "Before you send it:",
        "  • the bridge period runs 151 days from 2026-10-31; firms commonly accept a bridge letter covering up to "
        "about three months"]
    box.accept()


def test_one_box_says_both_the_warnings_and_the_text_fitted(qtbot, tmp_path):
    outcome = ExportOutcome(tmp_path / "acme.xlsx", ["row 4, Title: cut to 32,767 characters"],
                            ["the description has unwritten sections: DC5, DC8"])
    box = outcome_box(outcome)
    qtbot.addWidget(box)
    assert box.text() == f"{tmp_path / 'acme.xlsx'} was written."
    assert box.informativeText() == ("Before you send it:\n  • the description has unwritten sections: DC5, DC8\n\n"
                                     "Some text had to be fitted to the format (1 place): Show Details… lists them.")
    assert box.detailedText() == "Text fitted to the format:\nrow 4, Title: cut to 32,767 characters"
    assert outcome_box(ExportOutcome(tmp_path / "acme.zip")) is None
