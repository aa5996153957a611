"""The management documents from the window: the export dialog offers each as DOCX and PDF, names the file after
the document, and the window writes it in the background."""

from __future__ import annotations

from pathlib import Path

import docx

from tests.ui.conftest import SAMPLE, open_in
from workbench.ui.export_dialog import EXPORT_KINDS, ExportDialog


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
    _choose(dialog, "Bridge letter, dated today (PDF)")
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
