"""The plan's scheduling engine: working days, pins, actuals, cycles, slack, the critical path and slippage."""

from __future__ import annotations

import itertools
import random
import re
import time
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.errors import NotFoundError, ValidationError, WorkbenchError
from workbench.domain.schedule import (
    Link,
    Schedule,
    ScheduleError,
    TaskSpec,
    add_working_days,
    is_working_day,
    next_working_day,
    schedule,
    working_days_between,
)

# March 2026: Monday the 2nd, 9th, 16th, 23rd; Saturday the 7th, 14th, 21st.
MON = date(2026, 3, 2)
SAT_BEFORE = date(2026, 2, 28)


def d(day: int, month: int = 3) -> date:
    return date(2026, month, day)


def task(key: str, duration: int, *after: str | tuple[str, int], **fields: object) -> TaskSpec:
    links = tuple(Link(a) if isinstance(a, str) else Link(*a) for a in after)
    return TaskSpec(key, key.title(), int(fields.pop("step", 1)), duration, links, **fields)  # type: ignore[arg-type]


def dates(plan: Schedule, key: str) -> tuple[date, date]:
    placed = plan.task(key)
    return placed.start, placed.end


# -- the working-day calendar --------------------------------------------------------------------------------


def test_weekends_and_holidays_are_not_working_days() -> None:
    assert [is_working_day(d(day)) for day in range(2, 9)] == [True] * 5 + [False, False]
    assert not is_working_day(d(4), frozenset({d(4)}))
    assert next_working_day(d(7)) == d(9)
    assert next_working_day(d(7), frozenset({d(9)})) == d(10)
    assert next_working_day(d(4)) == d(4)


def test_adding_and_counting_working_days_skips_weekends_and_holidays() -> None:
    assert add_working_days(d(6), 0) == d(6)
    assert add_working_days(d(6), 1) == d(9)
    assert add_working_days(d(5), 5) == d(12)
    assert add_working_days(d(2), 20) == d(30)
    assert add_working_days(d(6), 1, frozenset({d(9), d(10)})) == d(11)
    assert working_days_between(d(2), d(15)) == 10
    assert working_days_between(d(2), d(15), frozenset({d(4), d(14)})) == 9
    assert working_days_between(d(15), d(2)) == 0
    with pytest.raises(ValueError):
        add_working_days(d(2), -1)


def _naive_add(day: date, count: int, holidays: frozenset[date]) -> date:
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count -= 1
    return day


@settings(max_examples=150, deadline=None)
@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 400), st.integers(-30, 500),
       st.frozensets(st.dates(date(2019, 12, 1), date(2032, 6, 30)), max_size=40))
def test_calendar_arithmetic_matches_counting_day_by_day(day: date, count: int, span: int,
                                                         holidays: frozenset[date]) -> None:
    def working(one: date) -> bool:
        return one.weekday() < 5 and one not in holidays

    assert is_working_day(day, holidays) == working(day)
    expected_next = day
    while not working(expected_next):
        expected_next += timedelta(days=1)
    assert next_working_day(day, holidays) == expected_next
    assert add_working_days(day, count, holidays) == _naive_add(day, count, holidays)
    end = day + timedelta(days=span)
    assert working_days_between(day, end, holidays) == sum(
        working(day + timedelta(days=offset)) for offset in range(span + 1))


# -- forward scheduling --------------------------------------------------------------------------------------


def test_a_weekend_start_moves_to_monday_and_tasks_skip_weekends() -> None:
    plan = schedule([task("a", 5), task("b", 3, "a"), task("c", 7, "b")], SAT_BEFORE)
    assert (plan.start, plan.first_day) == (SAT_BEFORE, MON)
    assert dates(plan, "a") == (d(2), d(6))
    assert dates(plan, "b") == (d(9), d(11))
    assert dates(plan, "c") == (d(12), d(20))
    assert plan.end == d(20)
    assert plan.duration == 15


