"""People (issue 22) through the services: an HR export in its own column names, a newer export's joiners and
leavers, the period's leavers sampled, a late access removal as an exception in the listing, the workbook and the
PDF, and a bad file refused whole."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.services.test_export_pdf import _text
from tests.services.test_services_registers import controls, digest, write_csv
from workbench.domain.errors import WorkbenchError
from workbench.services.exports.pdf_package import export_pdf
from workbench.services.exports.workbook import export_xlsx
from workbench.services.importers.engine import import_register
from workbench.services.importers.kinds import PEOPLE
from workbench.services.people import people_register, set_removal_days, use_as_population
from workbench.services.populations import population_items
from workbench.services.project import project_status
from workbench.services.registers import list_register
from workbench.services.samples import draw_sample

HEADERS = ("Worker ID", "Legal Name", "Work Email", "Employment Type", "Job Title", "Reports To", "Hire Date",
           "Termination Date", "Background Screening", "Access Revoked")
FIRST = [HEADERS,
         ("E1", "Ann Lee", "ann@acme.test", "Full-time", "Engineer", "Bob Roy", "2024-01-10", "", "2024-01-02", ""),
         ("E2", "Bob Roy", "bob@acme.test", "Full-time", "CTO", "", "2023-05-01", "", "2023-04-20", ""),
         ("E3", "Cy Dee", "cy@acme.test", "Contract", "Designer", "Bob Roy", "2025-02-01", "", "", ""),
         ("E4", "Di Ray", "di@acme.test", "Full-time", "Support", "Bob Roy", "2025-06-01", "", "", "")]
# Ann left on Friday 6 February and lost her access on Wednesday 11th (three business days); Dan joined; Cy is
# missing from the newer full export (a possible leaver, not ended).
NEWER = [HEADERS,
         ("E1", "Ann Lee", "ann@acme.test", "Full-time", "Engineer", "Bob Roy", "2024-01-10", "2026-02-06",
          "2024-01-02", "2026-02-11"),
         ("E2", "Bob Roy", "bob@acme.test", "Full-time", "CTO", "", "2023-05-01", "", "2023-04-20", ""),
         ("E4", "Di Ray", "di@acme.test", "Full-time", "Support", "Bob Roy", "2025-06-01", "2026-02-20", "",
          "2026-02-20"),
         ("E5", "Dan Fox", "dan@acme.test", "Contractor", "Engineer", "Bob Roy", "2026-02-02", "", "", "")]


def test_a_staff_export_in_its_own_words_imports_and_a_newer_one_reports_its_joiners_and_leavers(new_project,
                                                                                                 tmp_path):
    first = import_register(new_project, PEOPLE, write_csv(tmp_path / "staff.csv", FIRST))
    assert first["columns"] == {"ref": "Worker ID", "name": "Legal Name", "email": "Work Email",
                                "worker_type": "Employment Type", "role": "Job Title", "manager": "Reports To",
                                "start_date": "Hire Date", "end_date": "Termination Date",
                                "background_check_on": "Background Screening", "access_removed_on": "Access Revoked"}
    assert first["created"] == 4 and first["joiners"] == [] and first["leavers"] == []
    listed = list_register(new_project, PEOPLE)
    assert [(p["ref"], p["worker_type"], p["background_check_on"]) for p in listed] == [
        ("E1", "employee", "2024-01-02"), ("E2", "employee", "2023-04-20"), ("E3", "contractor", None),
        ("E4", "employee", None)]

    preview = import_register(new_project, PEOPLE, write_csv(tmp_path / "newer.csv", NEWER), dry_run=True)
    newer = import_register(new_project, PEOPLE, tmp_path / "newer.csv")
    for report in (preview, newer):
        assert [j["ref"] for j in report["joiners"]] == ["E5"]
        assert [(x["ref"], x["end_date"], x["missing"]) for x in report["leavers"]] == [
            ("E1", "2026-02-06", False), ("E4", "2026-02-20", False), ("E3", None, True)]
        assert report["possible_leavers"] == ["E3"]
    cy = next(p for p in list_register(new_project, PEOPLE) if p["ref"] == "E3")
    assert cy["end_date"] is None  # never ended silently

    again = import_register(new_project, PEOPLE, tmp_path / "newer.csv")
    assert again["joiners"] == [] and [x["ref"] for x in again["leavers"]] == ["E3"]


def test_a_late_access_removal_is_an_exception_in_the_listing_the_workbook_and_the_pdf(new_project, tmp_path):
    import_register(new_project, PEOPLE, write_csv(tmp_path / "staff.csv", FIRST))
    import_register(new_project, PEOPLE, write_csv(tmp_path / "newer.csv", NEWER))
    listed = {p["ref"]: p for p in list_register(new_project, PEOPLE)}
    assert listed["E1"]["removal"] == "late: 3 business days (allowed 1)" and listed["E1"]["removal_exception"]
    assert listed["E4"]["removal"] == "on time: 0 business days (allowed 1)"
    assert listed["E4"]["removal_exception"] is False and listed["E2"]["removal_exception"] is None

    export_xlsx(new_project, tmp_path / "audit.xlsx")
    sheet = load_workbook(tmp_path / "audit.xlsx")["People"]
    rows = list(sheet.iter_rows(values_only=True))
    removal, late = rows[0].index("Access removal"), rows[0].index("Late removal (exception)")
    assert {r[0]: (r[removal], r[late]) for r in rows[1:]}["E1"] == ("late: 3 business days (allowed 1)", "yes")

    export_pdf(new_project, tmp_path / "package.pdf")
    text = _text(PdfReader(tmp_path / "package.pdf"))
    assert "People" in text and "late: 3 business" in text

    actions = [text for _step, text in project_status(new_project).next_actions]
    assert "Explain 1 late access removal (over 1 business day): an exception to the access-removal control " \
           "(Ann Lee)" in actions

    # The company states three business days: Ann's removal is on time; undo puts one day back.
    change = set_removal_days(new_project, 3)
    assert {p["ref"]: p["removal_exception"] for p in list_register(new_project, PEOPLE)}["E1"] is False
    change.inverse(new_project)
    assert people_register(new_project).removal_days == 1
    with pytest.raises(WorkbenchError, match="business days"):
        set_removal_days(new_project, -1)


def test_the_periods_leavers_are_a_population_a_sample_is_drawn_from(new_project, tmp_path):
    controls(new_project)
    import_register(new_project, PEOPLE, write_csv(tmp_path / "staff.csv", FIRST))
    import_register(new_project, PEOPLE, write_csv(tmp_path / "newer.csv", NEWER))
    use_as_population(new_project, "IR-02", "leavers")
    items = population_items(new_project, "IR-02")
    assert [(i.key, i.day) for i in items] == [("E1", date(2026, 2, 6)), ("E4", date(2026, 2, 20))]
    sample = draw_sample(new_project, "IR-02", size=1, reason="test", seed="s").value
    assert len(sample.items) == 1 and sample.items[0].key in {"E1", "E4"}
    use_as_population(new_project, "IR-02", "joiners")
    assert [i.key for i in population_items(new_project, "IR-02")] == ["E5"]
    with pytest.raises(WorkbenchError, match="not a control"):
        use_as_population(new_project, "NOPE", "leavers")


def test_a_bad_staff_file_gets_one_clear_error_and_changes_nothing(new_project, tmp_path):
    import_register(new_project, PEOPLE, write_csv(tmp_path / "staff.csv", FIRST))
    before = digest(new_project)
    bad = write_csv(tmp_path / "bad.csv", [("Worker ID", "Job Title"), ("E9", "Engineer")])
    with pytest.raises(WorkbenchError) as caught:
        import_register(new_project, PEOPLE, bad)
    assert "bad.csv" in str(caught.value) and "name" in str(caught.value)
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(WorkbenchError) as caught:
        import_register(new_project, PEOPLE, tmp_path / "broken.xlsx")
    assert "broken.xlsx" in str(caught.value)
    assert digest(new_project) == before


def test_a_leaver_whose_access_is_still_there_past_the_due_day_reads_overdue_once(new_project, tmp_path):
    import_register(new_project, PEOPLE, write_csv(tmp_path / "staff.csv", FIRST))
    gone = [HEADERS, *FIRST[1:3], ("E3", "Cy Dee", "cy@acme.test", "Contract", "Designer", "Bob Roy", "2025-02-01",
                                   "2026-02-06", "", "")]
    import_register(new_project, PEOPLE, write_csv(tmp_path / "gone.csv", gone))
    listed = {p["ref"]: p for p in list_register(new_project, PEOPLE)}
    assert listed["E3"]["removal"] == "not removed: overdue (allowed 1)" and listed["E3"]["removal_exception"]
