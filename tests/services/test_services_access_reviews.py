"""Access reviews (issue 22) through the services: a user list flags its leaver, the account not on the roster, the
admin and the dormant account; closing without every decision is refused, the reviewer may not review their own
access, closing with them files a PDF as evidence and makes removals tasks; the next campaign shows the change;
bad files change nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.services.test_services_registers import digest, write_csv
from workbench.domain.entities import ControlDraft
from workbench.domain.enums import Frequency, Nature
from workbench.domain.errors import WorkbenchError
from workbench.services.access_reviews import close_review, decide, start_review
from workbench.services.controls import add_control, list_tasks
from workbench.services.evidence import list_evidence, read_evidence
from workbench.services.exports.workbook import export_xlsx
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import ACCESS_REVIEWS, PEOPLE
from workbench.services.registers import list_register

STAFF = [("Name", "Email", "Start date", "End date"), ("Ann Lee", "ann@acme.test", "2024-01-10", "2026-02-06"),
         ("Bob Roy", "bob@acme.test", "2023-05-01", ""), ("Cy Dee", "cy@acme.test", "2025-02-01", "")]
# The fixed clock reads 2 March 2026: a last login on 5 November 2025 is more than 90 days before.
USERS = [("User Name", "Mail", "Permission", "Superuser", "Last Sign In", "Account Status"),
         ("ann", "ann@acme.test", "Developer", "no", "2026-02-05", "active"),
         ("bob", "bob@acme.test", "Owner", "yes", "2026-03-01", "active"),
         ("zed", "zed@elsewhere.test", "Developer", "no", "2025-11-05", "active"),
         ("cy", "cy@acme.test", "Viewer", "no", "2026-02-25", "active")]


@pytest.fixture
def reviewed(new_project, tmp_path):
    add_control(new_project, ControlDraft("AC-07", "Quarterly user access review", frequency=Frequency.QUARTERLY,
                                          nature=Nature.MANUAL, criteria=("CC6.2", "CC6.3")))
    import_register(new_project, PEOPLE, write_csv(tmp_path / "staff.csv", STAFF))
    return new_project


def test_a_user_list_flags_the_leaver_the_stranger_the_admin_and_the_dormant(reviewed, tmp_path):
    report = start_review(reviewed, "GitHub", write_csv(tmp_path / "github.csv", USERS))
    assert (report["campaign"], report["system"], report["accounts"], report["previous"]) == (
        "AR-001", "GitHub", 4, None)
    assert report["flags"] == {"left": ["ann"], "not_on_roster": ["zed"], "dormant": ["zed"],
                               "privileged": ["bob"], "new": []}
    listed = {r["login"]: r for r in list_register(reviewed, ACCESS_REVIEWS)}
    assert listed["ann"]["flags"] == "Left the company" and listed["bob"]["admin"] is True
    assert listed["zed"]["flags"] == "Not on the roster, Dormant" and listed["cy"]["flags"] == ""


def test_closing_needs_every_decision_an_independent_reviewer_and_files_a_pdf(reviewed, tmp_path):
    start_review(reviewed, "GitHub", write_csv(tmp_path / "github.csv", USERS))
    decide(reviewed, "AR-001", "ann", "remove", "left on 6 February")
    before = digest(reviewed)
    with pytest.raises(WorkbenchError, match="3 of 4 accounts have no decision"):
        close_review(reviewed, "AR-001", "Cy Dee")
    assert digest(reviewed) == before
    for login, decision in (("bob", "keep"), ("zed", "remove"), ("cy", "change")):
        decide(reviewed, "AR-001", login, decision)
    with pytest.raises(WorkbenchError, match="cannot review their own access"):
        close_review(reviewed, "AR-001", "cy@acme.test")
    with pytest.raises(WorkbenchError, match="keep, change or remove"):
        decide(reviewed, "AR-001", "bob", "maybe")
    change = close_review(reviewed, "AR-001", "Dana Moss")
    campaign = change.value
    assert campaign.closed and campaign.control_ref == "AC-07" and campaign.reviewer == "Dana Moss"
    evidence = list_evidence(reviewed)
    assert [(e.id, e.control_ref) for e in evidence] == [(campaign.evidence_id, "AC-07")]
    data = b"".join(read_evidence(reviewed, evidence[0].sha256))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Access review AR-001: GitHub" in text and "Dana Moss" in text and "left on 6 February" in text
    assert sorted(t.title for t in list_tasks(reviewed)) == [
        "Remove ann's access to GitHub (access review AR-001)", "Remove zed's access to GitHub (access review AR-001)"]
    with pytest.raises(WorkbenchError, match="was closed"):
        decide(reviewed, "AR-001", "bob", "remove")
    change.inverse(reviewed)
    assert list_evidence(reviewed) == [] and list_tasks(reviewed) == []

    export_xlsx(reviewed, tmp_path / "audit.xlsx")
    rows = list(load_workbook(tmp_path / "audit.xlsx")["Access reviews"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Campaign", "System", "Closed", "Login") and len(rows) == 5


def test_the_next_campaign_of_a_system_shows_what_changed(reviewed, tmp_path):
    start_review(reviewed, "GitHub", write_csv(tmp_path / "github.csv", USERS))
    newer = [USERS[0], USERS[2], ("cy", "cy@acme.test", "Admin", "yes", "2026-02-28", "active"),
             ("dee", "dee@acme.test", "Developer", "no", "2026-03-01", "active")]
    report = start_review(reviewed, "github", write_csv(tmp_path / "github2.csv", newer))
    assert report["previous"] == "AR-001"
    assert report["changes"] == {"added": ["dee"], "removed": ["ann", "zed"], "changed": ["cy"]}
    assert report["flags"]["new"] == ["dee"] and report["flags"]["privileged"] == ["bob", "cy"]


def test_bad_user_lists_get_one_clear_error_and_change_nothing(reviewed, tmp_path):
    before = digest(reviewed)
    with pytest.raises(WorkbenchError, match=r"missing\.csv"):
        start_review(reviewed, "GitHub", tmp_path / "missing.csv")
    with pytest.raises(WorkbenchError) as caught:
        start_review(reviewed, "GitHub", write_csv(tmp_path / "empty.csv", [("Permission", "Status")]))
    assert "empty.csv" in str(caught.value)
    with pytest.raises(WorkbenchError, match="system"):
        start_review(reviewed, " ", write_csv(tmp_path / "github.csv", USERS))
    assert digest(reviewed) == before


def test_undoing_the_import_of_a_closed_campaigns_list_is_refused(reviewed, tmp_path):
    from workbench.services.importers.engine import apply_plan, choose_mapping, revert_import
    from workbench.services.importers.plan import plan_table
    from workbench.services.importers.sources import read_table
    from workbench.services.importers.spec import ImportOptions

    path = write_csv(tmp_path / "github.csv", USERS)
    table = read_table(path, ACCESS_REVIEWS)
    with reviewed.uow() as uow:
        plan = plan_table(uow, ACCESS_REVIEWS, table, choose_mapping(uow, ACCESS_REVIEWS, table, (), str(path)),
                          str(path), ImportOptions(details=(("system", "GitHub"),)))
    applied = apply_plan(reviewed, plan).value
    for login in ("ann", "bob", "zed", "cy"):
        decide(reviewed, "AR-001", login, "keep")
    close_review(reviewed, "AR-001", "Dana Moss")
    before = digest(reviewed)
    with pytest.raises(WorkbenchError, match="was closed since; reopen it first"):
        revert_import(reviewed, applied)
    assert digest(reviewed) == before
