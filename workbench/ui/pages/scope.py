"""Step 1, Define scope: settings, system description, components, subservice organisations, CUECs, checklist."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QDialog, QGroupBox, QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from workbench.domain.description import SystemDescription
from workbench.domain.entities import DESCRIPTION_SECTIONS, Component, Cuec, Subservice
from workbench.services import scope as scope_service
from workbench.services.changes import Operation, Touched
from workbench.services.description import get_system_description
from workbench.services.project import update_settings
from workbench.services.scope import Scope
from workbench.services.session import OpenProject
from workbench.ui.context import PageContext
from workbench.ui.pages.base import ProjectPage
from workbench.ui.pages.scope_checklist import ChecklistPanel
from workbench.ui.pages.scope_description import DescriptionEditor
from workbench.ui.pages.scope_dialogs import ComponentDialog, CuecDialog, RecordDialog, SubserviceDialog
from workbench.ui.pages.scope_models import ComponentModel, CuecModel, SubserviceModel
from workbench.ui.pages.scope_records import RecordPanel
from workbench.ui.pages.scope_settings import SettingsForm
from workbench.ui.pending_edits import FormEdit
from workbench.ui.undo import EditCommand

SECTION_TITLES = dict(DESCRIPTION_SECTIONS)
TAB_DESCRIPTION, TAB_COMPONENTS, TAB_SUBSERVICES, TAB_CUECS = range(4)
RecordT = TypeVar("RecordT", Component, Subservice, Cuec)


def _short(text: str, limit: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


class ScopePage(ProjectPage):
    """What the report covers: who, which report and period, the system and its boundaries."""

    name = "scope"
    title = "Define scope"
    # The description's DC4-DC9 show what the controls, assessments and incidents hold.
    shows = Touched.SCOPE | Touched.SETTINGS | Touched.CONTROLS | Touched.ASSESSMENT | Touched.INCIDENTS

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.scope: Scope | None = None
        self.dialog: QDialog | None = None  # the add/edit dialog currently open, if any
        layout = self.column("1  Define scope", "Say what the report covers: who is audited, which report and "
                             "period, what the system is made of, who helps run it, and what your customers must do "
                             "themselves. Changes are saved as you work; Edit > Undo takes them back.")

        body = QHBoxLayout()
        layout.addLayout(body, 1)
        left = QVBoxLayout()
        body.addLayout(left, 3)
        settings_box = QGroupBox("Project")
        settings_layout = QVBoxLayout(settings_box)
        settings_layout.setContentsMargins(4, 4, 4, 4)
        self.settings_form = SettingsForm()
        settings_layout.addWidget(self.settings_form)
        left.addWidget(settings_box)

        self.tabs = QTabWidget()
        self.description = DescriptionEditor()
        self.components = RecordPanel(
            ComponentModel(self), "component",
            "The infrastructure, software, people, data and procedures that make up the system.",
            ComponentModel.COLUMN_DESCRIPTION,
            {ComponentModel.COLUMN_KIND: (90, 110), ComponentModel.COLUMN_NAME: (120, 240),
             ComponentModel.COLUMN_IN_SCOPE: (80, 100)})
        self.subservices = RecordPanel(
            SubserviceModel(self), "organisation",
            "Vendors that run part of the system for you. Carve-out: the report excludes their controls; "
            "inclusive: it describes and tests them.", SubserviceModel.COLUMN_SERVICE,
            {SubserviceModel.COLUMN_NAME: (120, 170), SubserviceModel.COLUMN_METHOD: (80, 85),
             SubserviceModel.COLUMN_REPORT: (120, 200), SubserviceModel.COLUMN_CONTROLS: (100, 150)})
        self.cuecs = RecordPanel(
            CuecModel(self), "control",
            "Complementary user entity controls: what your customers must do for your controls to work, and the "
            "criteria each one supports.", CuecModel.COLUMN_TEXT, {CuecModel.COLUMN_CRITERIA: (90, 160)})
        # Short titles: the four fit side by side beside the checklist in a window 1100 pixels wide.
        self.tabs.addTab(self.description, "&Description")
        self.tabs.addTab(self.components, "&Components")
        self.tabs.addTab(self.subservices, "&Subservices")
        self.tabs.addTab(self.cuecs, "&User entity controls")
        for index, tip in enumerate(("The system description (DC1-DC9)", "The system's components",
                                     "Subservice organisations and their complementary controls (CSOCs)",
                                     "Complementary user entity controls (CUECs)")):
            self.tabs.setTabToolTip(index, tip)
        left.addWidget(self.tabs, 1)

        checklist_box = QGroupBox("Scope checklist")
        checklist_layout = QVBoxLayout(checklist_box)
        self.checklist = ChecklistPanel()
        checklist_layout.addWidget(self.checklist)
        checklist_box.setMinimumWidth(250)
        checklist_box.setMaximumWidth(330)
        body.addWidget(checklist_box, 1)

        self.settings_form.change_requested.connect(self._change_settings)
        self.description.committed.connect(self._description_committed)
        self.components.add_requested.connect(lambda: self._open_dialog(ComponentDialog(None, self), None))
        self.components.edit_requested.connect(lambda c: self._open_dialog(ComponentDialog(c, self), c))
        self.components.remove_requested.connect(self.remove_component)
        self.subservices.add_requested.connect(lambda: self._open_dialog(SubserviceDialog(None, self), None))
        self.subservices.edit_requested.connect(lambda s: self._open_dialog(SubserviceDialog(s, self), s))
        self.subservices.remove_requested.connect(self.remove_subservice)
        self.cuecs.add_requested.connect(lambda: self._open_dialog(CuecDialog(None, self), None))
        self.cuecs.edit_requested.connect(lambda c: self._open_dialog(CuecDialog(c, self), c))
        self.cuecs.remove_requested.connect(self.remove_cuec)
        self.checklist.item_activated.connect(self._go_to_item)
        context.project_loaded.connect(self._project_switched)
        # Both forms save on focus loss themselves (editingFinished, and the description's own focus watch);
        # PendingEdits sees to the typing still in them when the project closes or another opens.
        settings = self.settings_form
        self.names = context.edits.watch(FormEdit(
            title=lambda: "the organisation and system names", read=settings.typed_names,
            stored=settings.stored_names, submit=lambda _names: settings.commit_names(), show=settings.revert,
            problem=lambda names: "" if names[0] else "the organisation cannot be empty"), settings,
            on_focus_out=False)
        self.sections = context.edits.watch(FormEdit(
            title=lambda: "the system description", read=self.description.texts, stored=self.description.saved,
            submit=lambda _texts: self.description.commit_all(), show=self.description.revert), self.description,
            on_focus_out=False)

    # -- loading ------------------------------------------------------------------------------------------

    def fetch(self, project: OpenProject) -> tuple[Scope, SystemDescription]:
        """Read the scope and the description as the documents print it (worker thread)."""
        return scope_service.get_scope(project), get_system_description(project)

    def show_data(self, data: tuple[Scope, SystemDescription]) -> None:
        """Fill every part of the page from the scope."""
        data, described = data
        self.scope = data
        self.settings_form.set_settings(data.settings)
        self.description.set_texts(data.description)
        self.description.set_filled(described)
        self.components.set_rows(data.components)
        self.subservices.set_rows(data.subservices)
        self.cuecs.set_rows(data.cuecs)
        self.tabs.setTabText(TAB_COMPONENTS, f"&Components ({len(data.components)})")
        self.tabs.setTabText(TAB_SUBSERVICES, f"&Subservices ({len(data.subservices)})")
        self.tabs.setTabText(TAB_CUECS, f"&User entity controls ({len(data.cuecs)})")
        self.checklist.set_items(data.checklist)

    def hideEvent(self, event: QHideEvent) -> None:
        self.description.commit_all()  # typing is never lost by leaving the page
        super().hideEvent(event)

    def _project_switched(self) -> None:
        # Typing not yet committed belongs to the previous project: never send it to the new one.
        self.description.reset()
        self.settings_form.organization.setModified(False)
        self.settings_form.system.setModified(False)
        if self.dialog is not None:
            self.dialog.reject()

    # -- changes ------------------------------------------------------------------------------------------

    def _apply(self, label: str, operation: Operation, refused: Callable[[], None] | None = None,
               landed: Callable[[], None] | None = None) -> None:
        if self.context.project is None:
            return

        def failed(_message: str) -> None:
            if refused is not None:
                refused()
            self.names.refused()
            self.sections.refused()
            self.settings_form.revert()  # show the stored settings again, not the refused edit
            self.reload()

        self.context.apply(EditCommand(label, operation), on_failure=failed,
                           on_success=(lambda _value: landed()) if landed is not None else None)

    def _change_settings(self, label: str, changes: dict[str, Any]) -> None:
        self._apply(label, partial(update_settings, **changes))

    def _description_committed(self, key: str, text: str) -> None:
        self._apply(f"Edit description: {SECTION_TITLES[key]}",
                    partial(scope_service.set_description, sections={key: text}),
                    refused=lambda: self.description.refused(key),  # the typing stays, still to be saved
                    landed=lambda: self.description.landed(key))

    def _open_dialog(self, dialog: RecordDialog, record: Any) -> None:
        if self.context.project is None:
            return
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._dialog_accepted(dialog, record))
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        dialog.guard(self.context.edits)
        dialog.open()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _dialog_accepted(self, dialog: QDialog, record: Any) -> None:
        # A dialog opened to add a record holds id 0: restoring it adds a new one.
        if isinstance(dialog, ComponentDialog):
            component = dialog.component()
            self._save(record, component, "component", partial(scope_service.restore_component, component=component),
                       partial(scope_service.update_component, component=component))
        elif isinstance(dialog, SubserviceDialog):
            subservice = dialog.subservice()
            self._save(record, subservice, "subservice organisation",
                       partial(scope_service.restore_subservice, subservice=subservice),
                       partial(scope_service.update_subservice, subservice=subservice))
        elif isinstance(dialog, CuecDialog):
            cuec = dialog.cuec()
            self._save(record, cuec, "user entity control", partial(scope_service.restore_cuec, cuec=cuec),
                       partial(scope_service.update_cuec, cuec=cuec))

    def _save(self, old: RecordT | None, new: RecordT, noun: str, add: Operation, update: Operation) -> None:
        name = _short(new.text if isinstance(new, Cuec) else new.name)
        if old is None:
            self._apply(f"Add {noun} {name}", add)
        elif new != old:
            self._apply(f"Edit {noun} {name}", update)

    def remove_component(self, component: Component) -> None:
        """Remove a component (undo puts it back with the same values)."""
        self._apply(f"Remove component {_short(component.name)}",
                    partial(scope_service.remove_component, component_id=component.id))

    def remove_subservice(self, subservice: Subservice) -> None:
        """Remove a subservice organisation (undo puts it back with the same values)."""
        self._apply(f"Remove subservice organisation {_short(subservice.name)}",
                    partial(scope_service.remove_subservice, subservice_id=subservice.id))

    def remove_cuec(self, cuec: Cuec) -> None:
        """Remove a complementary user entity control (undo puts it back with the same text)."""
        self._apply(f"Remove user entity control {_short(cuec.text)}", partial(scope_service.remove_cuec,
                                                                               cuec_id=cuec.id))

    # -- checklist navigation ---------------------------------------------------------------------------

    def _go_to_item(self, text: str) -> None:
        for key, title in DESCRIPTION_SECTIONS:
            if text == f"Describe {title}":
                self.tabs.setCurrentIndex(TAB_DESCRIPTION)
                self.description.show_section(key)
                return
        targets = {"components": TAB_COMPONENTS, "subservice": TAB_SUBSERVICES, "user entity": TAB_CUECS}
        for word, tab in targets.items():
            if word in text:
                self.tabs.setCurrentIndex(tab)
                return
        if "organisation" in text:
            self.settings_form.organization.setFocus()
        elif "system" in text:
            self.settings_form.system.setFocus()
        else:
            self.settings_form.period_start.setFocus()
