"""An export from the window says what to know before sending it: the package of a project whose system
description is not written yet is written, and the window says which sections are empty."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import open_in
from workbench.services.project import NewProject, create_project
from workbench.ui.export_dialog import EXPORT_KINDS, ExportDialog


def test_the_window_warns_while_the_description_is_unwritten(qtbot, window, tmp_path):
    project = tmp_path / "fresh.soc2"
    create_project(project, NewProject("Acme Ltd")).close()
    open_in(qtbot, window, project)
    dialog = ExportDialog(tmp_path, "fresh")
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(next(i for i, kind in enumerate(EXPORT_KINDS) if kind.key == "pdf"))
    with qtbot.waitSignal(window.exported, timeout=60_000) as written:
        window.export(dialog.request())
    assert Path(written.args[0]).read_bytes().startswith(b"%PDF")
    message = window.statusBar().currentMessage()
    assert message.startswith("Exported ") and "Warning: the system description is not fully written (DC1 " in message