def test_a_lag_waits_working_days_after_the_predecessor_ends() -> None:
    plan = schedule([task("a", 5), task("b", 1, ("a", 2)), task("c", 1, ("a", 0))], MON)
    assert dates(plan, "b") == (d(11), d(11))  # Monday 9 and Tuesday 10 are the lag
    assert dates(plan, "c") == (d(9), d(9))


def test_the_latest_predecessor_drives_the_start() -> None:
    plan = schedule([task("a", 2), task("b", 6), task("c", 1, ("a", 4), "b")], MON)
    assert dates(plan, "c") == (d(10), d(10))  # a ends 3rd + 4 lag -> 10th; b ends 9th -> 10th
    plan = schedule([task("a", 2), task("b", 6), task("c", 1, ("a", 5), "b")], MON)
    assert dates(plan, "c") == (d(11), d(11))


def test_milestones_take_one_day_on_the_next_working_day_after_their_predecessors() -> None:
    tasks = [task("a", 5), task("go", 0, "a"), task("b", 2, "go")]
    plan = schedule(tasks, MON)
    assert dates(plan, "go") == (d(9), d(9))
    assert plan.task("go").milestone and not plan.task("a").milestone
    assert dates(plan, "b") == (d(10), d(11))
    with_holiday = schedule(tasks, MON, frozenset({d(9)}))
    assert dates(with_holiday, "go") == (d(10), d(10))
    assert dates(with_holiday, "b") == (d(11), d(12))


def test_holidays_stretch_a_task_and_its_dependents() -> None:
    plan = schedule([task("a", 5), task("b", 1, "a")], MON, frozenset({d(4), d(9)}))
    assert dates(plan, "a") == (d(2), d(10))  # Wednesday 4th and Monday 9th are holidays
    assert dates(plan, "b") == (d(11), d(11))


def test_a_task_pinned_to_a_weekend_day_starts_there_and_counts_working_days_after() -> None:
    plan = schedule([task("a", 2), task("sat", 3, "a", fixed_start=d(14)), task("b", 1, "sat"),
                     task("sun", 0, fixed_start=d(15))], MON)
    assert dates(plan, "sat") == (d(14), d(17))  # Saturday, Monday, Tuesday
    assert dates(plan, "b") == (d(18), d(18))
    assert dates(plan, "sun") == (d(15), d(15))
    assert plan.task("sun").milestone


def test_a_pinned_span_covers_exactly_its_calendar_days() -> None:
    window = task("window", 0, "ready", fixed_start=d(1, 4), fixed_end=d(30, 9), kind="observation")
    plan = schedule([task("ready", 10), window, task("fieldwork", 10, "window")], MON)
    assert dates(plan, "window") == (d(1, 4), d(30, 9))
    assert not plan.task("window").milestone
    assert dates(plan, "fieldwork") == (d(1, 10), d(14, 10))
    assert plan.end == d(14, 10)


def test_a_pinned_end_places_the_task_before_it() -> None:
    plan = schedule([task("a", 2), task("due", 3, "a", fixed_end=d(13))], MON)
    assert dates(plan, "due") == (d(11), d(13))


def test_a_pin_exactly_on_the_first_possible_day_is_accepted() -> None:
    plan = schedule([task("a", 10), task("b", 1, "a", fixed_start=d(16))], MON)
    assert dates(plan, "b") == (d(16), d(16))
    assert plan.critical_path == ("a", "b")


def test_a_pin_before_the_predecessor_ends_is_refused_naming_task_pin_and_predecessor() -> None:
    tasks = [task("prep", 2), task("remediation", 10, "prep"), task("fieldwork", 5, "remediation", fixed_start=d(11))]
    with pytest.raises(ScheduleError) as refused:
        schedule(tasks, MON)
    message = str(refused.value)
    assert message == ("plan task fieldwork : pinned to start on 2026-03-11, but remediation only ends on "
                       "2026-03-17")
    assert "\n" not in message
    assert isinstance(refused.value, ValidationError) and isinstance(refused.value, WorkbenchError)


