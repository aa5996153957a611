"""The plan's scheduling engine: working days, forward and backward passes, slack, critical path, slippage.

Tasks are finish-to-start: a task with predecessors starts on the next working day after the latest
(predecessor end + lag working days). A milestone (duration 0) occupies one day. Pinned dates (fixed_start,
fixed_end) and actual dates are placed as given; pins are checked against predecessors, actuals are facts and
are never refused. Slack is measured against the project's end: a pinned task can slip as far as its successors
allow, a finished task never slips. The critical path is the longest chain of driving links ending on the
project's end (unfinished tasks only); only its tasks are critical. Working-day arithmetic runs on date
ordinals: whole weeks by arithmetic, holidays by bisection, so a plan of thousands of tasks schedules in
milliseconds.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from itertools import pairwise

from workbench.domain.errors import NotFoundError, ValidationError

WEEKEND = (5, 6)
STEPS = range(1, 7)


class ScheduleError(ValidationError):
    """A plan that cannot be scheduled: a bad task, an unknown predecessor, a cycle or an impossible pin."""


# -- working-day calendar ---------------------------------------------------------------------------------------
# Ordinal 1 (0001-01-01) is a Monday, so an ordinal's weekday is (ordinal - 1) % 7.


class _Calendar:
    """Working-day arithmetic on date ordinals for one set of holidays."""

    __slots__ = ("_holiday_set", "_holidays")

    def __init__(self, holidays: frozenset[date]) -> None:
        ordinals = sorted({day.toordinal() for day in holidays if day.weekday() not in WEEKEND})
        self._holidays = ordinals
        self._holiday_set = frozenset(ordinals)

    def working(self, ordinal: int) -> bool:
        """Whether the day is neither a weekend day nor a holiday."""
        return (ordinal - 1) % 7 < 5 and ordinal not in self._holiday_set

    def before(self, ordinal: int) -> int:
        """How many working days come before this day (from 0001-01-01)."""
        weeks, rest = divmod(ordinal - 1, 7)
        return weeks * 5 + min(rest, 5) - bisect_left(self._holidays, ordinal)

    def nth(self, number: int) -> int:
        """The ordinal of the number-th working day (1-based) from 0001-01-01."""
        skipped = 0
        while True:
            index = number + skipped - 1
            ordinal = 1 + 7 * (index // 5) + index % 5
            holidays = bisect_right(self._holidays, ordinal)
            if holidays == skipped:
                return ordinal
            skipped = holidays

    def add(self, ordinal: int, count: int) -> int:
        """The count-th working day after the day (the day itself for 0)."""
        return ordinal if count == 0 else self.nth(self.before(ordinal + 1) + count)

    def sub(self, ordinal: int, count: int) -> int:
        """The count-th working day before the day (the day itself for 0)."""
        return ordinal if count == 0 else self.nth(self.before(ordinal) - count + 1)

    def on_or_after(self, ordinal: int) -> int:
        """The first working day on or after the day."""
        return self.nth(self.before(ordinal) + 1)

    def on_or_before(self, ordinal: int) -> int:
        """The last working day on or before the day."""
        return self.nth(self.before(ordinal + 1))

    def count(self, first: int, last: int) -> int:
        """Working days in [first, last]; 0 when last is before first."""
        return max(0, self.before(last + 1) - self.before(first))

    def span_end(self, start: int, duration: int) -> int:
        """The end of a task of `duration` working days starting on `start` (a milestone ends where it starts)."""
        return self.add(start, duration - 1) if duration > 0 else start

    def span_start(self, end: int, duration: int) -> int:
        """The start of a task of `duration` working days ending on `end`."""
        return self.sub(end, duration - 1) if duration > 0 else end


@lru_cache(maxsize=32)
def _calendar(holidays: frozenset[date]) -> _Calendar:
    return _Calendar(holidays)


def is_working_day(day: date, holidays: frozenset[date] = frozenset()) -> bool:
    """Whether the day is a working day: not Saturday or Sunday and not a holiday."""
    return _calendar(holidays).working(day.toordinal())


def next_working_day(day: date, holidays: frozenset[date] = frozenset()) -> date:
    """The first working day on or after the day (the day itself when it is a working day)."""
    return date.fromordinal(_calendar(holidays).on_or_after(day.toordinal()))


def add_working_days(day: date, count: int, holidays: frozenset[date] = frozenset()) -> date:
    """The count-th working day after the day; the day itself for 0."""
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    return date.fromordinal(_calendar(holidays).add(day.toordinal(), count))


def working_days_between(start: date, end: date, holidays: frozenset[date] = frozenset()) -> int:
    """How many working days lie in [start, end], both included; 0 when end is before start."""
    return _calendar(holidays).count(start.toordinal(), end.toordinal())


# -- tasks and schedules ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """A finish-to-start dependency on another task, with a lag in working days."""

    predecessor: str
    lag: int = 0


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """One task of the plan as the user or a template describes it."""

    key: str
    name: str
    step: int
    duration: int
    depends_on: tuple[Link, ...] = ()
    fixed_start: date | None = None
    fixed_end: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    percent_complete: int = 0
    kind: str = ""

    @property
    def milestone(self) -> bool:
        """Zero duration and not a pinned span of several days."""
        spans_days = (self.fixed_start is not None and self.fixed_end is not None
                      and self.fixed_end != self.fixed_start)
        return self.duration == 0 and not spans_days

    @property
    def pinned(self) -> bool:
        """Whether a pin or an actual date holds the task in place (its start does not follow predecessors)."""
        return any(day is not None for day in (self.fixed_start, self.fixed_end, self.actual_start,
                                               self.actual_finish))

    @property
    def done(self) -> bool:
        """Whether the task is finished: an actual finish, or 100 % complete."""
        return self.actual_finish is not None or self.percent_complete >= 100

    @property
    def started(self) -> bool:
        """Whether work on the task has begun: an actual start or some progress (or it is done)."""
        return self.actual_start is not None or self.percent_complete > 0 or self.done


@dataclass(frozen=True, slots=True)
class ScheduledTask:
    """A task placed on the calendar, with its late dates and slack."""

    spec: TaskSpec
    start: date
    end: date
    late_start: date
    late_end: date
    slack: int
    critical: bool

    @property
    def key(self) -> str:
        """The task's key."""
        return self.spec.key

    @property
    def name(self) -> str:
        """The task's name."""
        return self.spec.name

    @property
    def step(self) -> int:
        """The road's step (1..6) the task belongs to."""
        return self.spec.step

    @property
    def milestone(self) -> bool:
        """Whether the task is a one-day milestone."""
        return self.spec.milestone


