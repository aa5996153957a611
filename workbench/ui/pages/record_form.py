"""One edit dialog for a record of any register, built from the fields a tab declares: short texts, prose, dates,
1-5 levels, scores, choices, yes/no, durations, one control or several. Closing it with changes asks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QScrollArea, QSpinBox, QWidget

from workbench.domain.register_values import format_duration, parse_duration
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import ok_cancel, set_field, text_box
from workbench.ui.labels import plain_label
from workbench.ui.pages.audit_fields import OptionalDateEdit

LINE, TEXT, DATE, LEVEL, SCORE, CHOICE, YES_NO, DURATION, CONTROL, CONTROLS, CUSTOM = (
    "line", "text", "date", "level", "score", "choice", "yes_no", "duration", "control", "controls", "custom")
UNSET = "—"


@dataclass(frozen=True)
class FormField:
    """One field of a register's edit dialog."""

    name: str
    label: str
    kind: str = LINE
    choices: Sequence[tuple[str, Any]] = ()  # (shown text, value) of a CHOICE, besides "—" for none
    required: bool = False
    hint: str = ""
    make: Callable[[], QWidget] | None = None  # a CUSTOM field's widget: it has values() and set_values()
    extra: dict[str, Any] = field(default_factory=dict)


def enum_choices(kind: type[Enum]) -> tuple[tuple[str, Any], ...]:
    """Return an enum's members as (label, member) choices."""
    return tuple((getattr(m, "label", str(m.value)), m) for m in kind)


class _Number(QSpinBox):
    """A whole number in a range, or unset (shown as "—" below its minimum)."""

    def __init__(self, top: int) -> None:
        super().__init__()
        self.setRange(0, top)
        self.setSpecialValueText(UNSET)

    def value_or_none(self) -> int | None:
        return self.value() or None


class RecordDialog(EditDialog):
    """Edits one record as {field: value}; refuses to save while a required field is empty or a value unreadable."""

    def __init__(self, title: str, fields: Sequence[FormField], values: dict[str, Any], controls: Sequence[str],
                 parent: QWidget | None = None, note: Callable[[dict[str, Any]], str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 640)
        self.fields = tuple(fields)
        self.controls = tuple(controls)
        self.widgets: dict[str, QWidget] = {}
        # A combo box keeps each choice's position as its data: Qt would turn a StrEnum member into a plain str.
        self.options: dict[str, tuple[Any, ...]] = {}
        self._note = note
        inner = QWidget()
        form = QFormLayout(inner)
        for spec in self.fields:
            widget = self._widget(spec)
            widget.setAccessibleName(spec.label)
            if spec.hint:
                widget.setToolTip(spec.hint)
            self.widgets[spec.name] = widget
            form.addRow(f"&{spec.label}" + (" *" if spec.required else ""), widget)
        self.note_label: QLabel = plain_label()
        self.note_label.setObjectName("recordNote")
        form.addRow(self.note_label)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QFormLayout(self)
        outer.addRow(scroll)
        self.buttons = ok_cancel(self)
        outer.addRow(self.buttons)
        self.set_values(values)
        for spec in self.fields:
            self._watch(self.widgets[spec.name])

    # -- building ---------------------------------------------------------------------------------------

    def _widget(self, spec: FormField) -> QWidget:
        if spec.kind == TEXT:
            return text_box(fixed_height=70)
        if spec.kind == DATE:
            return OptionalDateEdit("Set")
        if spec.kind in (LEVEL, SCORE):
            return _Number(5 if spec.kind == LEVEL else 25)
        if spec.kind in (CHOICE, YES_NO, CONTROL):
            box = QComboBox()
            choices = ((UNSET, None), *((("Yes", True), ("No", False)) if spec.kind == YES_NO else
                                        tuple((ref, ref) for ref in self.controls) if spec.kind == CONTROL
                                        else spec.choices))
            self.options[spec.name] = tuple(value for _, value in choices)
            for position, (text, _value) in enumerate(choices):
                box.addItem(text, position)
            return box
        if spec.kind == CUSTOM and spec.make is not None:
            return spec.make()
        edit = QLineEdit()
        if spec.kind == DURATION:
            edit.setPlaceholderText("4h, 30 min, 1 day")
        elif spec.kind == CONTROLS:
            edit.setPlaceholderText("control IDs, separated by commas")
        return edit

    def _watch(self, widget: QWidget) -> None:
        for signal in ("textChanged", "currentIndexChanged", "valueChanged", "changed"):
            if hasattr(widget, signal):
                getattr(widget, signal).connect(self._changed)

    def _changed(self, *_args: object) -> None:
        if self._note is not None:
            self.note_label.setText(self._note(self.values()))

    # -- values -----------------------------------------------------------------------------------------

    def set_values(self, values: dict[str, Any]) -> None:
        """Show a record's values."""
        for spec in self.fields:
            widget, value = self.widgets[spec.name], values.get(spec.name)
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value or "")
            elif isinstance(widget, OptionalDateEdit):
                widget.set_date(value)
            elif isinstance(widget, _Number):
                widget.setValue(value or 0)
            elif isinstance(widget, QComboBox):
                options = self.options[spec.name]
                widget.setCurrentIndex(next((i for i, option in enumerate(options)
                                             if option is value or (option == value and value is not None)), 0))
            elif isinstance(widget, QLineEdit):
                set_field(widget, format_duration(value) if spec.kind == DURATION else
                          ", ".join(value or ()) if spec.kind == CONTROLS else value or "")
            else:
                widget.set_values(value)  # type: ignore[attr-defined]
        self._changed()

    def values(self) -> dict[str, Any]:
        """Return what the dialog holds, by field (a duration as typed: see parsed())."""
        found: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.widgets[spec.name]
            if isinstance(widget, QPlainTextEdit):
                found[spec.name] = widget.toPlainText()
            elif isinstance(widget, OptionalDateEdit):
                found[spec.name] = widget.date()
            elif isinstance(widget, _Number):
                found[spec.name] = widget.value_or_none()
            elif isinstance(widget, QComboBox):
                found[spec.name] = self.options[spec.name][max(widget.currentIndex(), 0)]
            elif isinstance(widget, QLineEdit):
                text = widget.text()
                found[spec.name] = tuple(p.strip() for p in text.split(",") if p.strip()) \
                    if spec.kind == CONTROLS else text
            else:
                found[spec.name] = widget.values()  # type: ignore[attr-defined]
        return found

    def parsed(self) -> dict[str, Any]:
        """Return the values with durations read as minutes (call once refusal() is empty)."""
        values = self.values()
        for spec in self.fields:
            if spec.kind == DURATION:
                values[spec.name] = parse_duration(values[spec.name] or "")
        return values

    def refusal(self) -> str:
        """Return why the record cannot be saved as entered, or ""."""
        values = self.values()
        for spec in self.fields:
            value = values[spec.name]
            if spec.required and (value is None or (isinstance(value, str) and not value.strip())):
                return f"the {spec.label.lower()} cannot be empty"
            if spec.kind == DURATION:
                try:
                    parse_duration(value or "")
                except ValueError as exc:
                    return f"{spec.label}: {exc}"
            if spec.kind == CONTROLS:
                unknown = [ref for ref in value if ref not in self.controls]
                if unknown:
                    return f"{', '.join(unknown)} {'is not a control' if len(unknown) == 1 else 'are not controls'}" \
                           " of this project"
        return ""

    def accept(self) -> None:
        """Save only what can be saved; otherwise say why, in the dialog."""
        why = self.refusal()
        if why:
            self.note_label.setText(f"Cannot save: {why}.")
            return
        super().accept()