def test_a_pin_inside_the_lag_is_refused_and_the_lag_is_named() -> None:
    with pytest.raises(ScheduleError, match=r"fieldwork : pinned to start on 2026-03-09, but a only ends on "
                                            r"2026-03-06 and 1 working day of lag must follow"):
        schedule([task("a", 5), task("fieldwork", 2, ("a", 1), fixed_start=d(9))], MON)


def test_a_pinned_end_too_early_for_the_predecessors_is_refused() -> None:
    with pytest.raises(ScheduleError, match=r"plan task due : pinned to end on 2026-03-10, so it starts on "
                                            r"2026-03-06, but a only ends on 2026-03-06"):
        schedule([task("a", 5), task("due", 3, "a", fixed_end=d(10))], MON)


# -- refusals ------------------------------------------------------------------------------------------------


def test_a_cycle_is_refused_naming_the_tasks_around_it() -> None:
    tasks = [task("plan", 2), task("a", 1, "plan", "c"), task("b", 1, "a"), task("c", 1, "b"), task("d", 1, "c")]
    with pytest.raises(ScheduleError) as refused:
        schedule(tasks, MON)
    assert str(refused.value).startswith("plan dependency cycle : a -> b -> c -> a: ")
    with pytest.raises(ScheduleError, match=r"cycle : solo -> solo: "):
        schedule([task("solo", 1, "solo")], MON)


@pytest.mark.parametrize(("tasks", "message"), [
    ([task("a", 1, "ghost")], "plan task a : it depends on ghost, which is not a task of the plan"),
    ([task("a", 1), task("b", 2), task("a", 3)], "plan task a : the key is used by more than one task"),
    ([task("a", -1)], "plan task a : the duration must be 0 or more working days, not -1"),
    ([task("a", 1), task("b", 1, ("a", -2))], "plan task b : the lag after a must be 0 or more working days, not -2"),
    ([task("a", 1, step=7)], "plan task a : the step must be 1 to 6, not 7"),
    ([task("a", 1, percent_complete=120)], "plan task a : percent complete must be 0 to 100, not 120"),
    ([task("a", 1, fixed_start=d(9), fixed_end=d(6))], "plan task a : the pinned end 2026-03-06 is before"),
    ([task("a", 1, actual_start=d(9), actual_finish=d(6))], "plan task a : the actual finish 2026-03-06 is before"),
    ([task(" ", 1)], "plan task number 1 : it has no key"),
])
def test_bad_tasks_are_refused_with_one_line_naming_the_task(tasks: list[TaskSpec], message: str) -> None:
    with pytest.raises(ScheduleError) as refused:
        schedule(tasks, MON)
    assert str(refused.value).startswith(message)


def test_an_unknown_task_key_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="plan task nope"):
        schedule([task("a", 1)], MON).task("nope")


def test_an_empty_plan_has_no_tasks_and_no_critical_path() -> None:
    plan = schedule([], SAT_BEFORE)
    assert (plan.tasks, plan.end, plan.critical_path) == ((), MON, ())


# -- actual dates ----------------------------------------------------------------------------------------------


def test_actual_dates_override_the_plan_and_drive_dependents() -> None:
    tasks = [task("a", 5, actual_start=d(3, 2), actual_finish=d(20)), task("b", 2, "a")]
    plan = schedule(tasks, MON)
    assert dates(plan, "a") == (d(3, 2), d(20))
    assert dates(plan, "b") == (d(23), d(24))
    assert (plan.task("a").late_start, plan.task("a").late_end, plan.task("a").slack) == (d(3, 2), d(20), 0)


def test_an_actual_start_keeps_the_planned_duration_and_beats_an_impossible_pin() -> None:
    tasks = [task("a", 10), task("b", 3, "a", fixed_start=d(4), actual_start=d(5))]
    plan = schedule(tasks, MON)  # b really started on the 5th: a fact, not refused
    assert dates(plan, "b") == (d(5), d(9))


