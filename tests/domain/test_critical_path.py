"""The critical path is the longest chain to the project's end; side branches, pins and finished work are off it."""

from __future__ import annotations

from datetime import date

from workbench.domain.schedule import Link, Schedule, TaskSpec, schedule, working_days_between

# March 2026: Monday the 2nd, 9th, 16th, 23rd, 30th.
MON = date(2026, 3, 2)


def d(day: int, month: int = 3) -> date:
    return date(2026, month, day)


def task(key: str, duration: int, *after: str | tuple[str, int], **fields: object) -> TaskSpec:
    links = tuple(Link(a) if isinstance(a, str) else Link(*a) for a in after)
    return TaskSpec(key, key.title(), 1, duration, links, **fields)  # type: ignore[arg-type]


def critical(plan: Schedule) -> set[str]:
    return {t.key for t in plan.tasks if t.critical}


def test_a_side_branch_that_finishes_early_has_slack_and_is_off_the_critical_path() -> None:
    tasks = [task("scope", 5), task("remediate", 20, "scope"), task("window", 10, "remediate"),
             task("report", 1, "window"),
             task("select_cpa", 5, "scope"), task("letter", 0, "select_cpa"), task("describe", 10, "scope")]
    plan = schedule(tasks, MON)
    assert plan.critical_path == ("scope", "remediate", "window", "report")
    assert critical(plan) == {"scope", "remediate", "window", "report"}
    for side in ("select_cpa", "letter", "describe"):
        assert plan.task(side).slack > 0 and not plan.task(side).critical
    # the letter could wait until the report's last day
    assert plan.task("letter").late_end == plan.end


def test_a_pinned_side_task_can_slip_to_the_project_end_instead_of_turning_critical() -> None:
    # dragging a bar pins its start; that is no reason to put it on the critical path
    tasks = [task("scope", 5), task("remediate", 20, "scope"), task("report", 1, "remediate"),
             task("training", 3, "scope", fixed_start=d(16)), task("letter", 0, "training")]
    plan = schedule(tasks, MON)
    training = plan.task("training")
    assert (training.start, training.end) == (d(16), d(18))
    assert training.late_end == working_day_before(plan.end) and training.slack > 0
    assert not training.critical and not plan.task("letter").critical
    assert plan.critical_path == ("scope", "remediate", "report")


def working_day_before(day: date) -> date:
    """The working day before a working day in March 2026 (Mondays go back to Friday)."""
    back = 3 if day.weekday() == 0 else 1
    return date.fromordinal(day.toordinal() - back)


def test_a_pinned_window_on_the_chain_stays_critical_and_its_preparation_with_it() -> None:
    tasks = [task("prep", 10), task("short_prep", 3),
             task("window", 0, "prep", "short_prep", fixed_start=d(16), fixed_end=d(27)),
             task("fieldwork", 5, "window"), task("midpoint", 1, ("prep", 3))]
    plan = schedule(tasks, MON)
    assert plan.critical_path == ("prep", "window", "fieldwork")
    assert plan.task("short_prep").slack == 7
    assert not plan.task("midpoint").critical and plan.task("midpoint").slack > 0


def test_when_chains_tie_the_one_holding_more_work_than_lag_is_critical() -> None:
    # both chains end on the same day from the same start; the system description waits out a long lag
    tasks = [task("scope", 5), task("describe", 5, ("scope", 15)), task("remediate", 20, "scope"),
             task("report", 2, "describe", "remediate")]
    plan = schedule(tasks, MON)
    assert plan.task("describe").slack == 0
    assert plan.critical_path == ("scope", "remediate", "report")
    assert not plan.task("describe").critical


def test_finished_work_is_never_critical_and_the_chain_starts_at_the_first_open_task() -> None:
    tasks = [task("scope", 5, actual_start=d(2), actual_finish=d(6), percent_complete=100),
             task("remediate", 10, "scope", percent_complete=40), task("report", 1, "remediate"),
             task("policies", 2, "scope")]
    plan = schedule(tasks, MON)
    assert plan.critical_path == ("remediate", "report")
    assert not plan.task("scope").critical


def test_a_tight_plan_still_has_one_critical_chain_not_every_task() -> None:
    # every link is exactly as long as its gap (what a plan made from fixed dates looks like)
    tasks = [task("scope", 10), task("select_cpa", 35, "scope"), task("letter", 0, ("select_cpa", 12)),
             task("assess", 20, "scope"), task("remediate", 30, "assess"), task("signoff", 2, "remediate"),
             task("window", 0, ("letter", 4), "signoff", fixed_start=d(27, 5), fixed_end=d(30, 9)),
             task("describe", 10, ("scope", 153)), task("fieldwork", 20, "window"),
             task("report", 5, "describe", "fieldwork")]
    plan = schedule(tasks, MON)
    assert all(t.slack == 0 for t in plan.tasks)
    assert plan.critical_path == ("scope", "assess", "remediate", "signoff", "window", "fieldwork", "report")
    assert critical(plan) == set(plan.critical_path)


def test_late_tasks_are_the_unfinished_ones_due_to_end_or_start_before_today() -> None:
    tasks = [task("done", 5, actual_start=d(2), actual_finish=d(6)), task("over", 5),
             task("begun", 10, percent_complete=20), task("waiting", 10), task("future", 5, "waiting"),
             task("window", 0, fixed_start=d(2), fixed_end=d(31), kind="observation")]
    plan = schedule(tasks, MON)
    today = d(11)
    assert working_days_between(plan.task("over").end, today) > 1
    assert [t.key for t in plan.late(today)] == ["over", "waiting"]
    assert plan.late(MON) == ()