@dataclass(frozen=True)
class Schedule:
    """A scheduled plan: every task placed, the project's start and end, critical path and slippage."""

    start: date
    end: date
    tasks: tuple[ScheduledTask, ...]
    holidays: frozenset[date] = field(default=frozenset())

    @cached_property
    def _by_key(self) -> dict[str, ScheduledTask]:
        return {task.key: task for task in self.tasks}

    @property
    def first_day(self) -> date:
        """The first working day on or after the start asked for: where unpinned work begins."""
        return next_working_day(self.start, self.holidays)

    @property
    def duration(self) -> int:
        """Working days from the first working day to the project's end, both included."""
        return working_days_between(self.first_day, self.end, self.holidays)

    def task(self, key: str) -> ScheduledTask:
        """The scheduled task with this key."""
        try:
            return self._by_key[key]
        except KeyError:
            raise NotFoundError(f"plan task {key}", "there is no task with this key in the plan") from None

    @cached_property
    def critical_path(self) -> tuple[str, ...]:
        """Keys of the critical tasks in order: the longest chain of driving links ending on the project's end.

        Longest means reaching back furthest, then holding the most working days of work (rather than lags).
        Finished tasks are never critical; a pinned task that its predecessors do not drive begins the chain.
        """
        chain = sorted((task for task in self.tasks if task.critical), key=lambda task: (task.start, task.end))
        return tuple(task.key for task in chain)

    @cached_property
    def critical_links(self) -> frozenset[tuple[str, str]]:
        """The (predecessor, successor) pairs one after the other on the critical path."""
        path = self.critical_path
        return frozenset(pairwise(path))

    def late(self, today: date) -> tuple[ScheduledTask, ...]:
        """Unfinished tasks already late on `today`, in date order: due to end before it, or to start and not begun.

        The observation window runs by the calendar, so it is never late.
        """
        late = [task for task in self.tasks if not task.spec.done and task.spec.kind != "observation"
                and (task.end < today or (task.start < today and not task.spec.started))]
        return tuple(sorted(late, key=lambda task: (task.start, task.end)))

    def slippage(self, baseline: Mapping[str, tuple[date, date]]) -> dict[str, int]:
        """Per baseline task still in the plan: working days its end moved (+ later, - earlier)."""
        calendar = _calendar(self.holidays)
        moved: dict[str, int] = {}
        for key, (_, base_end) in baseline.items():
            task = self._by_key.get(key)
            if task is None:
                continue
            was, now = base_end.toordinal(), task.end.toordinal()
            moved[key] = calendar.count(was + 1, now) if now >= was else -calendar.count(now + 1, was)
        return moved


