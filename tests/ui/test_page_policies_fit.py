"""The Policies page as a new user first sees it: with no policies it says what to do, and with the whole template
set added every column of the list fits the 1100x620 window (the title yields, its tooltip shows it whole)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import wait_until_idle
from tests.ui.test_page_policies import context  # noqa: F401  (the fixture: a new project without policies)
from workbench.services.policies import add_policies, all_template_keys
from workbench.ui.pages.policies import PoliciesPage


def _shown(qtbot, page, size: tuple[int, int]) -> None:
    qtbot.addWidget(page)
    page.resize(*size)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.show()


def test_an_empty_list_says_how_to_start(qtbot, context):  # noqa: F811
    page = PoliciesPage(context)
    _shown(qtbot, page, (850, 620))
    text = page.summary.text()
    assert "No policies yet" in text and "Add from templates" in text and "Import a policy file" in text


def test_every_column_fits_at_1100x620_with_the_whole_set(qtbot, context):  # noqa: F811
    add_policies(context.project, all_template_keys())
    page = PoliciesPage(context)
    _shown(qtbot, page, (850, 620))  # the page beside the 250-pixel navigation of an 1100-pixel window
    wait_until_idle(qtbot, context)
    header, view = page.view.horizontalHeader(), page.view
    qtbot.waitUntil(lambda: header.length() <= view.viewport().width(), timeout=5_000)
    columns = range(page.model.columnCount())
    assert all(header.sectionViewportPosition(c) + header.sectionSize(c) <= view.viewport().width() for c in columns)
    assert header.sectionSize(page.model.column_of("Acknowledged")) >= header.sectionSizeHint(
        page.model.column_of("Acknowledged"))
    proxy = view.model()
    titles = [proxy.index(row, 1).data(Qt.ItemDataRole.ToolTipRole) or proxy.index(row, 1).data()
              for row in range(proxy.rowCount())]
    assert any(t.startswith("Data Classification and Handling Policy") for t in titles)


def test_publish_warns_of_the_placeholders_a_template_draft_still_holds(qtbot, context):  # noqa: F811
    add_policies(context.project, ["access-control"])
    page = PoliciesPage(context)
    _shown(qtbot, page, (1030, 800))
    page._select("access-control")
    qtbot.mouseClick(page.text.publish_button, Qt.MouseButton.LeftButton)
    note = page.dialog.note_label.text()
    assert "still holds 9 placeholders" in note and "{{code_host}}" in note and "in this version for good" in note
    page.dialog.reject()
