"""The Policies page: the list of policies with their state, and for the one picked its text (a draft edited with a
live preview, saved as one undoable edit when the editor loses focus; Publish freezes it), its version history and
who has acknowledged it. Add from templates, import a policy file, export one policy or the set as PDF or DOCX."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QFileDialog, QPushButton, QTabWidget, QWidget

from workbench.domain.policy_templates import PolicyTemplate
from workbench.services.changes import Operation, Touched
from workbench.services.policies import (
    PolicyRegister,
    add_policies,
    edit_draft,
    import_policy,
    policy_register,
    publish,
    record_acknowledgement,
)
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.labels import plain_label
from workbench.ui.layouts import packed_row, pane, size_by_current_tab, split
from workbench.ui.pages.base import ProjectPage
from workbench.ui.pages.file_edits import import_into
from workbench.ui.pages.policies_acks import PolicyAcknowledgements
from workbench.ui.pages.policies_dialogs import (
    PolicyTemplatesDialog,
    acknowledgement_fields,
    placeholder_note,
    publish_fields,
    publish_values,
)
from workbench.ui.pages.policies_history import PolicyHistory
from workbench.ui.pages.policies_model import PolicyRow, PolicyRowsModel, policy_rows
from workbench.ui.pages.policies_text import PolicyText
from workbench.ui.pages.record_form import RecordDialog
from workbench.ui.pages.register_model import RecordsFilter
from workbench.ui.pages.register_tab import open_guarded
from workbench.ui.pending_edits import FormEdit
from workbench.ui.tables import ColumnFit, row_table, selected_record
from workbench.ui.undo import EditCommand

TAB_TEXT, TAB_HISTORY, TAB_ACKS = range(3)
TAB_KEYS = {"text": TAB_TEXT, "versions": TAB_HISTORY, "acknowledgements": TAB_ACKS}  # the tabs a next action names
TITLE_COLUMN = 1
# (smallest, preferred) width of each other column: key, owner, version, effective, next review, acknowledged
COLUMN_WIDTHS = {0: (90, 170), 2: (90, 170), 3: (70, 90), 4: (90, 120), 5: (105, 120), 6: (125, 135)}
TITLE_LEAST = 180
EMPTY = ("No policies yet. Add from templates… gives a first-year set in plain words to adapt and publish; Import a "
         "policy file… starts one from your own Markdown, Word or PDF document.")
POLICY_FILES = "Policies (*.md *.markdown *.txt *.docx *.pdf)"
DOCUMENT_FILES = "PDF document (*.pdf);;Word document (*.docx)"


@dataclass(frozen=True)
class PoliciesData:
    """What the page shows: the register as of today, and the templates to add from."""

    register: PolicyRegister
    templates: tuple[PolicyTemplate, ...]


class PoliciesPage(ProjectPage):
    """Policies, their versions and acknowledgements."""

    name = "policies"
    title = "Policies"
    shows = Touched.POLICIES | Touched.PEOPLE | Touched.SETTINGS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.data: PoliciesData | None = None
        self.dialog: Any = None
        self.import_wizard: Any = None
        layout = self.column("Policies", "Every policy the auditor reads: edit a draft, publish it as a frozen "
                                         "version, and see who has acknowledged the version in force.")
        self.summary = plain_label()
        self.summary.setObjectName("policiesSummary")
        layout.addWidget(self.summary)
        self.model = PolicyRowsModel(self)
        self.view = row_table(RecordsFilter(self.model), "Policies", sort_column=1, row_numbers=False, wrap=False)
        self.view.selectionModel().selectionChanged.connect(lambda *_args: self._picked())
        # the title takes the room the other columns leave; in a narrow window they shrink first (eliding, the
        # tooltips show them whole)
        self.column_fit = ColumnFit(self.view, TITLE_COLUMN, COLUMN_WIDTHS, TITLE_LEAST)
        self.add_button = QPushButton("&Add from templates…")
        self.add_button.clicked.connect(lambda: self.open_templates())
        self.import_button = QPushButton("&Import a policy file…")
        self.import_button.clicked.connect(lambda: self.import_file())
        self.export_button = QPushButton("E&xport policy…")
        self.export_button.clicked.connect(lambda: self.export())
        self.export_all_button = QPushButton("Export &all…")
        self.export_all_button.clicked.connect(lambda: self.export(whole=True))
        top, top_layout = pane(self.view)
        top_layout.addLayout(packed_row(self.add_button, self.import_button, self.export_button,
                                        self.export_all_button))
        self.text = PolicyText()
        self.history = PolicyHistory()
        self.acks = PolicyAcknowledgements()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.text, "&Text")
        self.tabs.addTab(self.history, "&Versions")
        self.tabs.addTab(self.acks, "Ac&knowledgements")
        size_by_current_tab(self.tabs)
        layout.addWidget(split(top, self.tabs, stretch=(1, 1), vertical=True), 1)
        self.text.new_draft_requested.connect(self.start_new_draft)
        self.text.publish_requested.connect(self.open_publish)
        self.acks.record_requested.connect(self.open_record)
        self.acks.import_requested.connect(self.open_import_signatures)
        context.project_loaded.connect(self._project_switched)
        self.text_form = context.edits.watch(FormEdit(
            title=lambda: f"the draft of {self.text.policy.title if self.text.policy else 'a policy'}",
            read=self.text.typed, stored=self.text.stored, submit=self._save_text, show=self.text.revert),
            self.text.editor)

    # -- loading ------------------------------------------------------------------------------------------

    def fetch(self, project: OpenProject) -> PoliciesData:
        """Read the policies, acknowledgements and people as of today, and the templates (worker thread)."""
        from workbench.services.policy_templates import policy_templates

        return PoliciesData(policy_register(project, self.context.today()), policy_templates())

    def show_data(self, data: PoliciesData) -> None:
        """Fill the list and the picked policy's tabs."""
        chosen = self.selected()
        self.data = data
        register = data.register
        rows = policy_rows(register.policies, register.people, register.behind, register.today)
        self.model.set_rows(rows)
        published = sum(1 for r in rows if r.current is not None)
        people = sorted({b.name for b in register.behind})
        self.summary.setText(EMPTY if not rows else f"{len(rows)} policies, {published} in force."
                             + (f" Behind on acknowledging: {', '.join(people[:4])}"
                                f"{' and more' if len(people) > 4 else ''}." if people else ""))
        self._select(chosen.ref if chosen is not None else (rows[0].ref if rows else None))
        self._picked()

    def show_tab(self, key: str) -> None:
        """Bring the tab of this key ("acknowledgements") to the front (a next action of the dashboard asks)."""
        self.tabs.setCurrentIndex(TAB_KEYS[key])

    def selected(self) -> PolicyRow | None:
        """Return the row of the policy picked, if any."""
        return selected_record(self.view)

    def _select(self, key: str | None) -> None:
        proxy = self.view.model()
        for row in range(proxy.rowCount()):
            if proxy.index(row, 0).data() == key:
                self.view.selectRow(row)
                return

    def _picked(self) -> None:
        row = self.selected()
        policy = row.policy if row is not None else None
        same = policy is not None and self.text.policy is not None and policy.key == self.text.policy.key
        if not same:
            self.context.edits.leave(self.text_form)  # what was typed for the last policy is saved first
        self.text.show_policy(policy, keep_typing=same)
        self.history.show_policy(policy)
        register = self.data.register if self.data is not None else None
        if register is not None:
            self.acks.show_policy(policy, register.people, register.acknowledgements, register.today)
        self.export_button.setEnabled(policy is not None)
        self.export_all_button.setEnabled(bool(self.model.rows))

    def hideEvent(self, event: QHideEvent) -> None:
        self.text_form.commit()  # typing is never lost by leaving the page
        super().hideEvent(event)

    def _project_switched(self) -> None:
        self.text.show_policy(None)  # typing not yet saved belongs to the previous project
        self.data = None

    # -- edits --------------------------------------------------------------------------------------------

    def _apply(self, label: str, operation: Operation, select: str | None = None) -> None:
        if self.context.project is None:
            return

        def failed(_message: str) -> None:
            self.text_form.refused()
            self.reload()

        self.context.apply(EditCommand(label, operation), on_failure=failed,
                           on_success=(lambda _value: self._select(select)) if select else None)

    def _save_text(self, text: str) -> None:
        policy = self.text.policy
        if policy is not None:
            self._apply(f"Edit the draft of {policy.title}", partial(edit_draft, key=policy.key, body=text))

    def start_new_draft(self) -> None:
        """Start a new draft of the picked policy from its latest version (undoable)."""
        policy = self.text.policy
        if policy is not None and policy.draft_body is None:
            self._apply(f"Start a new draft of {policy.title}", partial(edit_draft, key=policy.key))
            self.text.editor.setFocus()

    def open_publish(self) -> None:
        """Ask who approved the draft and from when it is in force, then publish it (undoable)."""
        policy = self.text.policy
        if policy is None or policy.draft_body is None or not self.context.edits.leave(self.text_form):
            return
        number = policy.latest.number + 1 if policy.latest else 1
        note = placeholder_note(policy.draft_body)
        dialog = RecordDialog(f"Publish {policy.title} version {number}", publish_fields(),
                              publish_values(self.context.today()), (), self, note=lambda _values: note)
        dialog.note_label.setText(note)
        dialog.resize(520, 260)

        def accepted() -> None:
            values = dialog.parsed()
            self._apply(f"Publish {policy.title} version {number}", partial(
                publish, key=policy.key, approver=values["approver"], effective_on=values["effective_on"],
                approved_on=values["approved_on"]))

        self.dialog = dialog
        open_guarded(dialog, accepted, self.context)

    def open_record(self) -> None:
        """Ask who acknowledged the picked policy and when, then record it (undoable)."""
        policy = self.text.policy
        if policy is None or self.data is None:
            return
        register = self.data.register
        behind = [b.person for b in register.behind if b.policy_key == policy.key]
        dialog = RecordDialog(f"Record acknowledgement of {policy.title}",
                              acknowledgement_fields(register.people, behind),
                              {"person": behind[0] if behind else None, "acknowledged_on": register.today}, (), self)
        dialog.resize(560, 240)

        def accepted() -> None:
            values = dialog.parsed()
            self._apply(f"Record {values['person']} acknowledged {policy.title}", partial(
                record_acknowledgement, key=policy.key, person=values["person"], on=values["acknowledged_on"]))

        self.dialog = dialog
        open_guarded(dialog, accepted, self.context)

    def open_import_signatures(self) -> None:
        """Open the import wizard for a file of signatures (kind acknowledgements)."""
        from workbench.services.importers.kinds import spec_named
        from workbench.ui.import_wizard import ImportWizard  # the wizard loads when first asked for

        self.import_wizard = ImportWizard(self.context, parent=self, spec=spec_named("acknowledgements"))
        self.import_wizard.open()

    def open_templates(self, keys: Sequence[str] = ()) -> None:
        """Offer the templates not yet used (ticking `keys`); add the ticked ones as drafts (undoable)."""
        if self.data is None:
            return
        dialog = PolicyTemplatesDialog(self.data.templates, {p.key for p in self.data.register.policies}, self)
        dialog.check(keys)

        def accepted() -> None:
            chosen = dialog.checked()
            if chosen:
                label = f"Add {len(chosen)} {'policy' if len(chosen) == 1 else 'policies'} from templates"
                self._apply(label, partial(add_policies, template_keys=chosen), select=chosen[0])

        self.dialog = dialog
        open_guarded(dialog, accepted, self.context)  # type: ignore[arg-type]

    def import_file(self, path: Path | str | None = None) -> None:
        """Start a policy from a Markdown, Word or PDF file (asks for it when no path is given; undoable)."""
        import_into(self, path, ("Import a policy", POLICY_FILES), "Import policy", import_policy,
                    lambda policy: self._select(getattr(policy, "key", None)))

    def export(self, destination: Path | str | None = None, *, whole: bool = False) -> None:
        """Write the picked policy, or every policy, as PDF or DOCX (asks where when no destination is given)."""
        row = self.selected()
        if row is None and not whole:
            return
        key = None if whole else row.policy.key  # type: ignore[union-attr]
        if destination is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export all policies" if whole else f"Export {key}",
                                                    f"{key or 'policies'}.pdf", DOCUMENT_FILES)
            if not chosen:
                return
            destination = chosen
        target = Path(destination)
        from workbench.services.exports.policy_document import write_policies

        self.context.load(lambda project: write_policies(project, target, key), self._exported,
                          label="Export policies")

    def _exported(self, written: tuple[Path, tuple[str, ...]]) -> None:
        """Say where the export went and what to know before sending it (in a box too, when interactive)."""
        from workbench.services.exports.run import ExportOutcome
        from workbench.ui.export_outcome import show_outcome

        outcome = ExportOutcome(written[0], warnings=list(written[1]))
        self.summary.setText(f"Exported to {outcome.path}" + "".join(f". Warning: {w}" for w in outcome.warnings))
        if self.context.interactive:
            show_outcome(self, outcome)

