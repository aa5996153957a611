"""The plan's exports read back: calendar events on the right days, every task in the workbook, a PDF that opens."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from workbench.domain.enums import Category, ReportType
from workbench.domain.errors import WorkbenchError
from workbench.domain.schedule import TaskSpec
from workbench.services import plan
from workbench.services.plan_exports import export_ics, export_plan_pdf, export_plan_xlsx
from workbench.services.project import NewProject

START = date(2027, 1, 4)
SPEC = NewProject("Export Co", "Cloud", ReportType.TYPE2, (Category.SECURITY,), date(2027, 6, 1), date(2027, 11, 30))


@pytest.fixture
def planned(make_project, project_location):
    project = make_project(project_location("export.soc2"), SPEC)
    plan.generate_plan(project, start=START)
    return project


def _events(path):
    calendar = Calendar.from_ical(path.read_bytes())
    return [e for e in calendar.walk("VEVENT")]


def test_the_calendar_holds_every_milestone_on_its_day_and_every_deadline(planned, tmp_path):
    out = export_ics(planned, tmp_path / "plan.ics")
    events = _events(out)
    made = plan.plan_view(planned).schedule
    by_uid = {str(e["UID"]): e for e in events}
    assert len(events) == len(made.tasks)
    for task in made.tasks:
        kind = "milestone" if task.milestone else "deadline"
        event = next(e for uid, e in by_uid.items() if uid.startswith(f"{task.key}.{kind}."))
        day = event.decoded("DTSTART")
        assert day == (task.start if task.milestone else task.end) and not hasattr(day, "hour")
        assert event.decoded("DTEND") == day + timedelta(days=1)
        assert task.name in str(event["SUMMARY"])
    milestones = {str(e["SUMMARY"]) for e in events if ".milestone." in str(e["UID"])}
    assert {"Engagement letter signed", "Management assertion signed", "SOC 2 report issued"} <= milestones
    # the same project exports the same identifiers again
    again = {str(e["UID"]) for e in _events(export_ics(planned, tmp_path / "again.ics"))}
    assert again == set(by_uid)


def test_the_workbook_lists_every_task_with_real_dates(planned, tmp_path):
    out = export_plan_xlsx(planned, tmp_path / "plan.xlsx")
    sheet = load_workbook(out, read_only=True)["Plan"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:6] == ("ID", "Task", "Step", "Kind", "Start", "End")
    made = plan.plan_view(planned).schedule
    assert [r[0] for r in body] == [t.key for t in made.tasks]
    fieldwork = next(r for r in body if r[0] == "fieldwork")
    assert fieldwork[4].date() == made.task("fieldwork").start and fieldwork[7] == "no"
    assert fieldwork[9] == "yes" and fieldwork[3] == "fieldwork"
    assert all(not (isinstance(v, str) and v.startswith("=")) for r in body for v in r)


def test_the_printable_timeline_opens_and_names_every_task(planned, tmp_path):
    plan.set_baseline(planned)
    out = export_plan_pdf(planned, tmp_path / "plan.pdf")
    reader = PdfReader(out)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height   # landscape
    for task in plan.plan_view(planned).schedule.tasks:
        assert task.name in text
    assert "Observation window" in text and "Milestone" in text and "Critical path" in text


def test_a_long_plan_splits_across_pages(planned, tmp_path):
    tasks = plan.plan_tasks(planned)
    extra = [TaskSpec(f"extra_{n}", f"Extra evidence task {n}", 4, 3) for n in range(60)]
    plan.replace_plan(planned, [*tasks, *extra], START)
    reader = PdfReader(export_plan_pdf(planned, tmp_path / "long.pdf"))
    assert len(reader.pages) >= 3
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Extra evidence task 59" in text and "page 1 of" in text


def test_a_project_without_a_plan_writes_nothing(make_project, project_location, tmp_path):
    project = make_project(project_location("empty.soc2"), SPEC)
    target = tmp_path / "plan.ics"
    with pytest.raises(WorkbenchError, match="no plan"):
        export_ics(project, target)
    assert not target.exists() and list(tmp_path.glob("*.part")) == []