def test_an_actual_finish_alone_ends_the_task_and_keeps_the_start_before_it() -> None:
    plan = schedule([task("a", 5), task("b", 10, "a", actual_finish=d(17))], MON)
    assert dates(plan, "b") == (d(9), d(17))
    plan = schedule([task("a", 5), task("b", 3, "a", actual_finish=d(5))], MON)
    assert dates(plan, "b") == (d(3), d(5))


def test_an_unfinished_plan_does_not_schedule_open_work_before_the_start() -> None:
    tasks = [task("old", 3, actual_start=d(2, 2), actual_finish=d(4, 2)), task("next", 2, "old")]
    plan = schedule(tasks, MON)
    assert dates(plan, "next") == (d(2), d(3))


# -- backward pass, slack, critical path -------------------------------------------------------------------------


def _diamond(lag: int = 0) -> Schedule:
    return schedule([task("a", 2), task("b", 5, "a"), task("c", 2, "a"), task("d", 1, "b", ("c", lag)),
                     task("e", 1)], MON)


def test_the_backward_pass_gives_late_dates_and_slack_on_a_diamond() -> None:
    plan = _diamond()
    assert dates(plan, "a") == (d(2), d(3))
    assert dates(plan, "b") == (d(4), d(10))
    assert dates(plan, "c") == (d(4), d(5))
    assert dates(plan, "d") == (d(11), d(11))
    late = {t.key: (t.late_start, t.late_end, t.slack, t.critical) for t in plan.tasks}
    assert late == {
        "a": (d(2), d(3), 0, True),
        "b": (d(4), d(10), 0, True),
        "c": (d(9), d(10), 3, False),
        "d": (d(11), d(11), 0, True),
        "e": (d(11), d(11), 7, False),
    }
    assert plan.critical_path == ("a", "b", "d")


def test_a_lag_eats_into_slack() -> None:
    plan = _diamond(lag=1)
    assert (plan.task("c").late_end, plan.task("c").slack) == (d(9), 2)
    plan = _diamond(lag=3)
    # c and its lag tie with b: no slack left, but b holds more work, so the critical path runs through b
    assert (plan.task("c").slack, plan.task("c").critical) == (0, False)
    assert plan.critical_path == ("a", "b", "d")


def test_the_critical_path_runs_from_the_project_start_to_its_end() -> None:
    tasks = [task("kickoff", 0, kind="cpa"), task("scope", 5, "kickoff"), task("policies", 15, "scope"),
             task("readiness", 10, "scope"), task("remediate", 20, ("readiness", 2)),
             task("evidence", 10, "policies", "remediate"), task("report", 0, "evidence", kind="cpa"),
             task("training", 3, "kickoff")]
    plan = schedule(tasks, SAT_BEFORE)
    assert plan.critical_path == ("kickoff", "scope", "readiness", "remediate", "evidence", "report")
    path = [plan.task(key) for key in plan.critical_path]
    assert path[0].start == plan.first_day == MON
    assert path[-1].end == plan.end
    assert working_days_between(path[0].start, path[-1].end) == plan.duration == 1 + 5 + 10 + 2 + 20 + 10 + 1


def test_a_pinned_window_with_a_gap_before_it_starts_the_critical_path() -> None:
    tasks = [task("prep", 10), task("window", 0, "prep", fixed_start=d(1, 4), fixed_end=d(30, 9)),
             task("fieldwork", 10, "window"), task("report", 0, "fieldwork")]
    plan = schedule(tasks, MON)
    assert plan.task("prep").slack == working_days_between(d(16), d(31))  # ends 13th, may end 31st
    assert (plan.task("window").slack, plan.task("window").critical) == (0, True)
    assert plan.critical_path == ("window", "fieldwork", "report")


def test_slippage_counts_working_days_each_baseline_task_moved() -> None:
    tasks = [task("a", 5), task("b", 3, "a"), task("c", 2)]
    baseline = {t.key: (t.start, t.end) for t in schedule(tasks, MON).tasks}
    baseline["gone"] = (d(2), d(3))
    later = schedule([task("a", 7), task("b", 3, "a"), task("c", 1)], MON)
    assert later.slippage(baseline) == {"a": 2, "b": 2, "c": -1}
    assert schedule(tasks, MON).slippage(baseline) == {"a": 0, "b": 0, "c": 0}
    assert later.slippage({"b": (d(7), d(7))}) == {"b": 5}  # from Saturday 7th to Friday 13th


