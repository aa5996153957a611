"""The store moves every date a project holds in one unit of work, and the audit trail records it."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from workbench.services.integrity import check_project
from workbench.services.session import open_project

SAMPLE = Path(__file__).resolve().parents[2] / "sample_projects" / "brightpath-analytics.soc2"


def _dates(project):
    with project.uow() as uow:
        settings = uow.settings.get()
        return {
            "period": (settings.period_start, settings.period_end),
            "evidence": sorted((e.id, e.collected_on, e.period_start, e.period_end) for e in uow.evidence.list()),
            "items": [(i.key, i.day) for p in uow.populations.list() for i in uow.populations.items(p.id)],
            "sampled": [(i.key, i.day) for s in uow.samples.list() for i in s.items],
            "tasks": sorted((t.id, t.due) for t in uow.tasks.list()),
        }


def test_shift_dates_moves_every_date_and_keeps_the_project_sound(tmp_path):
    copy = tmp_path / "copy.soc2"
    shutil.copyfile(SAMPLE, copy)
    week = timedelta(days=7)
    with open_project(copy) as project:
        before = _dates(project)
        with project.uow() as uow:
            assert uow.shift_dates(lambda day, _bound: day + week) > 100
            uow.commit()
        after = _dates(project)
        assert all(result.ok for result in check_project(project))

    def moved(value):
        if isinstance(value, date):
            return value + week
        if isinstance(value, tuple | list):
            return type(value)(moved(v) for v in value)
        return value

    assert after == {name: moved(values) for name, values in before.items()}
    assert after["items"] and after["sampled"]
