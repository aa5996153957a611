"""A policy's published versions, newest first: pick one to read its frozen text (read-only) and its SHA-256."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPlainTextEdit, QVBoxLayout, QWidget

from workbench.domain.policies import Policy, PolicyVersion
from workbench.ui.dates import shown_date
from workbench.ui.labels import plain_label
from workbench.ui.layouts import pane, split

NUMBER_ROLE = Qt.ItemDataRole.UserRole


def version_line(version: PolicyVersion) -> str:
    """Return how the history lists a version: its number, approval and effective date."""
    return (f"Version {version.number}: approved by {version.approver} on {shown_date(version.approved_on)}, "
            f"effective {shown_date(version.effective_on)}")


class PolicyHistory(QWidget):
    """The version list beside the chosen version's text and hash."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.policy: Policy | None = None
        self.versions = QListWidget()
        self.versions.setAccessibleName("Published versions")
        self.versions.setWordWrap(True)
        self.versions.currentItemChanged.connect(lambda *_args: self._show_version())
        self.hash = plain_label(selectable=True)
        self.hash.setObjectName("policyVersionHash")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Version text (read-only)")
        right, column = pane(self.hash, self.text)
        column.setStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(split(self.versions, right, stretch=(1, 2)), 1)

    def show_policy(self, policy: Policy | None) -> None:
        """List a policy's versions, keeping the one picked when it is still there."""
        chosen = self.chosen()
        same = policy is not None and self.policy is not None and policy.key == self.policy.key
        self.policy = policy
        self.versions.blockSignals(True)
        self.versions.clear()
        for version in reversed(policy.versions if policy is not None else ()):
            item = QListWidgetItem(version_line(version))
            item.setData(NUMBER_ROLE, version.number)
            self.versions.addItem(item)
        self.versions.blockSignals(False)
        numbers = [self.versions.item(i).data(NUMBER_ROLE) for i in range(self.versions.count())]
        if numbers:
            self.versions.setCurrentRow(numbers.index(chosen.number) if same and chosen and chosen.number in numbers
                                        else 0)
        self._show_version()

    def chosen(self) -> PolicyVersion | None:
        """Return the version picked, if any."""
        item = self.versions.currentItem()
        if item is None or self.policy is None:
            return None
        return self.policy.numbered(item.data(NUMBER_ROLE))

    def choose(self, number: int) -> None:
        """Pick a version by its number."""
        for row in range(self.versions.count()):
            if self.versions.item(row).data(NUMBER_ROLE) == number:
                self.versions.setCurrentRow(row)

    def _show_version(self) -> None:
        version = self.chosen()
        if version is None:
            self.hash.setText("Nothing published yet: publishing a draft freezes it here." if self.policy else "")
            self.text.setPlainText("")
            return
        self.hash.setText(f"SHA-256 {version.sha256}\nPublished {version.published_at[:16].replace('T', ' ')}"
                          if version.published_at else f"SHA-256 {version.sha256}")
        self.text.setPlainText(version.body)
