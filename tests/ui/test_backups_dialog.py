"""The backups dialog lists a project's backups and, confirmed, has the window close, restore and reopen."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.entities import ControlDraft
from workbench.services.backups import list_backups
from workbench.services.controls import add_control, list_controls
from workbench.services.session import open_project


@pytest.fixture
def operations(qtbot):
    from workbench.ui.operations import Operations

    ops = Operations()
    yield ops
    ops.wait(30)


@pytest.fixture
def history(closed_project: Path, clock) -> Path:
    """A project with two open-time backups: the empty project, then one with AC-1; now holding AC-1 and AC-2."""
    for ref in ("AC-1", "AC-2"):
        with open_project(closed_project, clock=clock) as project:
            add_control(project, ControlDraft(ref, f"Control {ref}", criteria=("CC6.1",)))
        clock.advance(minutes=1)
    return closed_project


def _dialog(qtbot, path, operations, **kwargs):
    from workbench.ui.backups_dialog import BackupsDialog

    with qtbot.waitSignal(operations.idle_changed, timeout=20_000):
        dialog = BackupsDialog(path, operations, interactive=False, **kwargs)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not operations.busy, timeout=20_000)
    return dialog


def test_the_dialog_lists_the_backups_newest_first(qtbot, history, operations):
    from workbench.ui.backups_dialog import BackupsModel

    dialog = _dialog(qtbot, history, operations)
    dialog.show()
    model = dialog.proxy
    assert model.rowCount() == 2
    assert [model.index(r, BackupsModel.NUMBER).data() for r in range(2)] == ["1", "2"]
    assert model.index(0, BackupsModel.REASON).data() == "opened"
    assert "audit entries" in model.index(0, BackupsModel.CONTENT).data()
    assert model.index(0, BackupsModel.SIZE).data().endswith("KB")
    assert dialog.selected() is not None and dialog.selected().number == 1
    assert dialog.restore_button.isEnabled()
    assert str(list_backups(history)[0].path.parent) in dialog.folder_label.text()


def test_no_backups_says_so_and_offers_no_restore(qtbot, closed_project, operations):
    dialog = _dialog(qtbot, closed_project, operations)
    dialog.show()
    assert dialog.proxy.rowCount() == 0
    assert not dialog.empty_label.isHidden()
    assert not dialog.restore_button.isEnabled()


def test_restore_requested_then_the_window_closes_restores_and_reopens(qtbot, history, operations, clock):
    from workbench.ui.backups_dialog import restore_and_reopen

    dialog = _dialog(qtbot, history, operations)
    dialog.show()
    dialog.table.selectRow(1)  # the older backup: the empty project
    chosen = dialog.selected()
    assert chosen is not None and chosen.number == 2
    requested: list[Path] = []
    dialog.restore_requested.connect(requested.append)
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        qtbot.mouseClick(dialog.restore_button, _left())
    assert requested == [chosen.path]

    # What the main window does with it, here with a stand-in window holding the project open.
    window: dict[str, object] = {"project": open_project(history, backup_on_open=False), "reopened": None}
    calls: list[str] = []

    def close_project() -> None:
        project = window["project"]
        window["project"] = None
        calls.append("close")
        operations.run(lambda _c: project.close())  # type: ignore[union-attr]

    def open_path(path: Path) -> None:
        calls.append("open")
        window["reopened"] = path

    failures: list[str] = []
    restore_and_reopen(operations, history, requested[0], close_project=close_project, open_path=open_path,
                       failed=lambda exc, _trace: failures.append(str(exc)))
    qtbot.waitUntil(lambda: window["reopened"] is not None or bool(failures), timeout=30_000)
    assert failures == [] and calls == ["close", "open"] and window["reopened"] == history
    with open_project(history, backup_on_open=False, clock=clock) as project:
        assert [c.ref for c in list_controls(project)] == []
    kept = list_backups(history)[0]
    assert kept.reason == "before-restore"
    with open_project(kept.path, backup_on_open=False, clock=clock) as project:
        assert [c.ref for c in list_controls(project)] == ["AC-1", "AC-2"]


def test_a_failed_restore_reports_and_reopens_the_unchanged_project(qtbot, history, operations, damage):
    from workbench.ui.backups_dialog import restore_and_reopen

    backup = list_backups(history)[1].path
    damage(backup)
    reopened: list[Path] = []
    failures: list[str] = []
    restore_and_reopen(operations, history, backup, close_project=lambda: None, open_path=reopened.append,
                       failed=lambda exc, _trace: failures.append(str(exc)))
    qtbot.waitUntil(lambda: bool(failures), timeout=30_000)
    assert str(backup) in failures[0] and "damaged" in failures[0]
    assert reopened == [history]


def test_an_unreadable_backup_is_listed_as_damaged_and_cannot_be_restored(qtbot, history, operations):
    from workbench.ui.backups_dialog import BackupsModel

    list_backups(history)[0].path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    dialog = _dialog(qtbot, history, operations)
    dialog.show()
    assert dialog.proxy.index(0, BackupsModel.CONTENT).data().startswith("damaged:")
    assert dialog.selected() is not None and dialog.selected().number == 1
    assert not dialog.restore_button.isEnabled()
    dialog.table.selectRow(1)
    assert dialog.restore_button.isEnabled()


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