# -- scheduling -------------------------------------------------------------------------------------------------


def schedule(tasks: Sequence[TaskSpec], start: date, holidays: frozenset[date] = frozenset()) -> Schedule:
    """Schedule the tasks forward from `start` (moved to a working day), then backward from the project's end."""
    calendar = _calendar(frozenset(holidays))
    _validate(tasks)
    index = {spec.key: position for position, spec in enumerate(tasks)}
    order, successors = _topological_order(tasks, index)
    first = calendar.on_or_after(start.toordinal())
    if not tasks:
        return Schedule(start, date.fromordinal(first), (), frozenset(holidays))

    starts = [0] * len(tasks)
    ends = [0] * len(tasks)
    for position in order:
        starts[position], ends[position] = _place(tasks[position], calendar, first, index, ends)

    project_end = max(ends)
    late_starts, late_ends, slacks = _backward_pass(tasks, order, successors, calendar, starts, ends, project_end)
    chain = set(_critical_chain(tasks, order, index, calendar, starts, ends, slacks, project_end))
    placed = tuple(ScheduledTask(spec, date.fromordinal(starts[position]), date.fromordinal(ends[position]),
                                 date.fromordinal(late_starts[position]), date.fromordinal(late_ends[position]),
                                 slacks[position], position in chain)
                   for position, spec in enumerate(tasks))
    return Schedule(start, date.fromordinal(project_end), placed, frozenset(holidays))


def _backward_pass(tasks: Sequence[TaskSpec], order: Sequence[int], successors: Sequence[Sequence[tuple[int, int]]],
                   calendar: _Calendar, starts: Sequence[int], ends: Sequence[int],
                   project_end: int) -> tuple[list[int], list[int], list[int]]:
    """Late starts, late ends and slack (working days) of every task, measured back from the project's end."""
    sink_end = calendar.on_or_before(project_end)
    late_starts, late_ends, slacks = list(starts), list(ends), [0] * len(tasks)
    for position in reversed(order):
        spec = tasks[position]
        early_start, early_end = starts[position], ends[position]
        latest = sink_end
        for successor, lag in successors[position]:
            # latest end E with (E + lag working days) strictly before the successor's late start
            latest = min(latest, calendar.sub(calendar.on_or_before(late_starts[successor] - 1), lag))
        if spec.actual_finish is not None:
            continue  # finished: a fact, it does not move
        if spec.pinned:
            # a pinned span (or one begun on its actual start) keeps its length; its end may move as far as
            # its successors allow, and a pin held by the user is no reason to call the task critical
            slack = calendar.count(early_end + 1, latest)
            if slack:
                late_ends[position] = calendar.add(early_end, slack)
                if spec.actual_start is None:
                    late_starts[position] = calendar.add(early_start, slack)
                slacks[position] = slack
            continue
        late_end = latest
        late_start = calendar.span_start(late_end, spec.duration)
        if late_start > early_start:  # else a successor's actual dates came earlier than this plan allows
            late_starts[position], late_ends[position] = late_start, late_end
            # both are working days whenever they differ
            slacks[position] = calendar.count(early_start, late_start) - 1
    return late_starts, late_ends, slacks


