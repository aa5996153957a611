"""The preview of one evidence file: an image scaled to fit, a text's first lines, or a PDF's first page."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontDatabase, QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.services.evidence import PREVIEW_LINES, EvidencePreview, PdfSummary
from workbench.ui.labels import plain_label
from workbench.ui.pages.evidence_model import format_date

IMAGE_LIMIT = QSize(1600, 1200)  # decoded images are scaled down to this on the worker, then to the widget


@dataclass(frozen=True)
class PreparedPreview:
    """A preview ready for the GUI thread: for images, the decoded QImage (None when it cannot be decoded)."""

    evidence_id: int
    preview: EvidencePreview
    image: QImage | None = None


def prepare(evidence_id: int, preview: EvidencePreview) -> PreparedPreview:
    """Decode and shrink an image preview (QImage is safe off the GUI thread); pass other kinds through."""
    if preview.kind == "pdf" and preview.page is not None:
        page = preview.page
        image = QImage(page.rgb, page.width, page.height, page.stride, QImage.Format.Format_RGB888).copy()
        return PreparedPreview(evidence_id, preview, image)
    if preview.kind != "image":
        return PreparedPreview(evidence_id, preview)
    image = QImage.fromData(preview.data)
    if image.isNull():
        return PreparedPreview(evidence_id, preview, None)
    if image.width() > IMAGE_LIMIT.width() or image.height() > IMAGE_LIMIT.height():
        image = image.scaled(IMAGE_LIMIT, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return PreparedPreview(evidence_id, preview, image)


class EvidencePreviewWidget(QStackedWidget):
    """Shows a PreparedPreview; `kind` tells which face is showing ("image", "text", "pdf" or "none")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = "none"
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setEnabled(False)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName("Text preview")
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(80, 60)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.image.setAccessibleName("Image preview")
        self._image: QImage | None = None
        self.pdf = QWidget()
        pdf_layout = QVBoxLayout(self.pdf)
        self.pdf_page = QLabel()
        self.pdf_page.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pdf_page.setMinimumSize(80, 60)
        self.pdf_page.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.pdf_page.setAccessibleName("First page of the PDF")
        self._pdf_image: QImage | None = None
        pdf_layout.addWidget(self.pdf_page, 1)
        self.pdf_form = QFormLayout()
        pdf_layout.addLayout(self.pdf_form)
        for widget in (self.message, self.text, self.image, self.pdf):
            self.addWidget(widget)
        self.show_message("Select an evidence file to preview it.")

    def show_message(self, text: str) -> None:
        """Show a sentence instead of a preview."""
        self.kind = "none"
        self._image = None
        self.message.setText(text)
        self.setCurrentWidget(self.message)

    def show_prepared(self, prepared: PreparedPreview) -> None:
        """Show a preview prepared on the worker."""
        preview = prepared.preview
        if preview.kind == "text":
            self.kind = "text"
            note = f"\n… (only the first {PREVIEW_LINES} lines are shown)" if preview.truncated else ""
            self.text.setPlainText(preview.text + note)
            self.setCurrentWidget(self.text)
        elif preview.kind == "image" and prepared.image is not None:
            self.kind = "image"
            self._image = prepared.image
            self._fit_image()
            self.setCurrentWidget(self.image)
        elif preview.kind == "image":
            self.show_message("No preview: the image cannot be decoded.")
        elif preview.kind == "pdf" and preview.pdf is not None:
            self.kind = "pdf"
            self._pdf_image = prepared.image
            self.pdf_page.setVisible(prepared.image is not None)
            self._show_pdf(preview.pdf)
            self.setCurrentWidget(self.pdf)
            self._fit_pdf_page()
        else:
            self.show_message(preview.text or "No preview.")

    def _show_pdf(self, summary: PdfSummary) -> None:
        while self.pdf_form.rowCount():
            self.pdf_form.removeRow(0)
        rows = [("Pages", str(summary.pages)), ("Title", summary.title), ("Author", summary.author),
                ("Subject", summary.subject), ("Producer", summary.producer), ("Creator", summary.creator),
                ("Created", format_date(summary.created.date()) if summary.created else ""),
                ("Modified", format_date(summary.modified.date()) if summary.modified else ""),
                ("Encrypted", "yes" if summary.encrypted else "")]
        for name, value in rows:
            if value:
                self.pdf_form.addRow(name, plain_label(value, selectable=True))

    def _fit_image(self) -> None:
        if self._image is None:
            return
        size = self.image.size().boundedTo(self._image.size())
        scaled = self._image.scaled(size.expandedTo(QSize(1, 1)), Qt.AspectRatioMode.KeepAspectRatio,
                                    Qt.TransformationMode.SmoothTransformation)
        self.image.setPixmap(QPixmap.fromImage(scaled))

    def _fit_pdf_page(self) -> None:
        if self._pdf_image is None:
            self.pdf_page.clear()
            return
        size = self.pdf_page.size().boundedTo(self._pdf_image.size()).expandedTo(QSize(1, 1))
        scaled = self._pdf_image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                        Qt.TransformationMode.SmoothTransformation)
        self.pdf_page.setPixmap(QPixmap.fromImage(scaled))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_image()
        self._fit_pdf_page()
