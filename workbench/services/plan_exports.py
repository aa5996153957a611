"""The plan for others: an ICS calendar of milestones and deadlines, an xlsx task table, a printable PDF timeline.

Each names the audit-trail chain head when it was made (DESIGN §4): the calendar in its description and an X- property,
the workbook on an "About" sheet and in its properties, the timeline under its title on every page.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from workbench.domain import palette
from workbench.domain.enums import AssessmentStatus
from workbench.domain.errors import ValidationError
from workbench.domain.schedule import Schedule, ScheduledTask
from workbench.services.exports.chain_head import ChainHead, read_chain_head
from workbench.services.exports.output import atomic_output
from workbench.services.plan import PlanView, months_between, plan_view
from workbench.services.session import OpenProject

STEP_TITLES = {1: "Define scope", 2: "Readiness assessment", 3: "Implement controls", 4: "Collect evidence",
               5: "Engage a CPA firm", 6: "Receive and share"}
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f]")
NAME_CHARS = 200  # of a task or organisation name in a calendar event or on the timeline; the xlsx keeps them whole
ICS_CHAIN_HEAD = "X-SOC2-WORKBENCH-AUDIT-CHAIN-HEAD"


@dataclass(frozen=True)
class _Plan:
    view: PlanView
    schedule: Schedule
    chain: ChainHead


def _plan(project: OpenProject) -> _Plan:
    view = plan_view(project)
    if view.schedule is None:
        raise ValidationError(str(project.path), "has no plan yet; generate one first (workbench plan)")
    return _Plan(view, view.schedule, read_chain_head(project))


def _project_id(view: PlanView) -> str:
    """Return a short identifier stable for one project (its organisation and creation time)."""
    created = view.settings.created_at.isoformat() if view.settings.created_at else ""
    return hashlib.sha256(f"{view.settings.organization}|{created}".encode()).hexdigest()[:16]


def _one_line(text: str) -> str:
    return " ".join(_UNPRINTABLE.sub(" ", text).split())


def _short(text: str, limit: int = NAME_CHARS) -> str:
    """Return text on one line, cut to `limit` characters with an ellipsis (looking at no more than it needs)."""
    line = _one_line(text[:limit * 2])
    return line if len(line) <= limit and len(text) <= limit * 2 else line[:limit - 1].rstrip() + "…"


# -- ICS -----------------------------------------------------------------------------------------------------

def export_ics(project: OpenProject, path: Path | str) -> Path:
    """Write every milestone (on its day) and every task's finish (as a deadline) as all-day calendar events."""
    from icalendar import Calendar, Event

    plan = _plan(project)
    ident = _project_id(plan.view)
    organization = _short(plan.view.settings.organization)
    stamp = project.now()
    calendar = Calendar()
    calendar.add("prodid", "-//SOC 2 Workbench//Timeline plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"SOC 2 plan - {organization}")
    calendar.add("x-wr-caldesc", plan.chain.line)
    calendar.add(ICS_CHAIN_HEAD, plan.chain.head)
    for task in plan.schedule.tasks:
        event = Event()
        if task.milestone:
            event.add("uid", f"{task.key}.milestone.{ident}@soc2-workbench")
            event.add("summary", _short(task.name))
            day = task.start
        else:
            event.add("uid", f"{task.key}.deadline.{ident}@soc2-workbench")
            event.add("summary", f"Deadline: {_short(task.name)}")
            day = task.end
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("description", f"{organization}: step {task.step} ({STEP_TITLES.get(task.step, '')}); "
                                 f"{task.start.isoformat()} to {task.end.isoformat()}"
                                 f"{'; on the critical path' if task.critical else ''}")
        event.add("categories", ["SOC 2", STEP_TITLES.get(task.step, "Plan")])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    with atomic_output(path) as temporary:
        temporary.write_bytes(calendar.to_ical())
    return Path(path)


# -- xlsx ----------------------------------------------------------------------------------------------------

XLSX_HEADERS = ["ID", "Task", "Step", "Kind", "Start", "End", "Working days", "Milestone", "Depends on",
                "Critical", "Slack (working days)", "% complete", "Actual start", "Actual finish",
                "Baseline start", "Baseline end", "Slippage (working days)"]


def _rows(plan: _Plan) -> list[list[object]]:
    baseline = plan.view.baseline
    slips = plan.schedule.slippage(baseline) if baseline else {}
    rows: list[list[object]] = []
    for t in plan.schedule.tasks:
        base = baseline.get(t.key)
        rows.append([
            t.key, t.name, f"{t.step} {STEP_TITLES.get(t.step, '')}", t.spec.kind or "task", t.start, t.end,
            t.spec.duration, "yes" if t.milestone else "no",
            ", ".join(f"{link.predecessor}" + (f" +{link.lag}" if link.lag else "") for link in t.spec.depends_on),
            "yes" if t.critical else "no", t.slack, t.spec.percent_complete, t.spec.actual_start, t.spec.actual_finish,
            base[0] if base else None, base[1] if base else None, slips.get(t.key) if base else None,
        ])
    return rows


def export_plan_xlsx(project: OpenProject, path: Path | str) -> Path:
    """Write the plan's task table (one row per task, values only, no formulas; over-long names kept whole)."""
    from openpyxl import Workbook

    from workbench.services.exports.cells import (
        LongTexts,
        SheetStyles,
        SheetWriter,
        discard_workbook,
        set_table_layout,
    )
    from workbench.services.exports.chain_head import write_about_sheet

    plan = _plan(project)
    rows = _rows(plan)
    with atomic_output(path) as temporary:
        workbook = Workbook(write_only=True)
        try:
            sheet = workbook.create_sheet("Plan")
            set_table_layout(sheet, XLSX_HEADERS, rows)
            styles, long_texts = SheetStyles(sheet), LongTexts(["Plan"])
            writer = SheetWriter(sheet, styles, [], long_texts)
            writer.header(XLSX_HEADERS)
            for row in rows:
                writer.append(row)
            long_texts.write(workbook, styles, [])
            write_about_sheet(workbook, styles, plan.chain.rows())
            workbook.properties.description = plan.chain.line
            workbook.save(temporary)
        except BaseException:
            discard_workbook(workbook)
            raise
    return Path(path)


# -- PDF -----------------------------------------------------------------------------------------------------

ROW_HEIGHT = 14.0
MARGIN = 28.0
HEADER_HEIGHT = 64.0
LEGEND_HEIGHT = 40.0
CRITICAL_WORDS = palette.TONES[AssessmentStatus.GAP].text_on_light  # the critical path's red, readable as text


def _printable(text: str) -> str:
    from workbench.services.exports.pdf_parts import plain

    return plain(_short(text))


def _month_starts(first: date, last: date) -> list[date]:
    months, current = [], date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


class _Timeline:
    """Draws the plan's bars on landscape pages: a name column, a month scale and one row per task."""

    def __init__(self, canvas: object, plan: _Plan, width: float, height: float) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        from workbench.services.exports.pdf_parts import fit_line, package_fonts

        self.c, self.plan, self.width, self.height = canvas, plan, width, height
        self.width_of, self.fit = stringWidth, fit_line
        fonts = package_fonts()  # the family of every PDF the program writes
        self.font, self.bold = fonts.regular, fonts.bold
        longest = max((stringWidth(_printable(t.name), self.bold, 7) for t in plan.schedule.tasks), default=100)
        self.name_width = min(max(longest + 12, 140), 300)
        self.first = date(plan.schedule.start.year, plan.schedule.start.month, 1)
        ends = [plan.schedule.end, *(b for _, b in plan.view.baseline.values())]
        self.last = max(ends) + timedelta(days=1)
        self.x0 = MARGIN + self.name_width
        self.x1 = width - MARGIN
        self.top = height - MARGIN - HEADER_HEIGHT
        self.bottom = MARGIN + LEGEND_HEIGHT
        self.rows_per_page = max(int((self.top - self.bottom) // ROW_HEIGHT), 1)

    def x(self, day: date) -> float:
        span = max((self.last - self.first).days, 1)
        return self.x0 + (self.x1 - self.x0) * (day - self.first).days / span

    def header(self, page: int, pages: int) -> None:
        c, view, plan = self.c, self.plan.view, self.plan.schedule
        c.setFillColor("#000000")
        c.setFont(self.bold, 13)
        c.drawString(MARGIN, self.height - MARGIN - 8, self.fit(
            _printable(f"SOC 2 plan - {view.settings.organization}"), self.bold, 13, self.width - 2 * MARGIN))
        c.setFont(self.font, 8)
        template = f"; template {view.template}" if view.template else ""
        c.drawString(MARGIN, self.height - MARGIN - 22, _printable(
            f"{plan.start.isoformat()} to {plan.end.isoformat()} ({months_between(plan.start, plan.end)} months)"
            f"{template}; page {page} of {pages}"))
        c.drawString(MARGIN, self.height - MARGIN - 34, _printable(self.plan.chain.line))
        scale_y = self.top + 6
        c.setStrokeColor("#999999")
        c.setLineWidth(0.3)
        for month in _month_starts(self.first, self.last):
            x = self.x(month)
            c.line(x, self.bottom, x, scale_y + 12)
            label = month.strftime("%b %Y") if month.month == 1 or month == self.first else month.strftime("%b")
            if self.x(month) + 20 < self.x1:
                c.drawString(x + 2, scale_y, label)
        c.setFont(self.bold, 8)
        c.drawString(MARGIN, scale_y, "Task")

    def window(self) -> None:
        observation = self.plan.view.observation
        if observation is None:
            return
        c = self.c
        left, right = self.x(observation[0]), self.x(observation[1] + timedelta(days=1))
        c.setFillColor(palette.OBSERVATION_SHADE)
        c.rect(left, self.bottom, max(right - left, 1.5), self.top - self.bottom, stroke=0, fill=1)

    def today(self) -> None:
        today = self.plan.view.today
        if self.first <= today <= self.last:
            c = self.c
            c.setStrokeColor(palette.TODAY_LINE)
            c.setDash(2, 2)
            c.line(self.x(today), self.bottom, self.x(today), self.top)
            c.setDash()

    def row(self, index: int, task: ScheduledTask) -> None:
        c = self.c
        y = self.top - (index + 1) * ROW_HEIGHT
        middle = y + ROW_HEIGHT / 2
        c.setFillColor(CRITICAL_WORDS if task.critical else "#000000")
        c.setFont(self.bold if task.critical else self.font, 7)
        c.drawString(MARGIN, middle - 2.5, self.fit(_printable(task.name), self.bold, 7, self.name_width - 8))
        base = self.plan.view.baseline.get(task.key)
        if base:
            c.setStrokeColor("#888888")
            c.setLineWidth(0.8)
            c.line(self.x(base[0]), y + 2, self.x(base[1] + timedelta(days=1)), y + 2)
        colour = palette.step_colour(task.step)
        if task.milestone:
            milestone = palette.CPA_MILESTONE if task.spec.kind == "cpa" else colour
            self._diamond(self.x(task.start), middle, 4.5, milestone, task.critical)
            return
        left, right = self.x(task.start), self.x(task.end + timedelta(days=1))
        c.setFillColor(colour)
        c.setStrokeColor(palette.CRITICAL if task.critical else colour)
        c.setLineWidth(1.4 if task.critical else 0.5)
        c.rect(left, y + 3.5, max(right - left, 1.5), ROW_HEIGHT - 7, stroke=1, fill=1)
        if task.spec.percent_complete:
            c.setFillColor("#333333")
            c.rect(left, y + 6, (right - left) * task.spec.percent_complete / 100, 2, stroke=0, fill=1)

    def _diamond(self, x: float, y: float, size: float, colour: str, critical: bool) -> None:
        c = self.c
        c.setFillColor(colour)
        c.setStrokeColor(palette.CRITICAL if critical else "#333333")
        c.setLineWidth(1.2 if critical else 0.5)
        path = c.beginPath()
        path.moveTo(x, y + size)
        path.lineTo(x + size, y)
        path.lineTo(x, y - size)
        path.lineTo(x - size, y)
        path.close()
        c.drawPath(path, stroke=1, fill=1)

    def legend(self) -> None:
        c = self.c
        y = MARGIN + 18
        x = MARGIN
        c.setFont(self.font, 7)
        for step, title in STEP_TITLES.items():
            c.setFillColor(palette.step_colour(step))
            c.rect(x, y, 10, 6, stroke=0, fill=1)
            c.setFillColor("#000000")
            label = f"{step} {title}"
            c.drawString(x + 13, y, label)
            x += 18 + self.width_of(label, self.font, 7)
        y -= 14
        x = MARGIN
        self._diamond(x + 5, y + 3, 4, "#BBBBBB", False)
        c.setFillColor("#000000")
        c.drawString(x + 13, y, "Milestone")
        x += 70
        c.setFillColor(palette.OBSERVATION_SHADE)
        c.rect(x, y - 1, 14, 8, stroke=0, fill=1)
        c.setFillColor("#000000")
        c.drawString(x + 17, y, "Observation window (audit period)")
        x += 150
        c.setStrokeColor(palette.CRITICAL)
        c.setLineWidth(1.4)
        c.setFillColor("#FFFFFF")
        c.rect(x, y - 1, 14, 8, stroke=1, fill=1)
        c.setFillColor(CRITICAL_WORDS)
        c.drawString(x + 17, y, "Critical path (bold red names)")
        x += 130
        c.setStrokeColor("#888888")
        c.setLineWidth(0.8)
        c.line(x, y + 3, x + 14, y + 3)
        c.setFillColor("#000000")
        c.drawString(x + 17, y, "Baseline")
        x += 55
        c.setStrokeColor(palette.TODAY_LINE)
        c.setDash(2, 2)
        c.line(x + 7, y - 2, x + 7, y + 8)
        c.setDash()
        c.drawString(x + 13, y, "Today")


def export_plan_pdf(project: OpenProject, path: Path | str) -> Path:
    """Write a printable landscape timeline: bars by step colour, milestone diamonds, the window, a legend."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    from workbench.services.exports.pdf_parts import package_fonts

    plan = _plan(project)
    width, height = landscape(A4)
    with atomic_output(path) as temporary:
        # The initial font is written on every page: ours, not reportlab's Helvetica.
        canvas = Canvas(str(temporary), pagesize=(width, height), invariant=1, initialFontName=package_fonts().regular)
        canvas.setTitle(_printable(f"SOC 2 plan - {plan.view.settings.organization}"))
        canvas.setAuthor("SOC 2 Workbench")
        canvas.setSubject(plan.chain.line)
        timeline = _Timeline(canvas, plan, width, height)
        tasks = list(plan.schedule.tasks)
        per_page = timeline.rows_per_page
        pages = max((len(tasks) + per_page - 1) // per_page, 1)
        for page in range(pages):
            timeline.window()
            timeline.header(page + 1, pages)
            timeline.today()
            for index, task in enumerate(tasks[page * per_page:(page + 1) * per_page]):
                timeline.row(index, task)
            timeline.legend()
            canvas.showPage()
        canvas.save()
    return Path(path)
