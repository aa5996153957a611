"""Pick control templates from our library, filtered by criterion or text, to add them as controls."""

from __future__ import annotations

from collections.abc import Collection, Sequence

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
from workbench.services.templates import ControlTemplate
from workbench.ui.fields import ok_button, ok_cancel, search_box
from workbench.ui.labels import plain_label

KEY_ROLE = Qt.ItemDataRole.UserRole
TITLE, CRITERIA, FREQUENCY, NATURE, REF = range(5)


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class TemplatesDialog(QDialog):
    """Lists the templates with checkboxes; the chosen keys come back from selected_keys()."""

    def __init__(self, templates: Sequence[ControlTemplate], criteria: Sequence[Criterion], *,
                 criterion: str | None = None, existing_titles: Collection[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add controls from templates")
        self.resize(1000, 640)
        self.templates = {t.key: t for t in templates}
        existing = {title.casefold() for title in existing_titles}

        self.criterion = QComboBox()
        self.criterion.setAccessibleName("Show templates for criterion")
        self.criterion.addItem("All criteria", None)
        covered = {cid for t in templates for cid in t.criteria}
        for item in criteria:
            if item.id in covered:
                self.criterion.addItem(f"{item.id}  {_short(item.summary)}", item.id)
        self.search = search_box("Search templates", "Search templates")
        filters = QHBoxLayout()
        criterion_label = QLabel("&Criterion")
        criterion_label.setBuddy(self.criterion)
        filters.addWidget(criterion_label)
        filters.addWidget(self.criterion, 2)
        filters.addWidget(self.search, 1)

        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderLabels(["Template", "Criteria", "Frequency", "Nature", "Suggested ref"])
        self.tree.setAccessibleName("Control templates")
        header = self.tree.header()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (CRITERIA, FREQUENCY, NATURE, REF):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.items: dict[str, QTreeWidgetItem] = {}
        for template in templates:
            already = template.title.casefold() in existing
            item = QTreeWidgetItem([
                template.title + ("  (already in the library)" if already else ""), ", ".join(template.criteria),
                template.frequency.label, template.nature.label, template.suggested_ref,
            ])
            item.setData(TITLE, KEY_ROLE, template.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(TITLE, Qt.CheckState.Unchecked)
            item.setToolTip(TITLE, template.description)
            self.tree.addTopLevelItem(item)
            self.items[template.key] = item
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(110)
        self.details.setAccessibleName("Template description")
        self.details.setPlaceholderText("Select a template to read what it asks for.")
        self.count = plain_label()

        self.buttons = ok_cancel(self)
        self.ok_button = ok_button(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(
            "Templates are starting points written for small companies: tick the ones that fit, then adapt "
            "each control's description, owner and frequency to how you really work."
        ))
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.details)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.criterion.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)
        self.tree.itemChanged.connect(self._update_count)
        self.tree.currentItemChanged.connect(self._show_details)
        if criterion is not None:
            self.criterion.setCurrentIndex(max(self.criterion.findData(criterion), 0))
            first = next((item for key, item in self.items.items() if criterion in self.templates[key].criteria), None)
            if first is not None:
                first.setCheckState(TITLE, Qt.CheckState.Checked)
                self.tree.setCurrentItem(first)
        self._apply_filter()
        self._update_count()
        self.search.setFocus()

    def selected_keys(self) -> list[str]:
        """Return the keys of the ticked templates, in library order (hidden ones included)."""
        return [key for key, item in self.items.items() if item.checkState(TITLE) == Qt.CheckState.Checked]

    def set_selected(self, key: str, selected: bool) -> None:
        """Tick or untick one template."""
        self.items[key].setCheckState(TITLE, Qt.CheckState.Checked if selected else Qt.CheckState.Unchecked)

    def visible_keys(self) -> list[str]:
        """Return the keys of the templates the filters let through."""
        return [key for key, item in self.items.items() if not item.isHidden()]

    def _apply_filter(self) -> None:
        criterion = self.criterion.currentData()
        text = self.search.text()
        for key, item in self.items.items():
            template = self.templates[key]
            item.setHidden((criterion is not None and criterion not in template.criteria) or not template.matches(text))

    def _update_count(self) -> None:
        chosen = len(self.selected_keys())
        self.count.setText(f"{chosen} selected" if chosen else "Tick the templates to add")
        self.ok_button.setText(f"Add {chosen} control{'' if chosen == 1 else 's'}" if chosen else "Add controls")
        self.ok_button.setEnabled(chosen > 0)

    def _show_details(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is None:
            self.details.clear()
            return
        template = self.templates[current.data(TITLE, KEY_ROLE)]
        self.details.setPlainText(f"{template.title}\n{template.description}")
