"""A policy's text: the Markdown on the left, a live preview on the right. A draft is edited in place and saved when
the editor loses focus; a published version is read-only until a new draft is started from it."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from workbench.domain.policies import Policy
from workbench.ui.fields import text_box
from workbench.ui.labels import plain_label
from workbench.ui.layouts import packed_row, split

PREVIEW_MS = 300  # the preview follows the typing after this pause
# Raw HTML in the text is shown as typed, never as markup.
MARKDOWN = QTextDocument.MarkdownFeature(QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
                                         | QTextDocument.MarkdownFeature.MarkdownNoHTML.value)


class PolicyText(QWidget):
    """Shows one policy's draft (editable) or latest version (read-only); the page saves and publishes it."""

    new_draft_requested = Signal()
    publish_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.policy: Policy | None = None
        self._shown = ""  # the stored text last shown in the editor
        self.state = plain_label()
        self.state.setObjectName("policyTextState")
        self.editor: QPlainTextEdit = text_box(placeholder="Write the policy in Markdown: # headings, - lists, "
                                                           "1. numbered statements.")
        self.editor.setAccessibleName("Policy text (Markdown)")
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Preview")
        self.preview.setOpenLinks(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_MS)
        self._timer.timeout.connect(self._render)
        self.editor.textChanged.connect(self._timer.start)
        self.draft_button = QPushButton("Start a &new draft")
        self.draft_button.setToolTip("The published text stays as it is; the draft starts from it")
        self.draft_button.clicked.connect(self.new_draft_requested)
        self.publish_button = QPushButton("&Publish…")
        self.publish_button.clicked.connect(self.publish_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(split(self.editor, self.preview, stretch=(1, 1)), 1)
        layout.addLayout(packed_row(self.draft_button, self.publish_button))
        self.show_policy(None)

    def show_policy(self, policy: Policy | None, *, keep_typing: bool = False) -> None:
        """Show a policy's draft or latest version (keep_typing: the editor keeps what is typed in it)."""
        self.policy = policy
        draft = policy is not None and policy.draft_body is not None
        text, typed = self.stored(), self.editor.toPlainText()
        # Typing not saved yet stays; text that was only shown follows what is stored (an undo, say).
        if (not keep_typing or typed == self._shown) and typed != text:
            self.editor.blockSignals(True)
            self.editor.setPlainText(text)
            self.editor.blockSignals(False)
            self._render()
        self._shown = text
        self.editor.setReadOnly(not draft)
        latest = policy.latest if policy is not None else None
        self.draft_button.setEnabled(policy is not None and not draft)
        self.publish_button.setEnabled(draft)
        if policy is None:
            self.state.setText("Pick a policy to see its text.")
        elif draft:
            self.state.setText(f"Draft of version {latest.number + 1 if latest else 1}: saved as you leave the text; "
                               "publish it to freeze it." + (f" Version {latest.number} stays in force until then."
                                                             if latest else ""))
        else:
            assert latest is not None
            self.state.setText(f"Version {latest.number}, published (read-only). Start a new draft to change it.")

    def stored(self) -> str:
        """Return the text the policy holds: its draft, else its latest version's."""
        policy = self.policy
        if policy is None:
            return ""
        if policy.draft_body is not None:
            return policy.draft_body
        return policy.latest.body if policy.latest is not None else ""

    def typed(self) -> str:
        """Return the text as typed."""
        return self.editor.toPlainText()

    def revert(self) -> None:
        """Show the stored text again, dropping the typing."""
        self.editor.setPlainText(self.stored())

    def _render(self) -> None:
        self._timer.stop()
        self.preview.document().setMarkdown(self.editor.toPlainText(), MARKDOWN)
