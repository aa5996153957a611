"""References in natural order (A.5.2 before A.5.10) everywhere a user meets them: the controls page,
`controls --json`, the PDF package, the xlsx workbook and the zip binder."""

from __future__ import annotations

import json
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtGui import QUndoStack

from tests.binder_files import binder_members, binder_names
from tests.cli.test_cli_process import run
from tests.ui.conftest import show_page
from workbench.domain.entities import ControlDraft
from workbench.services.controls import add_control
from workbench.services.engagement import add_request
from workbench.services.evidence import EvidenceMeta, add_evidence_bytes
from workbench.services.session import open_project
from workbench.ui.context import PageContext
from workbench.ui.operations import Operations
from workbench.ui.pages.controls import ControlsPage
from workbench.ui.pages.controls_model import CONTROL_ROLE, REF

ADDED = ("A.5.2", "A.5.10", "AC-10", "A.5.1", "ac-9")  # the order they were added in
NATURAL = ["A.5.1", "A.5.2", "A.5.10", "ac-9", "AC-10"]


def _project(make_project, tmp_path):
    project = make_project(tmp_path / "natural.soc2")
    for ref in ADDED:
        add_control(project, ControlDraft(ref, f"Control {ref}"))
        add_evidence_bytes(project, f"{ref}.txt", ref.encode(), EvidenceMeta(ref, collected_on=date(2026, 1, 5)))
        add_request(project, f"R-{ref}", f"Request for {ref}", control_ref=ref)
    return project


def test_natural_order_on_the_page_in_the_command_line_and_every_export(qtbot, make_project, tmp_path):
    project = _project(make_project, tmp_path)
    path = project.path
    project.close()

    context = PageContext(Operations(), QUndoStack(), interactive=False)
    reopened = open_project(path)
    context.set_project(reopened)
    try:
        page = ControlsPage(context)
        show_page(qtbot, page)
        shown = [page.proxy.index(row, REF).data(CONTROL_ROLE).ref for row in range(page.proxy.rowCount())]
        assert shown == NATURAL
    finally:
        context.set_project(None)
        context.operations.wait(30)
        reopened.close()

    listed = run(tmp_path, "controls", path, "--json")
    assert listed.returncode == 0, listed.stderr
    assert [c["ref"] for c in json.loads(listed.stdout)] == NATURAL

    assert run(tmp_path, "export", "pdf", path, "package.pdf").returncode == 0
    outline = PdfReader(tmp_path / "package.pdf").outline
    controls = outline[[getattr(item, "title", "") for item in outline].index("Controls") + 1]
    assert [item.title.split(" ")[0] for item in controls] == NATURAL

    assert run(tmp_path, "export", "xlsx", path, "book.xlsx").returncode == 0
    book = load_workbook(tmp_path / "book.xlsx", read_only=True)
    assert [r[0] for r in book["Controls"].iter_rows(min_row=2, values_only=True) if r[0]] == NATURAL
    evidence_refs = [r[0] for r in book["Evidence index"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert evidence_refs == NATURAL
    requests = [r[0] for r in book["Requests"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert requests == [f"R-{ref}" for ref in NATURAL]

    assert run(tmp_path, "export", "zip", path, "binder.zip").returncode == 0
    folders = [name for name in binder_names(tmp_path / "binder.zip") if name.endswith("/") and name.count("/") == 1
               and name[0] in "Aa"]
    sums = binder_members(tmp_path / "binder.zip")["SHA256SUMS"].decode().splitlines()
    assert [folder.split(" ")[0] for folder in folders] == NATURAL
    summed = [line.split("  ", 1)[1].split(" ")[0] for line in sums if line.split("  ", 1)[1][0] in "Aa"]
    assert list(dict.fromkeys(summed)) == NATURAL
