"""Dialogs that edit one component, subservice organisation or complementary user entity control."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.entities import Component, Cuec, Subservice
from workbench.domain.enums import ComponentKind, SubserviceMethod
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import ok_button, ok_cancel, set_field, text_box
from workbench.ui.pages.scope_csocs import CsocEditor, parse_criteria

METHOD_LABELS = {
    SubserviceMethod.CARVE_OUT: "Carve-out: their controls are excluded from your report",
    SubserviceMethod.INCLUSIVE: "Inclusive: their controls are described and tested in your report",
}


def _field(text: str) -> QLineEdit:
    """Return a one-line field showing `text` from its start."""
    field = QLineEdit()
    set_field(field, text)
    return field


def _text_box(text: str, lines: int = 4) -> QPlainTextEdit:
    box = text_box(text)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 16)
    return box


class RecordDialog(EditDialog):
    """An OK/Cancel dialog whose OK button waits until the required field is filled."""

    required = "name"  # the field that must be filled

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        self.buttons = ok_cancel(self)
        layout.addWidget(self.buttons)

    def require(self, filled: bool) -> None:
        """Enable OK only when the required field has text."""
        ok_button(self.buttons).setEnabled(filled)

    def accept(self) -> None:
        """Close with OK, unless the required field is still empty."""
        if ok_button(self.buttons).isEnabled():
            super().accept()

    def refusal(self) -> str:
        """Return why the record cannot be saved as entered, or ""."""
        if problem := self.problem():
            return problem
        filled = self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        return "" if filled else f"the {self.required} cannot be empty"

    def problem(self) -> str:
        """Return why a field other than the required one is refused, or "" (a subclass with such fields says)."""
        return ""

    def check(self, filled: bool) -> None:
        """Enable OK when the required field has text and nothing else is refused."""
        self.require(filled and not self.problem())


class ComponentDialog(RecordDialog):
    """Kind, name, description and whether the component is in scope."""

    def __init__(self, component: Component | None, parent: QWidget | None = None) -> None:
        super().__init__("Edit component" if component else "Add component", parent)
        self._id = component.id if component else 0
        self.kind = QComboBox()
        for kind in ComponentKind:
            self.kind.addItem(kind.label, kind)
        self.name = _field(component.name if component else "")
        self.name.setPlaceholderText("e.g. AWS production account")
        self.description = _text_box(component.description if component else "")
        self.in_scope = QCheckBox("Part of the system the report covers")
        self.in_scope.setChecked(component.in_scope if component else True)
        if component is not None:
            self.kind.setCurrentIndex(self.kind.findData(component.kind))
        self.form.addRow("&Kind:", self.kind)
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Description:", self.description)
        self.form.addRow("In &scope:", self.in_scope)
        self.name.textChanged.connect(lambda text: self.require(bool(text.strip())))
        self.require(bool(self.name.text().strip()))

    def values(self) -> Component:
        """Return what the dialog holds."""
        return self.component()

    def component(self) -> Component:
        """Return the component as entered (id 0 for a new one)."""
        return Component(self._id, ComponentKind(self.kind.currentData()), self.name.text(),
                         self.description.toPlainText(), self.in_scope.isChecked())


class SubserviceDialog(RecordDialog):
    """Name, service, carve-out or inclusive, SOC report status and complementary controls."""

    def __init__(self, subservice: Subservice | None, parent: QWidget | None = None) -> None:
        super().__init__("Edit subservice organisation" if subservice else "Add subservice organisation", parent)
        self.setMinimumWidth(640)  # room for the complementary controls and their criteria
        self._id = subservice.id if subservice else 0
        self.name = _field(subservice.name if subservice else "")
        self.name.setPlaceholderText("e.g. Amazon Web Services")
        self.service = _field(subservice.service if subservice else "")
        self.service.setPlaceholderText("What they do for you, e.g. cloud hosting")
        self.method = QComboBox()
        for method, label in METHOD_LABELS.items():
            self.method.addItem(label, method)
        if subservice is not None:
            self.method.setCurrentIndex(self.method.findData(subservice.method))
        self.soc_report = _field(subservice.soc_report if subservice else "")
        self.soc_report.setPlaceholderText("e.g. SOC 2 Type II, period ending 2026-03-31, reviewed")
        self.controls = CsocEditor(subservice.csocs if subservice else ())
        self.controls.setToolTip("Controls you rely on them to operate (CSOCs), each with the criteria it supports, "
                                 "e.g. CC6.4, A1.2")
        self.form.addRow("&Organisation:", self.name)
        self.form.addRow("&Service:", self.service)
        self.form.addRow("&Method:", self.method)
        self.form.addRow("SOC &report:", self.soc_report)
        self.form.addRow("&Complementary controls:", self.controls)
        self.name.textChanged.connect(lambda _text: self._check())
        self.controls.changed.connect(self._check)
        self._check()

    def _check(self) -> None:
        self.check(bool(self.name.text().strip()))

    def problem(self) -> str:
        """Return why the complementary controls are refused, or ""."""
        return self.controls.refusal()

    def values(self) -> Subservice:
        """Return what the dialog holds."""
        return self.subservice()

    def subservice(self) -> Subservice:
        """Return the subservice organisation as entered (id 0 for a new one)."""
        return Subservice(self._id, self.name.text(), self.service.text(), SubserviceMethod(self.method.currentData()),
                          self.soc_report.text(), self.controls.values())


class CuecDialog(RecordDialog):
    """The text of one complementary user entity control."""

    required = "text"

    def __init__(self, cuec: Cuec | None, parent: QWidget | None = None) -> None:
        super().__init__("Edit user entity control" if cuec else "Add user entity control", parent)
        self._id = cuec.id if cuec else 0
        self.text = _text_box(cuec.text if cuec else "", lines=5)
        self.text.setPlaceholderText("What your customers must do themselves, e.g. review their users quarterly")
        self.criteria = _field(", ".join(cuec.criteria) if cuec else "")
        self.criteria.setPlaceholderText("The criteria it supports, e.g. CC6.1, CC6.2")
        self.form.addRow("&Control:", self.text)
        self.form.addRow("C&riteria:", self.criteria)
        self.text.textChanged.connect(self._check)
        self.criteria.textChanged.connect(lambda _text: self._check())
        self._check()

    def _check(self) -> None:
        self.check(bool(self.text.toPlainText().strip()))

    def problem(self) -> str:
        """Return why the criteria are refused, or ""."""
        return parse_criteria(self.criteria.text())[1]

    def values(self) -> Cuec:
        """Return what the dialog holds."""
        return self.cuec()

    def cuec(self) -> Cuec:
        """Return the control as entered (id 0 for a new one)."""
        return Cuec(self._id, self.text.toPlainText(), parse_criteria(self.criteria.text())[0])
