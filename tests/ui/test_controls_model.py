"""The controls table model: Qt's model checks, display, and sorting and filtering through the proxy."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from workbench.domain.entities import Control
from workbench.domain.enums import ControlStatus, Frequency, Nature
from workbench.ui.labels import plain_tip
from workbench.ui.pages.controls_model import (
    CONTROL_ROLE,
    CRITERIA,
    EVIDENCE,
    FREQUENCY,
    HEADERS,
    NOT_MAPPED,
    OWNER,
    REF,
    STATUS,
    TITLE,
    ControlItem,
    ControlsFilter,
    ControlsModel,
    natural_key,
)

ROWS = [
    ControlItem(Control("AC-10", "Access review", id=1, owner="Ana", frequency=Frequency.QUARTERLY,
                        nature=Nature.MANUAL, status=ControlStatus.IMPLEMENTED, criteria=("CC6.2", "CC6.3")), 10),
    ControlItem(Control("AC-2", "Offboarding", id=2, owner="Ben", frequency=Frequency.EVENT_DRIVEN,
                        status=ControlStatus.IN_PROGRESS, criteria=("CC6.2",)), 2),
    ControlItem(Control("bk-1", "Backups <b>nightly</b>", id=3, frequency=Frequency.DAILY,
                        nature=Nature.AUTOMATED, description="Snapshots to a second region"), 0),
    ControlItem(Control("CM-1", "Change review", id=4, owner="Ana", criteria=("CC8.1", "CC7.1", "CC5.2")), 1),
]


def _model() -> ControlsModel:
    model = ControlsModel()
    model.set_rows(ROWS)
    return model


def _proxy(model: ControlsModel) -> ControlsFilter:
    proxy = ControlsFilter()
    proxy.setSourceModel(model)
    return proxy


def _refs(proxy: ControlsFilter) -> list[str]:
    return [proxy.index(row, REF).data() for row in range(proxy.rowCount())]


def test_the_model_passes_qt_model_checks(qtmodeltester):
    model = _model()
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_the_proxy_passes_qt_model_checks(qtmodeltester):
    proxy = _proxy(_model())
    proxy.set_search("review")
    proxy.sort(EVIDENCE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_cells_show_the_controls_fields():
    model = _model()
    assert model.rowCount() == 4 and model.columnCount() == len(HEADERS) == 8
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)] == list(HEADERS)
    first = [model.index(0, column).data() for column in range(8)]
    assert first == ["AC-10", "Access review", "Ana", "Quarterly", "Manual", "Implemented", "CC6.2, CC6.3", "10"]
    assert model.index(2, TITLE).data() == "Backups <b>nightly</b>"
    # The whole title above the description, shown literally (not as markup).
    assert model.index(2, TITLE).data(Qt.ItemDataRole.ToolTipRole) == \
        plain_tip("Backups <b>nightly</b>\n\nSnapshots to a second region")
    assert "&lt;b&gt;nightly" in model.index(2, TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(2, CRITERIA).data() == NOT_MAPPED
    assert isinstance(model.index(2, CRITERIA).data(Qt.ItemDataRole.ForegroundRole), QColor)
    assert model.index(3, CRITERIA).data(Qt.ItemDataRole.ToolTipRole) == "3 criteria: CC8.1, CC7.1, CC5.2"
    assert isinstance(model.index(0, STATUS).data(Qt.ItemDataRole.DecorationRole), QColor)
    assert model.index(1, OWNER).data(CONTROL_ROLE) is ROWS[1].control
    assert model.index(2, FREQUENCY).data() == "Daily" and model.index(3, FREQUENCY).data() == ""


def test_set_rows_replaces_everything_in_one_reset(qtbot):
    model = _model()
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset]):
        model.set_rows(ROWS[:1])
    assert model.rowCount() == 1


def test_references_sort_naturally_and_numbers_sort_as_numbers():
    proxy = _proxy(_model())
    proxy.sort(REF, Qt.SortOrder.AscendingOrder)
    assert _refs(proxy) == ["AC-2", "AC-10", "bk-1", "CM-1"]
    proxy.sort(EVIDENCE, Qt.SortOrder.AscendingOrder)
    assert _refs(proxy) == ["bk-1", "CM-1", "AC-2", "AC-10"]  # 0, 1, 2, 10 - not "10" before "2"
    proxy.sort(CRITERIA, Qt.SortOrder.DescendingOrder)
    assert _refs(proxy)[0] == "CM-1" and _refs(proxy)[-1] == "bk-1"
    proxy.sort(FREQUENCY, Qt.SortOrder.AscendingOrder)
    assert _refs(proxy) == ["bk-1", "AC-10", "AC-2", "CM-1"]  # daily, quarterly, event driven, not set
    proxy.sort(STATUS, Qt.SortOrder.AscendingOrder)
    assert _refs(proxy)[:2] == ["bk-1", "CM-1"] and _refs(proxy)[-1] == "AC-10"
    assert natural_key("AC-9") < natural_key("ac-10")


def test_filters_combine_with_search():
    proxy = _proxy(_model())
    proxy.set_owner("Ana")
    assert sorted(_refs(proxy)) == ["AC-10", "CM-1"]
    proxy.set_status(ControlStatus.NOT_STARTED)
    assert _refs(proxy) == ["CM-1"]
    proxy.set_status(None)
    proxy.set_owner("")
    assert _refs(proxy) == ["bk-1"]
    proxy.set_owner(None)
    proxy.set_frequency("")
    assert _refs(proxy) == ["CM-1"]
    proxy.set_frequency(Frequency.QUARTERLY.value)
    assert _refs(proxy) == ["AC-10"]
    proxy.set_frequency(None)
    proxy.set_search("SECOND region")
    assert _refs(proxy) == ["bk-1"]
    proxy.set_search("cc6.2 ben")
    assert _refs(proxy) == ["AC-2"]
    proxy.set_search("")
    assert proxy.rowCount() == 4


def test_a_sorted_table_keeps_its_order_and_selection_through_reloads_and_filters(qtbot):
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QTableView

    model = _model()
    proxy = _proxy(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(EVIDENCE, Qt.SortOrder.DescendingOrder)
    assert _refs(proxy) == ["AC-10", "AC-2", "CM-1", "bk-1"]
    view.selectionModel().setCurrentIndex(proxy.index(2, REF), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QItemSelectionModel.SelectionFlag.Rows)
    view.sortByColumn(REF, Qt.SortOrder.AscendingOrder)
    assert _refs(proxy) == ["AC-2", "AC-10", "bk-1", "CM-1"]
    assert view.selectionModel().currentIndex().data() == "CM-1"
    assert [i.data() for i in view.selectionModel().selectedRows()] == ["CM-1"]
    proxy.set_owner("Ana")
    assert _refs(proxy) == ["AC-10", "CM-1"]
    proxy.set_owner(None)
    view.sortByColumn(TITLE, Qt.SortOrder.DescendingOrder)
    model.set_rows(list(reversed(ROWS)))  # a reload comes back in the order the user chose
    assert _refs(proxy) == ["AC-2", "CM-1", "bk-1", "AC-10"]
    assert [model.index(row, REF).data() for row in range(4)] == ["AC-2", "CM-1", "bk-1", "AC-10"]