def test_two_thousand_tasks_schedule_well_under_a_second() -> None:
    rng = random.Random(2026)
    tasks = []
    for position in range(2000):
        before = rng.sample(range(position), min(position, rng.randint(0, 3)))
        tasks.append(task(f"t{position}", rng.randint(0, 30), *((f"t{p}", rng.randint(0, 5)) for p in before)))
    rng.shuffle(tasks)
    holidays = frozenset(d(1, 1) + timedelta(days=rng.randrange(3000)) for _ in range(80))
    began = time.perf_counter()
    plan = schedule(tasks, SAT_BEFORE, holidays)
    path = plan.critical_path
    elapsed = time.perf_counter() - began
    assert len(plan.tasks) == 2000 and path
    assert elapsed < 1.0


# -- properties over random task graphs ----------------------------------------------------------------------


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[TaskSpec], date, frozenset[date]]:
    """A random DAG of 1-40 tasks in shuffled input order, a start date and a few holidays."""
    count = draw(st.integers(1, 40))
    durations = draw(st.lists(st.integers(0, 30), min_size=count, max_size=count))
    # (task, which earlier task, lag): every link points back, so the graph has no cycle
    edges = draw(st.lists(st.tuples(st.integers(1, count - 1), st.integers(0, 1 << 16), st.integers(0, 5)),
                          max_size=3 * count)) if count > 1 else []
    links: list[dict[int, int]] = [{} for _ in range(count)]
    for position, pick, lag in edges:
        links[position].setdefault(pick % position, lag)
    tasks = [TaskSpec(f"t{position}", f"Task {position}", 1 + position % 6, durations[position],
                      tuple(Link(f"t{p}", lag) for p, lag in links[position].items()))
             for position in range(count)]
    start = draw(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
    holidays = draw(st.frozensets(st.dates(start, start + timedelta(days=500)), max_size=8))
    return list(draw(st.permutations(tasks))), start, holidays


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_predecessors_always_finish_before_successors_start(graph: tuple[list[TaskSpec], date,
                                                                         frozenset[date]]) -> None:
    tasks, start, holidays = graph
    plan = schedule(tasks, start, holidays)
    first = next_working_day(start, holidays)
    assert plan.first_day == first and [t.spec for t in plan.tasks] == tasks
    assert plan.end == max(t.end for t in plan.tasks)
    for placed in plan.tasks:
        ready = [add_working_days(plan.task(link.predecessor).end, link.lag + 1, holidays)
                 for link in placed.spec.depends_on]
        assert placed.start == max([first, *ready])  # as early as the predecessors allow, never earlier
        for link in placed.spec.depends_on:
            assert placed.start > add_working_days(plan.task(link.predecessor).end, link.lag, holidays)
        assert is_working_day(placed.start, holidays) and is_working_day(placed.end, holidays)
        assert working_days_between(placed.start, placed.end, holidays) == max(placed.spec.duration, 1)
        assert (placed.start == placed.end) if placed.milestone else placed.spec.duration > 0


@settings(max_examples=150, deadline=None)
@given(graphs(), st.data())
def test_late_dates_and_slack_are_consistent(graph: tuple[list[TaskSpec], date, frozenset[date]],
                                             data: st.DataObject) -> None:
    tasks, start, holidays = graph
    plan = schedule(tasks, start, holidays)
    assert any(t.critical for t in plan.tasks)
    for placed in plan.tasks:
        assert placed.late_start >= placed.start and placed.late_end >= placed.end and placed.slack >= 0
        assert placed.late_end <= plan.end
        assert placed.slack == working_days_between(placed.start, placed.late_start, holidays) - 1
        assert placed.critical == (placed.key in plan.critical_path)
        assert placed.slack == 0 or not placed.critical
        for link in placed.spec.depends_on:
            assert add_working_days(plan.task(link.predecessor).late_end, link.lag + 1, holidays) <= placed.late_start
    # slack is exact: pinning a task that late keeps the end, one working day later moves it
    chosen = data.draw(st.sampled_from(plan.tasks))
    late = [replace(t, fixed_start=chosen.late_start) if t is chosen.spec else t for t in tasks]
    assert schedule(late, start, holidays).end == plan.end
    later_start = add_working_days(chosen.late_start, 1, holidays)
    too_late = [replace(t, fixed_start=later_start) if t is chosen.spec else t for t in tasks]
    assert schedule(too_late, start, holidays).end > plan.end


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_the_critical_path_runs_start_to_end_and_lasts_the_project(graph: tuple[list[TaskSpec], date,
                                                                                frozenset[date]]) -> None:
    tasks, start, holidays = graph
    plan = schedule(tasks, start, holidays)
    path = [plan.task(key) for key in plan.critical_path]
    assert path and all(t.critical for t in path)
    assert path[0].start == next_working_day(start, holidays)
    assert path[-1].end == plan.end
    for before, after in itertools.pairwise(path):
        (link,) = [link for link in after.spec.depends_on if link.predecessor == before.key]
        assert add_working_days(before.end, link.lag + 1, holidays) == after.start
    length = working_days_between(path[0].start, path[-1].end, holidays)
    assert length == working_days_between(plan.first_day, plan.end, holidays) == plan.duration
    # the chain's own days and lags account for every working day of the project
    lags = sum(link.lag for before, after in itertools.pairwise(path)
               for link in after.spec.depends_on if link.predecessor == before.key)
    assert sum(max(t.spec.duration, 1) for t in path) + lags == plan.duration


@settings(max_examples=150, deadline=None)
@given(graphs(), st.data())
def test_an_edge_that_closes_a_cycle_is_always_refused(graph: tuple[list[TaskSpec], date, frozenset[date]],
                                                      data: st.DataObject) -> None:
    tasks, start, holidays = graph
    by_key = {t.key: t for t in tasks}
    last = data.draw(st.sampled_from(sorted(by_key)))
    upstream, frontier = {last}, [last]
    while frontier:
        for link in by_key[frontier.pop()].depends_on:
            if link.predecessor not in upstream:
                upstream.add(link.predecessor)
                frontier.append(link.predecessor)
    first = data.draw(st.sampled_from(sorted(upstream)))
    closing = replace(by_key[first], depends_on=(*by_key[first].depends_on, Link(last, data.draw(st.integers(0, 5)))))
    cyclic = [closing if t.key == first else t for t in tasks]
    with pytest.raises(ScheduleError) as refused:
        schedule(cyclic, start, holidays)
    around = re.search(r"cycle : ((?:t\d+ -> )+t\d+):", str(refused.value))
    assert around is not None
    keys = around.group(1).split(" -> ")
    assert keys[0] == keys[-1] and {first, last} <= set(keys)
    cyclic_by_key = {t.key: t for t in cyclic}
    for before, after in itertools.pairwise(keys):
        assert before in {link.predecessor for link in cyclic_by_key[after].depends_on}


def test_a_window_pinned_on_a_saturday_is_driven_by_work_ending_the_friday_before():
    saturday = date(2026, 8, 1)
    assert saturday.weekday() == 5
    tasks = [
        TaskSpec("prep", "Preparation", 2, 5),
        TaskSpec("window", "Observation window", 4, 0, depends_on=(Link("prep"),),
                 fixed_start=saturday, fixed_end=date(2027, 1, 31), kind="observation"),
        TaskSpec("fieldwork", "Fieldwork", 5, 10, depends_on=(Link("window"),)),
    ]
    # preparation ends on Friday 31 July: it drives the window, so the critical path runs from the start
    planned = schedule(tasks, date(2026, 7, 27))
    assert planned.task("prep").end == date(2026, 7, 31)
    assert planned.critical_path == ("prep", "window", "fieldwork")