def _critical_chain(tasks: Sequence[TaskSpec], order: Sequence[int], index: Mapping[str, int], calendar: _Calendar,
                    starts: Sequence[int], ends: Sequence[int], slacks: Sequence[int],
                    project_end: int) -> list[int]:
    """Positions of the longest chain of driving links between unfinished zero-slack tasks, ending on the end.

    Each task keeps the best chain ending on it: the one whose first task starts earliest, then the one with
    the most working days of work, then the one beginning with the task first in the plan.
    """
    best: dict[int, tuple[int, int, int]] = {}  # position -> (first task's start, -work, first task's position)
    driver: dict[int, int] = {}
    for position in order:
        spec = tasks[position]
        if slacks[position] or spec.done:
            continue
        work = max(1, calendar.count(starts[position], ends[position]))
        choice = (starts[position], -work, position)
        # a task pinned to a weekend day is driven by work ending on the last working day before it
        start = calendar.on_or_after(starts[position])
        for link in spec.depends_on:
            before = index[link.predecessor]
            if before not in best or calendar.add(ends[before], link.lag + 1) != start:
                continue
            origin, negative_work, first = best[before]
            candidate = (origin, negative_work - work, first)
            if candidate < choice:
                choice = candidate
                driver[position] = before
        best[position] = choice
    ending = [position for position in best if ends[position] == project_end]
    if not ending:
        return []
    chain = [min(ending, key=lambda position: (best[position], position))]
    while chain[-1] in driver:
        chain.append(driver[chain[-1]])
    return chain[::-1]


def _place(spec: TaskSpec, calendar: _Calendar, first: int, index: Mapping[str, int],
           ends: Sequence[int]) -> tuple[int, int]:
    """The (start, end) ordinals of one task whose predecessors are already placed."""
    ready = first
    blocked_until = None  # the latest day a predecessor (plus lag) keeps busy, and which one
    for link in spec.depends_on:
        predecessor_end = ends[index[link.predecessor]]
        busy = calendar.add(predecessor_end, link.lag)
        ready = max(ready, calendar.add(busy, 1))
        if blocked_until is None or busy > blocked_until[0]:
            blocked_until = (busy, link, predecessor_end)

    pin_start = spec.fixed_start.toordinal() if spec.fixed_start else None
    pin_end = spec.fixed_end.toordinal() if spec.fixed_end else None
    if spec.actual_start or spec.actual_finish:
        return _place_actual(spec, calendar, ready, pin_start, pin_end)
    if pin_start is not None:
        _check_pin(spec, pin_start, blocked_until, f"pinned to start on {spec.fixed_start}")
        return pin_start, pin_end if pin_end is not None else calendar.span_end(pin_start, spec.duration)
    if pin_end is not None:
        start = calendar.span_start(pin_end, spec.duration)
        _check_pin(spec, start, blocked_until,
                   f"pinned to end on {spec.fixed_end}, so it starts on {date.fromordinal(start)}")
        return start, pin_end
    return ready, calendar.span_end(ready, spec.duration)


def _check_pin(spec: TaskSpec, start: int, blocked_until: tuple[int, Link, int] | None, pin: str) -> None:
    """Refuse a pinned start that a predecessor (plus its lag) has not yet cleared."""
    if blocked_until is None or start > blocked_until[0]:
        return
    _, link, predecessor_end = blocked_until
    lag = f" and {link.lag} working day{'s' if link.lag != 1 else ''} of lag must follow" if link.lag else ""
    raise ScheduleError(f"plan task {spec.key}",
                        f"{pin}, but {link.predecessor} only ends on {date.fromordinal(predecessor_end)}{lag}")


