"""Access reviews: every campaign's accounts with their flags (left the company, not on the roster, dormant,
privileged, new since the last review) and the reviewer's decision; a user list imported starts a campaign, and
closing one signs it and files its PDF as evidence."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPushButton, QWidget

from workbench.domain.access_reviews import Decision, Entry, Flag
from workbench.services import access_reviews as service
from workbench.services.importers.kinds import ACCESS_REVIEWS
from workbench.services.importers.kinds.access_reviews import Review
from workbench.services.session import OpenProject
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import ok_cancel
from workbench.ui.labels import plain_label
from workbench.ui.pages.audit_fields import format_date
from workbench.ui.pages.record_form import CHOICE, TEXT, FormField, enum_choices
from workbench.ui.pages.register_model import Choice, Column
from workbench.ui.pages.register_tab import RegisterTab, Service, open_guarded
from workbench.ui.undo import EditCommand


class Account:
    """One row: an account of a campaign, with the campaign's flags for it."""

    def __init__(self, review: Review, entry: Entry) -> None:
        self.review, self.entry = review, entry
        self.ref = f"{review.campaign.ref}/{entry.login}"
        self.id = review.campaign.id
        self.flags = review.flags.get(entry.login, ())

    def __eq__(self, other: object) -> bool:
        """Read as equal to a decision that asks for what the account already holds (no edit then)."""
        if isinstance(other, service.EntryDecision):
            return (other.campaign_ref, other.login, other.decision, other.note) == (
                self.review.campaign.ref, self.entry.login, self.entry.decision, self.entry.note)
        return self is other

    def __hash__(self) -> int:
        return hash(self.ref)

    def has(self, flag: Flag) -> bool:
        """Return True when the account carries a flag."""
        return flag in self.flags


def _flag_choice(flag: Flag) -> Choice:
    return Choice(flag.label, lambda a: a.has(flag))


