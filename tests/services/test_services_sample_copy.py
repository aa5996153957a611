"""The user's working copy of the sample follows today; the committed sample never changes."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

from workbench.domain.date_shift import months_to_follow, move_day, shift_months, to_working_day
from workbench.services import files, sample_copy
from workbench.services.integrity import check_project
from workbench.services.plan import plan_view
from workbench.services.project import project_status, update_settings
from workbench.services.session import open_project

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"
TODAY = date(2027, 3, 17)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _content(path: Path) -> dict:
    with open_project(path, backup_on_open=False, read_only=True) as project:
        status = project_status(project)
        with project.uow() as uow:
            return {
                "criteria": status.criteria, "facts": (status.facts.controls_total, status.facts.evidence_items),
                "controls": [(c.ref, c.criteria, c.status, c.implemented_since is None) for c in uow.controls.list()],
                "populations": [(p.control_ref, p.row_count, p.out_of_period, p.info.sha256)
                                for p in uow.populations.list()],
                "samples": [(s.control_ref, s.seed, [(i.key, i.result) for i in s.items]) for s in uow.samples.list()],
                "exceptions": [(x.reference, x.management_response) for r in uow.reports.list() for x in r.exceptions],
                "evidence": sorted((e.title, e.sha256) for e in uow.evidence.list()),
                "requests": len(uow.requests.list()), "milestones": len(uow.engagement.milestones()),
            }


def test_whole_months_keep_month_ends_and_single_days_land_on_working_days():
    assert shift_months(date(2026, 9, 30), 1) == date(2026, 10, 31)
    assert shift_months(date(2026, 4, 1), -3) == date(2026, 1, 1)
    assert shift_months(date(2026, 1, 30), 1) == date(2026, 2, 28)
    assert to_working_day(date(2026, 10, 31)) == date(2026, 10, 30)  # Saturday -> Friday
    assert to_working_day(date(2026, 11, 1)) == date(2026, 11, 2)  # Sunday -> Monday
    assert to_working_day(date(2026, 8, 1)) == date(2026, 8, 3)  # Saturday the 1st stays in August
    assert move_day(date(2026, 9, 30), 1, True) == date(2026, 10, 31)
    assert months_to_follow(date(2026, 9, 30), date(2026, 12, 6)) == 1
    assert months_to_follow(date(2026, 9, 30), date(2026, 10, 20)) == -1


def test_the_working_copy_follows_today_and_the_sample_stays_as_committed(tmp_path):
    committed = _digest(SAMPLE)
    copy = files.sample_working_copy(SAMPLE, today=TODAY)
    assert _digest(SAMPLE) == committed
    assert copy.parent.name == "samples" and copy != SAMPLE
    with open_project(copy) as project:
        assert all(result.ok for result in check_project(project))
        settings = project_status(project).settings
        assert settings.period_start.day == 1
        assert 21 <= (TODAY - settings.period_end).days <= 52
        assert (settings.period_end + timedelta(days=1)).day == 1
        view = plan_view(project, today=TODAY)
        with project.uow() as uow:
            days = [e.collected_on for e in uow.evidence.list() if e.collected_on] + [
                i.day for p in uow.populations.list() for i in uow.populations.items(p.id) if i.day]
            assert all(p.out_of_period == 0 for p in uow.populations.list())
    assert all(day.weekday() < 5 for day in days)
    past = [t for t in view.schedule.tasks if t.end < TODAY]
    assert past and all(t.spec.percent_complete == 100 and t.spec.actual_finish == t.end for t in past)
    assert all(t.spec.percent_complete < 100 for t in view.schedule.tasks if t.end >= TODAY)
    assert view.observation == (settings.period_start, settings.period_end)
    # Apart from its dates, the copy holds exactly what the committed sample holds.
    assert _content(copy) == _content(SAMPLE)
    # Made once: a later opening keeps the copy (and its dates) as the user left it.
    assert files.sample_working_copy(SAMPLE, today=TODAY + timedelta(days=400)) == copy
    with open_project(copy, backup_on_open=False, read_only=True) as project:
        assert project_status(project).settings.period_end == settings.period_end
    assert _digest(SAMPLE) == committed


def test_following_today_again_moves_nothing_more(tmp_path):
    copy = files.sample_working_copy(SAMPLE, today=TODAY)
    with open_project(copy) as project:
        assert sample_copy.follow_today(project, TODAY) == 0
        assert sample_copy.follow_today(project, TODAY + timedelta(days=31)) == 1


def test_a_copy_made_from_an_earlier_sample_is_kept_aside_and_a_new_one_made(tmp_path):
    shipped = tmp_path / "shipped" / SAMPLE.name
    shipped.parent.mkdir()
    shipped.write_bytes(SAMPLE.read_bytes())
    copy = files.sample_working_copy(shipped, today=TODAY)
    with open_project(copy) as project:  # the user works in their copy
        update_settings(project, organization="Edited by the user")
    assert files.sample_working_copy(shipped, today=TODAY) == copy  # the same sample: the same copy
    assert project_status_of(copy) == "Edited by the user"

    with open_project(shipped, backup_on_open=False) as project:  # the program ships a changed sample
        update_settings(project, organization="Shipped anew")
    assert files.sample_working_copy(shipped, today=TODAY) == copy
    assert project_status_of(copy) == "Shipped anew"
    earlier = copy.with_name(f"{copy.stem} (earlier copy){copy.suffix}")
    assert project_status_of(earlier) == "Edited by the user"  # nothing the user did is lost
    assert sorted(p.name for p in copy.parent.iterdir() if not p.name.startswith(".")) == sorted(
        [copy.name, earlier.name])


def project_status_of(path: Path) -> str:
    with open_project(path, backup_on_open=False, read_only=True) as project:
        return project_status(project).settings.organization
