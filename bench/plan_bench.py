"""Time planning a 500-task plan with our scheduling engine against a plain-Python critical-path computation.

The plan is built deterministically in the templates' shape: the six steps in order, each a milestone closing a
set of parallel workstreams (chains of tasks of 2-10 working days, some with lags, some linked across streams),
each step's streams starting after the previous step's milestone; ten holidays in the year.
  ours: workbench.domain.schedule.schedule() (validation, working-day calendar, forward and backward passes,
        slack) and the Schedule's critical_path.
  raw:  the same graph in plain Python: Kahn's topological sort, forward and backward passes over working-day
        numbers, slack and a critical chain, with the dates read from a precomputed list of working days.
Both agree on every task's dates and slack (checked). Times are medians of --runs after a warm-up; peak memory
is each side's peak allocation (tracemalloc) and this process's peak resident size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
from collections import deque
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from _common import Figure, emit, self_peak_mib

from workbench.domain.schedule import Link, Schedule, TaskSpec, schedule

TASKS = 500
RUNS = 31
START = date(2026, 9, 1)
HOLIDAYS = frozenset(date(2026, 9, 1) + timedelta(days=d) for d in (6, 53, 84, 114, 118, 125, 146, 180, 240, 300))


def build_plan(count: int = TASKS) -> list[TaskSpec]:
    """Return `count` tasks in the templates' shape (steps of parallel chains closed by a milestone each)."""
    rng = random.Random(9)
    per_step = max(2, count // 6)
    tasks: list[TaskSpec] = []
    previous_milestone: str | None = None
    for step in range(1, 7):
        budget = per_step if step < 6 else count - len(tasks) - 1
        streams: list[list[str]] = []
        for number in range(budget):
            if not streams or (len(streams) < 20 and rng.random() < 0.3):
                streams.append([])
            stream = streams[rng.randrange(len(streams))] if rng.random() < 0.8 else streams[-1]
            key = f"s{step}-t{number:03d}"
            links = [Link(stream[-1], rng.choice((0, 0, 0, 2)))] if stream else \
                ([Link(previous_milestone)] if previous_milestone else [])
            other = [s for s in streams if s and s is not stream]
            if other and rng.random() < 0.2:
                links.append(Link(rng.choice(other)[-1]))
            tasks.append(TaskSpec(key, f"Step {step} task {number}", step, rng.randint(2, 10), tuple(links)))
            stream.append(key)
        previous_milestone = f"s{step}-done"
        tasks.append(TaskSpec(previous_milestone, f"Step {step} done", step, 0,
                              tuple(Link(s[-1]) for s in streams if s)))
    return tasks[:count]


def ours(tasks: Sequence[TaskSpec]) -> tuple[Schedule, tuple[str, ...]]:
    """Schedule with our engine and take the critical path."""
    plan = schedule(tasks, START, HOLIDAYS)
    return plan, plan.critical_path


def raw_cpm(tasks: Sequence[TaskSpec]) -> dict[str, tuple[date, date, int]]:
    """Plain critical-path method in working days; return each task's (start, end, slack) and mark a chain."""
    span = [max(t.duration, 1) for t in tasks]  # a milestone occupies one day
    days: list[date] = []
    day = START
    longest = sum(span) + sum(link.lag for t in tasks for link in t.depends_on)
    while len(days) <= longest:  # working days from the start on: number n is days[n]
        if day.weekday() < 5 and day not in HOLIDAYS:
            days.append(day)
        day += timedelta(days=1)
    index = {t.key: i for i, t in enumerate(tasks)}
    successors: list[list[tuple[int, int]]] = [[] for _ in tasks]
    waiting = [len(t.depends_on) for t in tasks]
    for i, t in enumerate(tasks):
        for link in t.depends_on:
            successors[index[link.predecessor]].append((i, link.lag))
    ready = deque(i for i, n in enumerate(waiting) if n == 0)
    order: list[int] = []
    while ready:
        i = ready.popleft()
        order.append(i)
        for j, _ in successors[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                ready.append(j)
    early = [0] * len(tasks)
    for i in order:
        for link in tasks[i].depends_on:
            p = index[link.predecessor]
            early[i] = max(early[i], early[p] + span[p] + link.lag)
    finish = max(e + s for e, s in zip(early, span, strict=True))
    late = [finish - s for s in span]
    for i in reversed(order):
        for j, lag in successors[i]:
            late[i] = min(late[i], late[j] - lag - span[i])
    chain = [max(range(len(tasks)), key=lambda i: (early[i] + span[i], -i))]
    while True:  # walk back through critical predecessors that drive each task
        i = chain[-1]
        driver = next((index[link.predecessor] for link in tasks[i].depends_on
                       if late[index[link.predecessor]] == early[index[link.predecessor]]
                       and early[index[link.predecessor]] + span[index[link.predecessor]] + link.lag == early[i]),
                      None)
        if driver is None:
            break
        chain.append(driver)
    return {t.key: (days[early[i]], days[early[i] + span[i] - 1], late[i] - early[i]) for i, t in enumerate(tasks)}


def timed(runs: int, action: Callable[[], Any]) -> tuple[float, float]:
    """Return the median seconds of `runs` calls after a warm-up, and the peak allocation (MiB) of one call."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1] / (1 << 20)
    tracemalloc.stop()
    return statistics.median(times), peak


def main() -> int:
    """Build the plan, check both sides agree, time them and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=TASKS)
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed runs of each side (default {RUNS})")
    parser.add_argument("--json", action="store_true", help="print the figure as JSON (for run_all.py)")
    args = parser.parse_args()
    tasks = build_plan(args.tasks)
    plan, path = ours(tasks)
    raw = raw_cpm(tasks)
    mismatched = [t.key for t in plan.tasks if raw[t.key] != (t.start, t.end, t.slack)]
    if mismatched:
        raise SystemExit(f"error: the two sides disagree on {len(mismatched)} tasks, first {mismatched[0]}")
    ours_s, ours_peak = timed(args.runs, lambda: ours(tasks))
    raw_s, raw_peak = timed(args.runs, lambda: raw_cpm(tasks))
    figure = Figure(f"Plan {len(tasks)} tasks: schedule + critical path (in process)", ours_s, raw_s,
                    "none set", self_peak_mib(), None, args.runs,
                    [f"allocations at peak: ours {ours_peak:.1f} MiB, plain Python {raw_peak:.1f} MiB"])
    if args.json:
        emit([figure], True)
        return 0
    links = sum(len(t.depends_on) for t in tasks)
    print(f"plan: {len(tasks)} tasks, {links} dependencies, {plan.start} to {plan.end}, critical path of "
          f"{len(path)} tasks")
    print(f"plain Python CPM (topological sort, forward and backward pass): {raw_s * 1000:.2f} ms median of "
          f"{args.runs}, peak allocation {raw_peak:.1f} MiB")
    print(f"workbench schedule() + critical_path: {ours_s * 1000:.2f} ms median of {args.runs}, peak allocation "
          f"{ours_peak:.1f} MiB")
    print(f"ratio: {figure.ratio:.2f}; this process's peak memory {figure.peak_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