class AccessReviewsTab(RegisterTab):
    """Access review campaigns, one row per account."""

    key, title, noun, argument, spec = "access-reviews", "Access reviews", "decision", "entry", ACCESS_REVIEWS
    intro = ("Import a system's user list to start a review: each account is matched to the roster and flagged. "
             "The reviewer, who may not review their own access, decides keep, change or remove for each; closing "
             "signs the review, turns removals into tasks and files its PDF as evidence.")
    columns = (
        Column("Campaign", lambda a: a.review.campaign.ref), Column("Login", lambda a: a.entry.login),
        Column("System", lambda a: a.review.campaign.system), Column("Role", lambda a: a.entry.role),
        Column("Admin", lambda a: "" if a.entry.admin is None else "yes" if a.entry.admin else "no"),
        Column("Last login", lambda a: format_date(a.entry.last_login)),
        Column("Flags", lambda a: ", ".join(f.label for f in a.flags)),
        Column("Decision", lambda a: a.entry.decision.label if a.entry.decision else ""),
        Column("Note", lambda a: a.entry.note),
        Column("State", lambda a: f"closed {format_date(a.review.campaign.closed_on)}" if a.review.campaign.closed
               else "open"),
    )
    choices = (Choice("Undecided", lambda a: a.entry.decision is None),
               Choice("Open campaigns", lambda a: not a.review.campaign.closed),
               *(_flag_choice(flag) for flag in Flag))

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.add_button.hide()  # accounts come from the user list, never one by one
        self.remove_button.hide()
        self.edit_button.setText("&Decide…")
        self.import_button.setText("&Import a user list…")

    @staticmethod
    def fetch(project: OpenProject) -> service.AccessReviewRegister:
        """Read every campaign, flagged, and the controls."""
        return service.access_review_register(project)

    def records(self, data: service.AccessReviewRegister) -> list[Account]:
        """Return every campaign's accounts."""
        return [Account(review, entry) for review in data.reviews for entry in review.campaign.entries]

    def describe(self, data: service.AccessReviewRegister) -> str:
        """Say, per open campaign, how many accounts await a decision and what changed since the last one."""
        lines = []
        for review in data.reviews:
            campaign = review.campaign
            if campaign.closed:
                continue
            line = (f"{campaign.ref} ({campaign.system}): {len(campaign.undecided)} of {len(campaign.entries)} "
                    f"accounts undecided")
            if review.change is not None:
                line += f"; since {review.previous.ref}: {review.change.text}" if review.previous else ""
            lines.append(line + ".")
        return "\n".join(lines)

    def remove(self) -> None:
        """Accounts are not removed one by one (the Delete key does nothing here)."""

    def add(self) -> None:
        """Accounts come from a user list (Import)."""

    def extra_buttons(self) -> list[QPushButton]:
        """Add "Close and sign…"."""
        self.close_button = QPushButton("&Close and sign…")
        self.close_button.clicked.connect(self.close_review)
        return [self.close_button]

    def close_review(self) -> None:
        """Ask for the campaign, the reviewer and the control; close it signed (undoable)."""
        if self.data is None:
            return
        chosen = self.selected()
        open_refs = [r.campaign.ref for r in self.data.reviews if not r.campaign.closed]
        preferred = chosen.review.campaign.ref if chosen is not None else None
        dialog = CloseDialog(open_refs, [c.ref for c in self.data.controls],
                             service.review_control(list(self.data.controls)), preferred, self)

        def accepted() -> None:
            ref, reviewer, control = dialog.values()
            if ref:
                self.context.apply(EditCommand(f"Close access review {ref}", partial(
                    service.close_review, campaign_ref=ref, reviewer=reviewer, control_ref=control)))

        self.close_dialog = dialog
        open_guarded(dialog, accepted, self.context)  # type: ignore[arg-type]

    def form(self) -> list[FormField]:
        """Return the decision's fields."""
        return [FormField("decision", "Decision", CHOICE, enum_choices(Decision)), FormField("note", "Note", TEXT)]

    def values_of(self, record: Account | None) -> dict[str, Any]:
        """Return an account's decision and note."""
        return {"decision": record.entry.decision, "note": record.entry.note} if record else {}

    def record_from(self, values: dict[str, Any], record: Account | None) -> service.EntryDecision:
        """Return the decision the dialog describes."""
        assert record is not None
        return service.EntryDecision(record.review.campaign.ref, record.entry.login, values.get("decision"),
                                     values.get("note") or "", record.entry.version)

    def services(self) -> tuple[Service, Service, Service]:
        """Return the one service the tab uses: a decision (adding and removing accounts is not offered)."""
        return service.decide_entry, service.decide_entry, service.decide_entry


class CloseDialog(EditDialog):
    """Which campaign to close, who signs it, and the control its PDF evidences."""

    def __init__(self, refs: list[str], controls: list[str], control: str | None, preferred: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Close and sign an access review")
        form = QFormLayout(self)
        form.addRow(plain_label("Every account needs a decision. The reviewer signs the review (they may not review "
                                "their own access); removals become tasks and the PDF is filed as evidence."))
        self.campaign = QComboBox()
        self.campaign.setAccessibleName("Campaign")
        for ref in refs:
            self.campaign.addItem(ref, ref)
        if preferred in refs:
            self.campaign.setCurrentIndex(refs.index(preferred))
        form.addRow("C&ampaign", self.campaign)
        self.reviewer = QLineEdit()
        self.reviewer.setAccessibleName("Reviewer")
        form.addRow("&Reviewer", self.reviewer)
        self.control = QComboBox()
        self.control.setAccessibleName("Control")
        for ref in controls:
            self.control.addItem(ref, ref)
        if control in controls:
            self.control.setCurrentIndex(controls.index(control))
        form.addRow("C&ontrol", self.control)
        self.buttons = ok_cancel(self, "Close and sign")
        form.addRow(self.buttons)

    def values(self) -> tuple[str | None, str, str | None]:
        """Return the campaign, the reviewer and the control chosen."""
        return self.campaign.currentData(), self.reviewer.text().strip(), self.control.currentData()

    def refusal(self) -> str:
        """Refuse without an open campaign, a reviewer or a control."""
        if not self.campaign.count():
            return "no access review is open"
        if not self.reviewer.text().strip():
            return "name the reviewer who signs it"
        return "" if self.control.count() else "the project has no control to file the review under"
