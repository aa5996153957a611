"""The policies page's dialogs: templates to add (checkable, with the criteria each supports), and the fields of
Publish and Record acknowledgement (shown by the registers' record dialog)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from workbench.domain.people import Person
from workbench.domain.policies import placeholders_left
from workbench.domain.policy_templates import PolicyTemplate
from workbench.ui.edit_dialog import EditDialog
from workbench.ui.fields import ok_button, ok_cancel
from workbench.ui.labels import plain_label
from workbench.ui.pages.record_form import CHOICE, DATE, LINE, FormField

KEY_ROLE = Qt.ItemDataRole.UserRole


class PolicyTemplatesDialog(EditDialog):
    """Lists the policy templates with checkboxes (those already added greyed out); checked() gives the keys."""

    def __init__(self, templates: Sequence[PolicyTemplate], present: Collection[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add policies from templates")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("Each template is a full policy in our own words to adapt: it starts as a draft "
                                     "you edit, then publish."))
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Policy templates")
        self.tree.setHeaderLabels(("Policy", "Owner", "Review", "Criteria"))
        self.tree.setRootIsDecorated(False)
        for template in templates:
            item = QTreeWidgetItem((template.title, template.owner, f"{template.review_months} months",
                                    ", ".join(template.criteria)))
            item.setData(0, KEY_ROLE, template.key)
            for column in range(item.columnCount()):
                item.setToolTip(column, item.text(column))
            taken = template.key in present
            item.setCheckState(0, Qt.CheckState.Unchecked)
            if taken:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(0, f"{template.title}: already a policy of this project")
            self.tree.addTopLevelItem(item)
        header = self.tree.header()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.tree, 1)
        self.buttons = ok_cancel(self, "Add")
        layout.addWidget(self.buttons)
        self.tree.itemChanged.connect(lambda *_args: ok_button(self.buttons).setEnabled(bool(self.checked())))
        ok_button(self.buttons).setEnabled(False)

    def items(self) -> list[QTreeWidgetItem]:
        """Return the template rows."""
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def check(self, keys: Collection[str]) -> None:
        """Tick the templates with these keys (those that can be added)."""
        for item in self.items():
            if item.data(0, KEY_ROLE) in keys and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                item.setCheckState(0, Qt.CheckState.Checked)

    def checked(self) -> tuple[str, ...]:
        """Return the keys of the ticked templates."""
        return tuple(item.data(0, KEY_ROLE) for item in self.items() if item.checkState(0) == Qt.CheckState.Checked)

    def values(self) -> tuple[str, ...]:
        """Return what the dialog holds (the ticked keys)."""
        return self.checked()


def publish_fields() -> list[FormField]:
    """Return the fields of Publish: who approved the draft, when, and from when it is in force."""
    return [FormField("approver", "Approved by", LINE, required=True, hint="The person who approved this version"),
            FormField("approved_on", "Approval date", DATE, required=True),
            FormField("effective_on", "Effective date", DATE, required=True,
                      hint="The day this version takes effect (on or after its approval)")]


def publish_values(today: date) -> dict[str, object]:
    """Return Publish's starting values: approved and in force today."""
    return {"approver": "", "approved_on": today, "effective_on": today}


def placeholder_note(body: str) -> str:
    """Return what Publish warns of when the draft still holds a template's placeholders ("" when it holds none)."""
    left = placeholders_left(body)
    if not left:
        return ""
    named = ", ".join("{{" + name + "}}" for name in left[:4]) + (", ..." if len(left) > 4 else "")
    return (f"This draft still holds {len(left)} placeholder{'s' * (len(left) != 1)} to fill in ({named}). "
            "Published now, they stay in this version for good.")


def acknowledgement_fields(people: Sequence[Person], behind: Collection[str]) -> list[FormField]:
    """Return the fields of Record acknowledgement: the person (those behind first) and the day they signed."""
    ordered = sorted(people, key=lambda p: (p.ref not in behind, p.name.casefold()))
    choices = tuple((f"{p.name} ({p.ref})" + (" - behind" if p.ref in behind else ""), p.ref) for p in ordered)
    person = FormField("person", "Person", CHOICE, choices, required=True) if people else \
        FormField("person", "Person", LINE, required=True, hint="The project has no people register: their name")
    return [person, FormField("acknowledged_on", "Date signed", DATE, required=True)]
