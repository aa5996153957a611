"""A short guided tour of the six steps: one page each, shown once on first run and reopened from Help."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.icons import PageIcons

TOUR_SEEN_KEY = "tour/seen"
FIRST_RUN_DELAY_MS = 400  # let the window paint first, so the tour opens over a finished window
ICON_SIZE = 56


@dataclass(frozen=True)
class TourStop:
    """One step of the road: what it is for and what to do about it in the program."""

    page: str
    step: int
    title: str
    purpose: str
    in_the_app: str


TOUR: tuple[TourStop, ...] = (
    TourStop(
        "scope", 1, "Define scope",
        "Before anything is judged, decide what the report will be about: which company and which system, "
        "whether you want a Type I (your design on one date) or a Type II (your controls working over a period "
        "of months), and which categories besides Security your customers care about.",
        "Fill in the organisation, the system, the report type, the categories and the audit period. Then write "
        "the system description section by section, list the components, the outside providers you rely on, "
        "and what your customers must do on their side. The checklist on the right says what is still missing.",
    ),
    TourStop(
        "assessment", 2, "Readiness assessment",
        "Find out how far you are from passing before an auditor does. Every criterion in scope gets an honest "
        "verdict, so the work ahead becomes a list instead of a worry.",
        "Go through the criteria and mark each one met, partially met, a gap or not applicable (with the "
        "reason), with a note on what exists today. Keys 1 to 4 and 0 set the status quickly. Turn a gap into "
        "a remediation task with an owner and a due date in one click.",
    ),
    TourStop(
        "controls", 3, "Implement controls",
        "Controls are the things your company actually does to meet the criteria: access reviews, backups, "
        "change approval, training. The auditor tests controls, so every criterion needs at least one.",
        "Build the control library: write your own, pick from the templates, or import your spreadsheet. "
        "Give each control an owner, a frequency and a status, and link it to the criteria it covers. The list "
        "of criteria still without a control tells you what to add next.",
    ),
    TourStop(
        "evidence", 4, "Collect evidence",
        "A control the auditor cannot see did not happen. Evidence is the proof: policies, exports, "
        "screenshots, tickets and review records, collected as the controls run.",
        "Pick a control and add its files (or drop them on the page); they are stored inside the project with "
        "a fingerprint that is checked again at export. For a Type II, the evidence calendar shows what each "
        "control's frequency calls for during the audit period, and where proof is still missing.",
    ),
    TourStop(
        "audit", 5, "Engage a CPA firm",
        "Only a licensed CPA firm can issue a SOC 2 report. Once engaged, the auditor sends a request list and "
        "works through it with you during fieldwork.",
        "Record the firm and its contacts, track the milestones from the engagement letter to the "
        "representation letter, import the auditor's request list, and link each request to the controls and "
        "evidence that answer it. File > Export for the Auditor gives them everything in one go.",
    ),
    TourStop(
        "report", 6, "Receive and share",
        "The report is what your customers asked for. It is confidential, so you share it under NDA and keep "
        "track of who has it, and plan the next cycle so coverage has no holes.",
        "Record the report's type, period, opinion and issue date, attach the PDF, note any exceptions with "
        "your responses, and log each recipient with their NDA. Set the bridge letter and next cycle dates; "
        "the timeline plans the road to the next report.",
    ),
)


def tour_seen(settings: QSettings) -> bool:
    """Return True once the user has been through (or skipped) the tour."""
    return bool(settings.value(TOUR_SEEN_KEY, False, type=bool))


class TourDialog(QDialog):
    """The tour: Back, Next, Skip and Done; Esc skips. Closing it in any way remembers that it was seen.

    `show_page(name)` shows a step's page in the main window and returns False when it cannot (no project).
    """

    def __init__(self, settings: QSettings, show_page: Callable[[str], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._show_page = show_page
        self.setWindowTitle("Tour of the Six Steps")
        self.setModal(False)  # "Show me" brings the page up behind it; the user may look around meanwhile
        self.icons = PageIcons(self)
        self.stack = QStackedWidget()
        self.hints: list[QLabel] = []
        for stop in TOUR:
            self.stack.addWidget(self._stop_page(stop))

        self.position = QLabel()
        self.skip_button = QPushButton("&Skip tour")
        self.back_button = QPushButton("&Back")
        self.next_button = QPushButton("&Next")
        self.done_button = QPushButton("&Done")
        self.skip_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(lambda: self.go(self.stack.currentIndex() - 1))
        self.next_button.clicked.connect(lambda: self.go(self.stack.currentIndex() + 1))
        self.done_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.position)
        buttons.addStretch(1)
        for button in (self.skip_button, self.back_button, self.next_button, self.done_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.resize(620, 380)
        self.go(0)

    def _stop_page(self, stop: TourStop) -> QWidget:
        page = QWidget()
        page.setObjectName(f"tour-{stop.page}")
        icon = QLabel()
        icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        icon.setObjectName("tourIcon")
        self.icons.bind(stop.page, lambda image, _path, label=icon: label.setPixmap(_pixmap(image, label)))
        title = QLabel(f"Step {stop.step}: {stop.title}")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        heading = QHBoxLayout()
        heading.addWidget(icon)
        heading.addWidget(title, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(heading)
        for caption, text in (("What it is for", stop.purpose), ("What to do here", stop.in_the_app)):
            label = QLabel(f"<p><b>{caption}</b></p><p>{text}</p>")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(label)
        show_me = QPushButton(f"Show me step {stop.step}")
        show_me.setObjectName("showMe")
        show_me.setAutoDefault(False)
        show_me.clicked.connect(lambda _=False, s=stop: self.show_me(s.page))
        hint = QLabel()
        hint.setWordWrap(True)
        self.hints.append(hint)
        row = QHBoxLayout()
        row.addWidget(show_me)
        row.addWidget(hint, 1)
        layout.addStretch(1)
        layout.addLayout(row)
        return page

    def go(self, index: int) -> None:
        """Turn to the stop at `index` (0 = step 1)."""
        index = max(0, min(index, len(TOUR) - 1))
        self.stack.setCurrentIndex(index)
        self.position.setText(f"Step {index + 1} of {len(TOUR)}")
        last = index == len(TOUR) - 1
        self.back_button.setEnabled(index > 0)
        self.next_button.setVisible(not last)
        self.done_button.setVisible(last)
        (self.done_button if last else self.next_button).setDefault(True)
        self.hints[index].clear()

    def current_stop(self) -> TourStop:
        """Return the step shown now."""
        return TOUR[self.stack.currentIndex()]

    def show_me(self, page: str) -> None:
        """Show a step's page in the main window, keeping the tour open; say so when no project is open."""
        shown = self._show_page(page)
        self.hints[self.stack.currentIndex()].setText(
            "" if shown else "Open a project first (the sample project will do); then this shows its page.")

    def start(self) -> None:
        """Show the tour from step 1."""
        self.go(0)
        self.show()
        self.raise_()
        self.activateWindow()

    def done(self, result: int) -> None:
        self.settings.setValue(TOUR_SEEN_KEY, True)
        self.settings.sync()
        super().done(result)


def _pixmap(icon: QIcon, label: QLabel) -> QPixmap:
    return icon.pixmap(label.size(), label.devicePixelRatioF())


class FirstShow(QObject):
    """Calls back once, shortly after a window is first shown."""

    fired = Signal()

    def __init__(self, window: QWidget, callback: Callable[[], None], delay_ms: int = FIRST_RUN_DELAY_MS) -> None:
        super().__init__(window)
        self._callback = callback
        self._timer = QTimer(self)  # owned, so nothing fires after the window is gone
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._fire)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            watched.removeEventFilter(self)
            self._timer.start()
        return False

    def _fire(self) -> None:
        self._callback()
        self.fired.emit()
