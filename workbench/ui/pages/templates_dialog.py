"""Pick control templates from our library, one by one or as a set, filtered by criterion or text, to apply them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.catalog import Criterion
from workbench.domain.control_templates import ControlTemplate, TemplateSet
from workbench.ui.fields import ok_button, ok_cancel, search_box
from workbench.ui.labels import plain_label, plain_tip

KEY_ROLE = Qt.ItemDataRole.UserRole
TITLE, CRITERIA, FREQUENCY, NATURE, TYPE, OWNER = range(6)


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(template: ControlTemplate) -> str:
    """Return everything a template says, as the details box shows it."""
    lines = [template.title, template.description, "",
             f"{template.frequency.label} · {template.nature.label} · {template.control_type.label} · "
             f"suggested owner: {template.owner_role} · criteria: {', '.join(template.criteria)}",
             "Evidence an auditor usually asks for:", *(f"  • {item}" for item in template.evidence)]
    if template.population:
        lines.append(f"Population tested: {template.population}")
    if template.sets:
        lines.append(f"In the sets: {', '.join(template.sets)}")
    return "\n".join(lines)


class TemplatesDialog(QDialog):
    """Lists the templates with checkboxes; a set ticks its members; the chosen keys come from selected_keys()."""

    def __init__(self, templates: Sequence[ControlTemplate], criteria: Sequence[Criterion], *,
                 sets: Sequence[TemplateSet] = (), criterion: str | None = None,
                 present: Mapping[str, str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add controls from templates")
        self.resize(1100, 680)
        self.templates = {t.key: t for t in templates}
        self.present = dict(present or {})  # template key -> reference of the control already made from it
        self.sets = {s.key: s for s in sets}

        self.template_set = QComboBox()
        self.template_set.setAccessibleName("Tick the templates of a set")
        self.template_set.addItem("Pick by hand", None)
        for item in sets:
            self.template_set.addItem(f"{item.title} ({len(item.keys)} templates)", item.key)
        self.criterion = QComboBox()
        self.criterion.setAccessibleName("Show templates for criterion")
        self.criterion.addItem("All criteria", None)
        covered = {cid for t in templates for cid in t.criteria}
        for item in criteria:
            if item.id in covered:
                self.criterion.addItem(f"{item.id}  {_short(item.summary)}", item.id)
        self.search = search_box("Search templates", "Search templates")
        filters = QHBoxLayout()
        for text, widget, stretch in (("Se&t", self.template_set, 1), ("&Criterion", self.criterion, 2)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, stretch)
        filters.addWidget(self.search, 1)

        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderLabels(["Template", "Criteria", "Frequency", "Nature", "Type", "Suggested owner"])
        self.tree.setAccessibleName("Control templates")
        header = self.tree.header()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (FREQUENCY, NATURE, TYPE, OWNER):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CRITERIA, QHeaderView.ResizeMode.Interactive)  # a few templates list many
        self.tree.setColumnWidth(CRITERIA, self.fontMetrics().horizontalAdvance("CC6.1, CC6.2, CC6.3, C1.1") + 16)
        self.items: dict[str, QTreeWidgetItem] = {}
        for template in templates:
            ref = self.present.get(template.key)
            item = QTreeWidgetItem([
                f"[in the project as {ref}] {template.title}" if ref else template.title,
                ", ".join(template.criteria), template.frequency.label, template.nature.label,
                template.control_type.label, template.owner_role,
            ])
            item.setData(TITLE, KEY_ROLE, template.key)
            if ref is None:  # applying a template already applied adds nothing, so it cannot be ticked
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(TITLE, Qt.CheckState.Unchecked)
            for column in range(item.columnCount()):  # the whole text of a cell too narrow for it
                item.setToolTip(column, plain_tip(item.text(column)))
            item.setToolTip(TITLE, plain_tip(f"{item.text(TITLE)}\n\n{template.description}"))
            self.tree.addTopLevelItem(item)
            self.items[template.key] = item
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(170)
        self.details.setAccessibleName("Template details")
        self.details.setPlaceholderText("Select a template to read what it asks for and what an auditor looks at.")
        self.count = plain_label()

        self.buttons = ok_cancel(self)
        self.ok_button = ok_button(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(
            "Templates are starting points written for small companies: tick the ones that fit, or pick a set, "
            "then adapt each control's description, owner and frequency to how you really work. Only the "
            "criteria of the project's categories are linked, and templates already applied are left alone."
        ))
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.details)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.template_set.currentIndexChanged.connect(self._pick_set)
        self.criterion.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)
        self.tree.itemChanged.connect(self._update_count)
        self.tree.currentItemChanged.connect(self._show_details)
        if criterion is not None:
            self.criterion.setCurrentIndex(max(self.criterion.findData(criterion), 0))
            first = self._suggested(criterion)
            if first is not None:
                self.items[first].setCheckState(TITLE, Qt.CheckState.Checked)
                self.tree.setCurrentItem(self.items[first])
        self._apply_filter()
        self._update_count()
        self.search.setFocus()

    def selected_keys(self) -> list[str]:
        """Return the keys of the ticked templates, in library order (hidden ones included)."""
        return [key for key, item in self.items.items() if item.checkState(TITLE) == Qt.CheckState.Checked]

    def set_selected(self, key: str, selected: bool) -> None:
        """Tick or untick one template (one already in the project stays unticked)."""
        if key not in self.present:
            self.items[key].setCheckState(TITLE, Qt.CheckState.Checked if selected else Qt.CheckState.Unchecked)

    def choose_set(self, key: str | None) -> None:
        """Tick exactly the templates of a set that are not in the project yet (None: leave the ticks as they are)."""
        self.template_set.setCurrentIndex(max(self.template_set.findData(key), 0))

    def visible_keys(self) -> list[str]:
        """Return the keys of the templates the filters let through."""
        return [key for key, item in self.items.items() if not item.isHidden()]

    def _suggested(self, criterion: str) -> str | None:
        """The template to tick for a criterion: one not applied yet, preferably one mainly about it."""
        candidates = [t for t in self.templates.values() if criterion in t.criteria and t.key not in self.present]
        primary = [t for t in candidates if t.criteria[0] == criterion]
        pool = primary or candidates
        return pool[0].key if pool else None

    def _pick_set(self) -> None:
        chosen = self.sets.get(self.template_set.currentData())
        if chosen is None:
            return
        members = set(chosen.keys)
        for key in self.items:
            self.set_selected(key, key in members)

    def _apply_filter(self) -> None:
        criterion = self.criterion.currentData()
        text = self.search.text()
        for key, item in self.items.items():
            template = self.templates[key]
            item.setHidden((criterion is not None and criterion not in template.criteria) or not template.matches(text))

    def _update_count(self) -> None:
        chosen = len(self.selected_keys())
        self.count.setText(f"{chosen} selected" if chosen else "Tick the templates to add, or pick a set")
        self.ok_button.setText(f"Add {chosen} control{'' if chosen == 1 else 's'}" if chosen else "Add controls")
        self.ok_button.setEnabled(chosen > 0)

    def _show_details(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is None:
            self.details.clear()
            return
        key = current.data(TITLE, KEY_ROLE)
        ref = self.present.get(key)
        already = f"Already in the project as {ref}: applying it again adds nothing.\n\n" if ref else ""
        self.details.setPlainText(already + describe(self.templates[key]))
