"""What a user would see cut off or garbled in a shown window: text wider (or taller) than its widget, and "&"s
shown literally or swallowed as a mnemonic where none was meant."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)

SLACK = 1  # a pixel of rounding between what is measured here and what Qt lays out
UNMEANT_MNEMONIC = re.compile(r"&(?!&)(?=\w)")  # "&S" in "&Save to": shown as "&S" when nothing processes it
LOST_AMPERSAND = re.compile(r"&(?=[^\w&]|$)")  # "Save & close" on a button: the "&" vanishes, the space underlined


def settle() -> None:
    """Let layouts settle: wrapped labels learn their width in one pass and their height in the next."""
    for _ in range(3):
        QApplication.processEvents()


def shown_text(text: str) -> str:
    """Return what a widget that processes mnemonics shows for `text` ("&&" is "&", "&X" is an underlined X)."""
    return re.sub(r"&(.)", r"\1", text)


def _is_rich(label: QLabel) -> bool:
    fmt = label.textFormat()
    return fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(label.text()))


def _where(widget: QWidget) -> str:
    names = []
    node: QWidget | None = widget
    while node is not None and len(names) < 4:
        names.append(node.objectName() or node.accessibleName() or type(node).__name__)
        node = node.parentWidget()
    return " < ".join(names)


def _label_problems(label: QLabel) -> Iterator[str]:
    text = label.text()
    if not text or not label.pixmap().isNull():
        return
    area = label.contentsRect()
    margin = label.margin()
    indent = max(label.indent(), 0) if label.indent() >= 0 else 0
    width = area.width() - 2 * margin - indent
    height = area.height() - 2 * margin
    if _is_rich(label):
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        if label.wordWrap():
            document.setTextWidth(width)
        need_w, need_h = document.idealWidth(), document.size().height()
    else:
        if label.buddy() is None and UNMEANT_MNEMONIC.search(text) and label.textFormat() != Qt.TextFormat.RichText:
            yield f"{text!r} shows its '&' (no buddy): {_where(label)}"
        elif label.buddy() is not None and LOST_AMPERSAND.search(text):
            yield f"{text!r} loses its '&' (a buddy's label takes it for a mnemonic): {_where(label)}"
        shown = shown_text(text) if label.buddy() is not None else text
        metrics = QFontMetrics(label.font())
        flags = int(label.alignment().value) | (int(Qt.TextFlag.TextWordWrap.value) if label.wordWrap() else 0)
        need = metrics.boundingRect(QRect(0, 0, max(width, 1), 100_000), flags, shown)
        need_w, need_h = need.width(), need.height()
        if not label.wordWrap():
            need_w = max(metrics.horizontalAdvance(line) for line in shown.split("\n"))
    if need_w > width + SLACK:
        yield f"{text!r} needs {need_w:.0f} px wide, has {width}: {_where(label)}"
    elif need_h > height + SLACK:
        yield f"{text!r} needs {need_h:.0f} px high at {width} px wide, has {height}: {_where(label)}"


def _button_problems(button: QAbstractButton) -> Iterator[str]:
    text = button.text()
    if not text:
        return
    if LOST_AMPERSAND.search(text):
        yield f"{text!r} loses its '&' (taken for a mnemonic; write '&&'): {_where(button)}"
    shown = shown_text(text)
    metrics = QFontMetrics(button.font())
    style = button.style()
    option = QStyleOptionButton()
    option.initFrom(button)
    need = metrics.horizontalAdvance(shown)
    if not button.icon().isNull():
        need += button.iconSize().width() + 4
    if isinstance(button, QPushButton):
        need += 2 * style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, option, button)
        need += 2 * style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, option, button)
        if button.menu() is not None:
            need += style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
    elif isinstance(button, (QCheckBox, QRadioButton)):
        indicator = (QStyle.PixelMetric.PM_IndicatorWidth if isinstance(button, QCheckBox)
                     else QStyle.PixelMetric.PM_ExclusiveIndicatorWidth)
        spacing = (QStyle.PixelMetric.PM_CheckBoxLabelSpacing if isinstance(button, QCheckBox)
                   else QStyle.PixelMetric.PM_RadioButtonLabelSpacing)
        need += style.pixelMetric(indicator, option, button) + style.pixelMetric(spacing, option, button)
    else:
        return  # tool buttons and the like draw icons and their own way
    if need > button.width() + SLACK:
        yield f"{text!r} needs {need} px wide, has {button.width()}: {_where(button)}"


def _field_problems(field: QLineEdit) -> Iterator[str]:
    """A field whose text does not fit shows it from its start unless the user is in it (a setText leaves the
    cursor at the end, scrolled to the text's tail: 'en@halvorsen-reyes.example.com'). A file's path is the
    exception: its end, the file's name, is what matters."""
    if field.hasFocus() or not field.text() or field.cursorPosition() == 0 or Path(field.text()).is_absolute():
        return
    shown = field.displayText()
    if QFontMetrics(field.font()).horizontalAdvance(shown) > field.contentsRect().width() - 8:
        yield f"field {shown!r} shows its end, not its start: {_where(field)}"


def _group_problems(box: QGroupBox) -> Iterator[str]:
    title = box.title()
    if not title:
        return
    if LOST_AMPERSAND.search(title):
        yield f"{title!r} loses its '&' (taken for a mnemonic; write '&&'): {_where(box)}"
    need = QFontMetrics(box.font()).horizontalAdvance(shown_text(title))
    if box.isCheckable():
        need += box.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + 6
    if need > box.width() + SLACK:
        yield f"group {title!r} needs {need} px wide, has {box.width()}: {_where(box)}"


def _tab_problems(bar: QTabBar) -> Iterator[str]:
    for index in range(bar.count()):
        text = bar.tabText(index)
        if LOST_AMPERSAND.search(text):
            yield f"tab {text!r} loses its '&' (taken for a mnemonic; write '&&'): {_where(bar)}"
        rect = bar.tabRect(index)
        if not bar.rect().contains(rect) or rect.width() + SLACK < bar.tabSizeHint(index).width():
            yield f"tab {text!r} is cut off or elided ({rect.width()} px of {bar.tabSizeHint(index).width()}, " \
                  f"the bar {bar.width()} px wide): {_where(bar)}"


def _clipped(widget: QWidget) -> Iterator[str]:
    """Say so when a parent cuts the widget off (scrolled content excepted: it can be scrolled into view)."""
    rect = widget.rect()
    node = widget
    while not node.isWindow():
        parent = node.parentWidget()
        rect = rect.translated(node.pos())
        holder = parent.parentWidget()
        if isinstance(holder, QAbstractScrollArea) and parent is holder.viewport():
            off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff  # content past a side without a scroll bar is out of reach
            across = rect.left() < 0 or rect.right() >= parent.width()
            down = rect.top() < 0 or rect.bottom() >= parent.height()
            if (holder.horizontalScrollBarPolicy() == off and across) or (holder.verticalScrollBarPolicy() == off
                                                                          and down):
                yield f"{type(widget).__name__} {_text(widget)!r} at {rect.getRect()} is cut off by a scroll area " \
                      f"{parent.size().toTuple()} that cannot scroll there: {_where(widget)}"
            return
        if not parent.rect().contains(rect):
            yield f"{type(widget).__name__} {_text(widget)!r} at {rect.getRect()} is cut off by its parent " \
                  f"{parent.size().toTuple()}: {_where(widget)}"
            return
        node = parent


def _text(widget: QWidget) -> str:
    if isinstance(widget, (QLabel, QAbstractButton)):
        return widget.text()
    return widget.title() if isinstance(widget, QGroupBox) else ""


NAME_HEADERS = {"title", "summary", "item", "task", "scenario", "milestone", "control", "name", "description",
                "problem", "exception noted", "text", "item requested"}  # the columns that say what a row is
ROWS_LOOKED_AT = 40  # a view's visible rows read


def _cells(view: QAbstractItemView) -> Iterator[QModelIndex]:
    """Yield the indexes of the cells on show (at most ROWS_LOOKED_AT rows), left to right, top to bottom."""
    viewport = view.viewport().rect()
    y, rows = 1, 0
    while y < viewport.height() and rows < ROWS_LOOKED_AT:
        first = view.indexAt(QPoint(1, y))
        if not first.isValid():
            break
        if isinstance(view, QListView):
            yield first
            y = view.visualRect(first).bottom() + 2
            rows += 1
            continue
        header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()  # type: ignore[attr-defined]
        for logical in range(header.count()):
            if header.isSectionHidden(logical):
                continue
            x = header.sectionViewportPosition(logical)
            if x >= viewport.width() or x + header.sectionSize(logical) <= 0:
                continue
            index = view.indexAt(QPoint(max(x, 0) + 1, y))
            if index.isValid() and index.column() == logical:
                yield index
        y = view.visualRect(first).bottom() + 2
        rows += 1


def _words(text: str) -> str:
    """Return the words of a text, plain or rich, without the marks and breaks between them."""
    if GuiQt.mightBeRichText(text):
        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    return " ".join(re.findall(r"\w+", text.casefold()))


def _elided(view: QAbstractItemView, index: QModelIndex) -> str:
    """Return the cell's text when the view cannot show all of it, else ''."""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    if view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff:  # cannot scroll to the rest
        option.rect.setRight(min(option.rect.right(), view.viewport().width() - 1))
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    text = option.text
    if not text:
        return ""
    style = view.style()
    area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    width = area.width() - 2 * margin
    metrics = QFontMetrics(option.font)
    if option.features & QStyleOptionViewItem.ViewItemFeature.WrapText:
        need = metrics.boundingRect(QRect(0, 0, max(width, 1), 100_000), int(Qt.TextFlag.TextWordWrap.value), text)
        return text if need.width() > width + SLACK or need.height() > area.height() + SLACK else ""
    widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    return text if widest > width + SLACK else ""


def _view_problems(view: QAbstractItemView) -> Iterator[str]:
    """A cell too narrow for its text shows it in its tooltip; a column naming the rows is not the one squeezed."""
    if not isinstance(view, (QTableView, QTreeView, QListView)) or view.model() is None:
        return
    if isinstance(view, QListView) and view.viewMode() != QListView.ViewMode.ListMode:
        return  # icons in a grid
    model = view.model()
    squeezed_names: set[int] = set()
    for index in _cells(view):
        text = _elided(view, index)
        if not text:
            continue
        title = "" if isinstance(view, QListView) else str(model.headerData(index.column(), Qt.Orientation.Horizontal))
        tip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
        if not _words(text) or _words(text) not in _words(tip):
            yield f"{_where(view)}: column {title!r} cuts {text[:60]!r} off and its tooltip does not show it " \
                  f"({tip[:40]!r})"
        if title.strip().lower() in NAME_HEADERS:
            squeezed_names.add(index.column())
    if squeezed_names:
        header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()  # type: ignore[attr-defined]
    for column in squeezed_names:
        title = model.headerData(column, Qt.Orientation.Horizontal)
        wider = [str(model.headerData(other, Qt.Orientation.Horizontal)) for other in range(header.count())
                 if not header.isSectionHidden(other) and header.sectionSize(other) > header.sectionSize(column)
                 and str(model.headerData(other, Qt.Orientation.Horizontal)).strip().lower() not in NAME_HEADERS]
        if wider:
            yield f"{_where(view)}: column {title!r} cuts its texts off at {header.sectionSize(column)} px while " \
                  f"{', '.join(repr(w) for w in wider)} are wider"


def _header_problems(header: QHeaderView) -> Iterator[str]:
    """A column's heading too wide for it has its whole text in its tooltip."""
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return
    metrics = QFontMetrics(header.font())
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    mark = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    for logical in range(header.count()):
        x = header.sectionViewportPosition(logical)
        if header.isSectionHidden(logical) or x >= header.width() or x + header.sectionSize(logical) <= 0:
            continue
        text = str(model.headerData(logical, Qt.Orientation.Horizontal) or "")
        if not text:
            continue
        need = metrics.horizontalAdvance(text) + 2 * margin
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == logical:
            need += mark + margin
        tip = str(model.headerData(logical, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) or "")
        if need > header.sectionSize(logical) + SLACK and _words(text) not in _words(tip):
            yield f"heading {text!r} needs {need} px, has {header.sectionSize(logical)}, and no tooltip shows it: " \
                  f"{_where(header)}"


def problems(root: QWidget) -> list[str]:
    """Return what is cut off or garbled among the visible widgets under `root` (one line each)."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if _text(widget):
            found.extend(_clipped(widget))
        if isinstance(widget, QHeaderView):
            found.extend(_header_problems(widget))
        elif isinstance(widget, QAbstractItemView):
            found.extend(_view_problems(widget))
        elif isinstance(widget, QLineEdit):
            found.extend(_field_problems(widget))
        elif isinstance(widget, QLabel):
            found.extend(_label_problems(widget))
        elif isinstance(widget, QAbstractButton):
            found.extend(_button_problems(widget))
        elif isinstance(widget, QGroupBox):
            found.extend(_group_problems(widget))
        elif isinstance(widget, QTabBar):
            found.extend(_tab_problems(widget))
    return found


def outer_tabs(root: QWidget) -> list[QTabWidget]:
    """Return the visible tab widgets under `root` that no other tab widget under `root` holds."""
    tabs = [t for t in root.findChildren(QTabWidget) if t.isVisible()]
    outer = []
    for tab in tabs:
        node = tab.parentWidget()
        while node is not None and node is not root and not isinstance(node, QTabWidget):
            node = node.parentWidget()
        if node is root or node is None:
            outer.append(tab)
    return outer


def every_tab(root: QWidget, path: str = "") -> Iterator[str]:
    """Show each tab under `root` in turn (nested tabs too), yielding the tabs' titles on show each time."""
    tabs = outer_tabs(root)
    if not tabs:
        yield path
        return
    for tab_widget in tabs:
        for index in range(tab_widget.count()):
            if not tab_widget.isTabEnabled(index):
                continue
            tab_widget.setCurrentIndex(index)
            settle()
            title = shown_text(tab_widget.tabText(index))
            yield from every_tab(tab_widget.widget(index), f"{path} > {title}" if path else title)
