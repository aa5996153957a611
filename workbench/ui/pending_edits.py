"""Typing is never lost: every editable form saves itself, or asks, before what was typed could go away.

A form (a page's panel, or an edit dialog) describes itself as a FormEdit: how to read what is typed, what is
stored, how to save it as one undoable edit and how to show the stored values again. The PendingEdits of the
open project keeps every such form and applies one rule to all of them:

- focus leaving the form saves it, when it can be saved as it stands and saving needs no question;
- a page about to show another record in the form calls leave(form) first, and closing or replacing the
  project calls leave_all(): the typing is saved, or the user is asked (it cannot be saved as it stands, or it
  would make a new record) and may save, discard, or keep editing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget


class Answer(enum.Enum):
    """What the user answered to a question about unsaved typing."""

    SAVE = "save"
    DISCARD = "discard"
    KEEP = "keep"  # keep editing: nothing is saved or lost, and whatever was about to happen does not


@dataclass(eq=False)
class FormEdit:
    """One editable form as PendingEdits sees it (values are compared with ==, so make them plain values)."""

    title: Callable[[], str]  # what the typing belongs to: "the note of CC6.1", "the CPA firm's details"
    read: Callable[[], Any]  # the values as typed (trimmed as the service would trim them)
    stored: Callable[[], Any]  # the values as saved, which the form was last filled from
    submit: Callable[[Any], None]  # make these values one undoable edit (the page calls context.apply)
    show: Callable[[], None]  # fill the form from the stored values again: the typing is discarded
    problem: Callable[[Any], str] = lambda _values: ""  # why these values cannot be saved; "" when they can
    confirm: bool = False  # True: saving makes a record the user has not confirmed yet, so ask first
    _sent: tuple[Any, Any] | None = field(default=None, init=False)  # (stored, values) of the save on its way

    def pending(self) -> bool:
        """Return True while the form holds typing that is neither stored nor on its way to be."""
        values, stored = self.read(), self.stored()
        if self._sent is not None and self._sent[0] != stored:
            self._sent = None  # the form has been refilled since: what was sent is stored (or undone)
        return values != stored and (self._sent is None or values != self._sent[1])

    def save(self) -> None:
        """Send what is typed to be saved."""
        values = self.read()
        self._sent = (self.stored(), values)
        self.submit(values)

    def commit(self) -> None:
        """Save what is typed if it is pending (an explicit Save: pressed twice, it sends nothing new)."""
        if self.pending():
            self.save()

    def refused(self) -> None:
        """The save was refused: what is typed is pending again (the page calls this on failure)."""
        self._sent = None

    def discard(self) -> None:
        """Show the stored values again."""
        self._sent = None
        self.show()


def inside(widget: QWidget | None, container: QWidget) -> bool:
    """Return True when widget is container or lies within it (popups of its combo boxes and dates included)."""
    while widget is not None:
        if widget is container:
            return True
        widget = widget.parentWidget()
    return False


Ask = Callable[[str, str, bool], Answer]  # ask(title, text, can_save) -> the user's answer


class _FocusWatch(QObject):
    """Saves a form when focus leaves its container; a child of the container, so it goes with it."""

    def __init__(self, container: QWidget, form: FormEdit) -> None:
        super().__init__(container)
        self._container = container
        self._form = form
        application = QApplication.instance()
        if isinstance(application, QApplication):
            application.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        form = self._form
        if not inside(old, self._container) or inside(new, self._container):
            return
        if not form.confirm and form.pending() and not form.problem(form.read()):
            form.save()


class PendingEdits(QObject):
    """The forms of the open project, saved when focus leaves them, saved or asked about when they go away."""

    asked = Signal(str)  # a question about unsaved typing was put to the user (its text)

    def __init__(self, parent: QObject | None = None, *, interactive: bool = True,
                 window: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._forms: dict[FormEdit, QWidget] = {}
        # Asks the user (title, text, can_save) -> Answer; tests put an answer in its place. Without a user to
        # ask (screenshots, tests), typing that cannot be saved is discarded rather than blocking a close.
        self.ask: Ask = self._ask_box if interactive else (lambda _title, _text, _can_save: Answer.DISCARD)

    def watch(self, form: FormEdit, container: QWidget, *, on_focus_out: bool = True) -> FormEdit:
        """Keep a form while its container lives; unless told not to, focus leaving the container saves it."""
        self._forms[form] = container
        container.destroyed.connect(lambda _object=None: self._forms.pop(form, None))
        if on_focus_out:
            _FocusWatch(container, form)
        return form

    def forget(self, form: FormEdit) -> None:
        """Stop keeping a form (a dialog that closed)."""
        self._forms.pop(form, None)

    def leave(self, form: FormEdit) -> bool:
        """Before a form shows another record or goes away: save its typing, or ask; False: keep editing."""
        if not form.pending():
            return True
        values = form.read()
        problem = form.problem(values)
        if not problem and not form.confirm:
            form.save()
            return True
        title = form.title()
        if problem:
            text = f"{title[:1].upper()}{title[1:]} cannot be saved as it stands: {problem}\n\nDiscard the changes?"
        else:
            text = f"Save {title}?"
        self.asked.emit(text)
        answer = self.ask("Unsaved changes", text, not problem)
        if answer is Answer.SAVE and not problem:
            form.save()
            return True
        if answer is Answer.DISCARD:
            form.discard()
            return True
        return False

    def leave_all(self) -> bool:
        """Before the project closes or another opens: leave every form; False when the user keeps editing."""
        return all(self.leave(form) for form in list(self._forms))

    def settle(self, run_saves: Callable[[], None]) -> bool:
        """Before the project closes: leave every form, run the saves now, then ask about any that failed.

        `run_saves()` runs every queued operation and hands over its outcome (Operations.settle). Returns False
        when the user keeps editing; then the project must stay open.
        """
        if not self.leave_all():
            return False
        run_saves()
        unsaved = [form for form in self._forms if form.pending()]  # a save that was refused, say
        if not unsaved:
            return True
        what = ", ".join(form.title() for form in unsaved)
        text = f"{what[:1].upper()}{what[1:]} could not be saved (see the message before).\n\nDiscard the changes?"
        self.asked.emit(text)
        if self.ask("Unsaved changes", text, False) is not Answer.DISCARD:
            return False
        for form in unsaved:
            form.discard()
        return True

    def _ask_box(self, title: str, text: str, can_save: bool) -> Answer:
        buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        if can_save:
            buttons |= QMessageBox.StandardButton.Save
        box = QMessageBox(QMessageBox.Icon.Question, title, text, buttons, self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.Save if can_save else QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Cancel).setText("Keep editing")
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return Answer.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return Answer.DISCARD
        return Answer.KEEP
