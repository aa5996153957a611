"""The main window driven as a user would: open, refuse, close, save as, navigate."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import SAMPLE, open_in
from workbench.services.project import NewProject, create_project
from workbench.store.projectfile import side_files
from workbench.ui.main_window import PAGES


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    folder = tmp_path / "projects"
    folder.mkdir()
    path = folder / "acme.soc2"
    create_project(path, NewProject("Acme <b>Bold</b>, Inc.", "Acme Cloud")).close()
    return path


def test_sample_opens_as_a_working_copy_and_fills_the_dashboard(qtbot, window):
    before = _sha(SAMPLE)
    open_in(qtbot, window, SAMPLE)

    board = window.dashboard
    assert window.pages.currentWidget() is board
    assert board.organization.text() == "Brightpath Analytics, Inc."
    assert "Type II" in board.subtitle.text() and "Confidentiality" in board.subtitle.text()
    assert board.ring.value() == pytest.approx(window.status.readiness)
    assert 0.5 < board.ring.value() < 1.0
    counts = window.status.criteria
    assert board.criteria_legend_text("met") == f"Met: {counts.met} of {counts.in_scope}"
    assert board.step_cards[0].bar.value() == round(window.status.steps[0].progress * 100)
    assert board.next_actions.count() == len(window.status.next_actions) > 0
    assert "Brightpath Analytics, Inc." in window.windowTitle()
    # The shipped sample is never the file being worked on.
    assert window.project.path != SAMPLE
    assert window.project.path.name == SAMPLE.name
    window.close()
    assert _sha(SAMPLE) == before


def test_navigation_lists_every_page_enabled(qtbot, window, project_file):
    open_in(qtbot, window, project_file)
    names = [window.navigation.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.navigation.count())]
    assert names == ["dashboard", "scope", "assessment", "controls", "evidence", "audit", "report", "registers",
                     "policies", "findings", "timeline"]
    for index, page in enumerate(PAGES):
        assert window.navigation.item(index).flags() & Qt.ItemFlag.ItemIsEnabled
        assert window.page_actions[page.name].isEnabled()
    assert window.navigation.currentRow() == 0


def test_user_text_is_shown_literally_not_as_markup(qtbot, window, project_file):
    open_in(qtbot, window, project_file)
    label = window.dashboard.organization
    assert label.text() == "Acme <b>Bold</b>, Inc."
    assert label.textFormat() == Qt.TextFormat.PlainText


def test_a_file_that_is_not_a_project_is_refused_with_its_name(qtbot, window, tmp_path):
    text_file = tmp_path / "notes.soc2"
    text_file.write_text("just some notes\n")
    with qtbot.waitSignal(window.operation_failed, timeout=20_000) as failure:
        window.open_path(text_file)
    assert str(text_file) in failure.args[0]
    assert "not a SOC 2 Workbench project" in failure.args[0]
    assert window.project is None
    assert window.pages.currentWidget() is window.welcome
    assert text_file.read_text() == "just some notes\n"


def test_a_second_window_is_told_the_project_is_already_open(qtbot, window, settings, project_file):
    from workbench.ui.main_window import MainWindow

    open_in(qtbot, window, project_file)
    other = MainWindow(settings, interactive=False)
    qtbot.addWidget(other)
    with qtbot.waitSignal(other.operation_failed, timeout=20_000) as failure:
        other.open_path(project_file)
    assert "already open" in failure.args[0]
    assert other.project is None
    other.close()


def test_closing_leaves_one_file_and_the_welcome_page(qtbot, window, project_file):
    open_in(qtbot, window, project_file)
    with qtbot.waitSignal(window.project_closed, timeout=20_000):
        window.close_project()
    assert window.pages.currentWidget() is window.welcome
    assert not window.save_as_action.isEnabled()
    assert side_files(project_file) == []
    assert sorted(p.name for p in project_file.parent.iterdir()) == ["acme.soc2"]
    # The project now appears among the recent files on the welcome page.
    assert window.welcome.recent.item(0).data(Qt.ItemDataRole.UserRole) == str(project_file)


def test_save_as_copies_the_project_and_continues_in_the_copy(qtbot, window, project_file, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    open_in(qtbot, window, project_file)
    destination = project_file.parent / "acme-copy.soc2"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(destination), ""))
    with qtbot.waitSignal(window.project_loaded, timeout=20_000):
        window.session.save_as()
    assert window.project.path == destination
    assert window.dashboard.organization.text() == "Acme <b>Bold</b>, Inc."
    window.close()
    assert side_files(destination) == [] and side_files(project_file) == []


def test_step_cards_open_their_page(qtbot, window, project_file):
    open_in(qtbot, window, project_file)
    for page in PAGES:
        if page.step is None:
            continue
        window.show_page("dashboard")
        card = window.dashboard.step_cards[page.step - 1]
        assert card.cursor().shape() == Qt.CursorShape.PointingHandCursor
        card.activated.emit(page.step)
        assert window.pages.currentWidget() is window.step_pages[page.name]


def test_dashboard_shows_readiness_by_category_and_the_agenda(qtbot, window):
    open_in(qtbot, window, SAMPLE)
    board, status = window.dashboard, window.status
    shown = [(label.text(), bar.value()) for label, bar in board.category_rows if not label.isHidden()]
    assert [text.split(" (")[0] for text, _ in shown] == ["Security", "Availability", "Confidentiality"]
    assert shown[0][1] == round(status.categories[0].readiness * 100)
    assert board.agenda.count() == len(status.agenda) > 0
    first = status.agenda[0]
    assert first.text in board.agenda.item(0).text()
    assert board.agenda.item(0).data(Qt.ItemDataRole.UserRole) == first.step
