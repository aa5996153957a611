"""What the window says once an export is written: its warnings (what to know before sending it) and the text that
had to be fitted to the format, in the status bar and in one message box."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.services.exports.run import ExportOutcome

WARNINGS_HEADING = "Before you send it:"
NOTICES_HEADING = "Text fitted to the format:"


def status_text(label: str, outcome: ExportOutcome) -> str:
    """Return the status bar's one line: what was exported where, and each warning."""
    warned = "".join(f". Warning: {warning}" for warning in outcome.warnings)
    return f"Exported {label} to {outcome.path}{warned}"


def outcome_text(outcome: ExportOutcome) -> str:
    """Return the box's text under the file's name: the warnings, headed, then a word on the fitted text."""
    parts = []
    if outcome.warnings:
        parts.append("\n".join([WARNINGS_HEADING, *(f"  • {warning}" for warning in outcome.warnings)]))
    if outcome.notices:
        count = len(outcome.notices)
        parts.append(f"Some text had to be fitted to the format ({count} {'place' if count == 1 else 'places'}): "
                     "Show Details… lists them.")
    return "\n\n".join(parts)


def outcome_box(outcome: ExportOutcome, parent: QWidget | None = None) -> QMessageBox | None:
    """Return the message box saying what an export warns of and what it fitted; None when there is nothing to say."""
    if not outcome.warnings and not outcome.notices:
        return None
    icon = QMessageBox.Icon.Warning if outcome.warnings else QMessageBox.Icon.Information
    box = QMessageBox(icon, "Export written", f"{outcome.path} was written.", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(outcome_text(outcome))
    if outcome.notices:
        box.setDetailedText("\n".join([NOTICES_HEADING, *outcome.notices]))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


def show_outcome(parent: QWidget, outcome: ExportOutcome) -> QMessageBox | None:
    """Open (without blocking) the box of an export's warnings and fitted text, if there is anything to say."""
    box = outcome_box(outcome, parent)
    if box is not None:
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
    return box