def _place_actual(spec: TaskSpec, calendar: _Calendar, ready: int, pin_start: int | None,
                  pin_end: int | None) -> tuple[int, int]:
    """Place a task with actual dates: the facts win over pins and predecessors."""
    if spec.actual_start is not None:
        start = spec.actual_start.toordinal()
        if spec.actual_finish is not None:
            return start, spec.actual_finish.toordinal()
        if pin_end is not None and pin_end >= start:
            return start, pin_end
        return start, calendar.span_end(start, spec.duration)
    assert spec.actual_finish is not None
    finish = spec.actual_finish.toordinal()
    if pin_start is not None:
        planned = pin_start
    elif pin_end is not None:
        planned = calendar.span_start(pin_end, spec.duration)
    else:
        planned = ready
    return (planned if planned <= finish else calendar.span_start(finish, spec.duration)), finish


def _validate(tasks: Sequence[TaskSpec]) -> None:
    """Refuse empty or duplicate keys, out-of-range fields, reversed dates and unknown predecessors."""
    keys: set[str] = set()
    for number, spec in enumerate(tasks, start=1):
        if not spec.key or not spec.key.strip():
            raise ScheduleError(f"plan task number {number}", "it has no key")
        what = f"plan task {spec.key}"
        if spec.key in keys:
            raise ScheduleError(what, "the key is used by more than one task; keys must be unique")
        keys.add(spec.key)
        if spec.step not in STEPS:
            raise ScheduleError(what, f"the step must be 1 to 6, not {spec.step}")
        if spec.duration < 0:
            raise ScheduleError(what, f"the duration must be 0 or more working days, not {spec.duration}")
        if not 0 <= spec.percent_complete <= 100:
            raise ScheduleError(what, f"percent complete must be 0 to 100, not {spec.percent_complete}")
        if spec.fixed_start and spec.fixed_end and spec.fixed_end < spec.fixed_start:
            raise ScheduleError(what, f"the pinned end {spec.fixed_end} is before the pinned start "
                                      f"{spec.fixed_start}")
        if spec.actual_start and spec.actual_finish and spec.actual_finish < spec.actual_start:
            raise ScheduleError(what, f"the actual finish {spec.actual_finish} is before the actual start "
                                      f"{spec.actual_start}")
        for link in spec.depends_on:
            if link.lag < 0:
                raise ScheduleError(what, f"the lag after {link.predecessor} must be 0 or more working days, "
                                          f"not {link.lag}")
    for spec in tasks:
        for link in spec.depends_on:
            if link.predecessor not in keys:
                raise ScheduleError(f"plan task {spec.key}",
                                    f"it depends on {link.predecessor}, which is not a task of the plan")


def _topological_order(tasks: Sequence[TaskSpec],
                       index: Mapping[str, int]) -> tuple[list[int], list[list[tuple[int, int]]]]:
    """Kahn's algorithm: positions in dependency order, and each task's (successor, lag) links."""
    waiting = [0] * len(tasks)
    successors: list[list[tuple[int, int]]] = [[] for _ in tasks]
    for position, spec in enumerate(tasks):
        for link in spec.depends_on:
            successors[index[link.predecessor]].append((position, link.lag))
            waiting[position] += 1
    ready = deque(position for position, count in enumerate(waiting) if count == 0)
    order: list[int] = []
    while ready:
        position = ready.popleft()
        order.append(position)
        for successor, _ in successors[position]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                ready.append(successor)
    if len(order) < len(tasks):
        raise _cycle_error(tasks, index, waiting)
    return order, successors


def _cycle_error(tasks: Sequence[TaskSpec], index: Mapping[str, int], waiting: Sequence[int]) -> ScheduleError:
    """Name the tasks around one dependency cycle among those Kahn's algorithm could not order."""
    # every task left waiting has a predecessor that is also left waiting, so walking back must loop
    current = next(position for position, count in enumerate(waiting) if count > 0)
    seen: dict[int, int] = {}
    walk: list[int] = []
    while current not in seen:
        seen[current] = len(walk)
        walk.append(current)
        current = next(index[link.predecessor] for link in tasks[current].depends_on
                       if waiting[index[link.predecessor]] > 0)
    loop = walk[seen[current]:][::-1]  # predecessor first
    lead = loop.index(min(loop))
    loop = loop[lead:] + loop[:lead]
    around = " -> ".join(tasks[position].key for position in [*loop, loop[0]])
    return ScheduleError("plan dependency cycle", f"{around}: each of these tasks waits for the one before it, "
                                                  "so none of them can start")
