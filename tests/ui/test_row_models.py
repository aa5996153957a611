"""Every thin table model, filled from the sample project, passes Qt's model tester and shows its records."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.ui.conftest import SAMPLE
from workbench.services.session import open_project
from workbench.ui.pages.assessment_model import AssessmentTreeModel
from workbench.ui.pages.audit_models import MilestoneModel, RequestModel
from workbench.ui.pages.evidence_model import ControlsModel, EvidenceModel
from workbench.ui.pages.report_models import DistributionModel, ExceptionModel
from workbench.ui.pages.scope_models import ComponentModel, CuecModel, SubserviceModel

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def sample_records(tmp_path_factory):
    import shutil

    from workbench.services import assessment, report

    copy = tmp_path_factory.mktemp("rows") / SAMPLE.name
    shutil.copyfile(SAMPLE, copy)
    with open_project(copy) as project:
        reports = report.list_reports(project)
        criteria = assessment.criteria_in_scope(project)
        with project.uow() as uow:
            return {
                "components": uow.components.list(), "subservices": uow.subservices.list(),
                "cuecs": uow.cuecs.list(), "milestones": uow.engagement.milestones(),
                "requests": uow.requests.list(), "controls": [(c, 0) for c in uow.controls.list()],
                "evidence": uow.evidence.list(), "exceptions": [e for r in reports for e in r.exceptions],
                "distribution": [d for r in reports for d in r.distributions], "criteria": criteria,
            }


@pytest.mark.parametrize(("model_class", "key", "needs_today"), [
    (ComponentModel, "components", False), (SubserviceModel, "subservices", False), (CuecModel, "cuecs", False),
    (MilestoneModel, "milestones", True), (RequestModel, "requests", True),
    (ControlsModel, "controls", False), (EvidenceModel, "evidence", False),
    (ExceptionModel, "exceptions", False), (DistributionModel, "distribution", False),
])
def test_table_models_are_sound_and_show_every_record(qtmodeltester, sample_records, model_class, key, needs_today):
    records = sample_records[key]
    assert records, f"the sample has no {key}"
    model = model_class()
    if needs_today:
        model.set_rows(records, TODAY)
    else:
        model.set_rows(records)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(records)
    assert model.columnCount() == len(model.HEADERS) > 0
    header = model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert header == model.HEADERS[0]
    first = model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole)
    assert isinstance(first, str) and first.strip()
    model.set_rows([])
    assert model.rowCount() == 0 and model.rowCount(model.index(0, 0)) == 0


def test_the_assessment_tree_is_sound(qapp, qtmodeltester, sample_records):
    model = AssessmentTreeModel()
    model.set_rows(sample_records["criteria"])
    qtmodeltester.check(model, force_py=True)
    series_rows = sum(model.rowCount(model.index(row, 0, QModelIndex())) for row in range(model.rowCount()))
    assert series_rows > 0
