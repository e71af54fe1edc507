"""Draw marks on a copy of a photo: arrow, circle, text, or blur a rectangle (a face, a name).
Drag on the photo to place a mark; Save stores the copy as a new photo with the same links."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.i18n import tr
from ietp_desktop.services.dto import AttachmentView
from ietp_desktop.services.evidence.annotation import Mark, Shape, annotate_photo
from ietp_desktop.storage.db import Database
from ietp_desktop.ui.common.user_errors import user_errors

CANVAS = (900, 560)
MARK_LABELS = {
    Mark.ARROW: "Arrow",
    Mark.CIRCLE: "Circle",
    Mark.TEXT: "Text",
    Mark.BLUR: "Blur a rectangle",
}


class _Canvas(QLabel):
    """The photo, scaled to fit; marks are kept in the photo's own pixels."""

    def __init__(self, photo_path: str, dialog: AnnotateDialog) -> None:
        super().__init__(dialog)
        self.setObjectName("annotate_canvas")
        self.dialog = dialog
        self.source = QPixmap(photo_path)
        shown = self.source.scaled(
            *CANVAS,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.factor = shown.width() / max(self.source.width(), 1)
        self.setPixmap(shown)
        self.setFixedSize(shown.size())
        self.start: QPoint | None = None

    def to_image(self, point: QPoint) -> tuple[int, int]:
        return round(point.x() / self.factor), round(point.y() / self.factor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.start = event.position().toPoint()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.start is None:
            return
        x0, y0 = self.to_image(self.start)
        x1, y1 = self.to_image(event.position().toPoint())
        self.start = None
        self.dialog.add_shape(x0, y0, x1, y1)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setPen(QPen(QColor(230, 20, 20), 2))
        for shape in self.dialog.shapes:
            a = QPoint(round(shape.x0 * self.factor), round(shape.y0 * self.factor))
            b = QPoint(round(shape.x1 * self.factor), round(shape.y1 * self.factor))
            if shape.mark is Mark.ARROW:
                painter.drawLine(a, b)
            elif shape.mark is Mark.CIRCLE:
                painter.drawEllipse(QRect(a, b).normalized())
            elif shape.mark is Mark.BLUR:
                painter.fillRect(QRect(a, b).normalized(), QColor(120, 120, 120, 170))
            else:
                painter.drawText(a, shape.text)
        painter.end()


class AnnotateDialog(QDialog):
    def __init__(
        self,
        db: Database,
        visit_uuid: str,
        photo: AttachmentView,
        on_done: Callable[[AttachmentView], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("annotate_dialog")
        self.db, self.visit_uuid, self.photo, self.on_done = db, visit_uuid, photo, on_done
        self.setWindowTitle(tr("Annotate {file}", file=photo.caption or photo.filename))
        self.shapes: list[Shape] = []
        self.tools = QButtonGroup(self)
        tool_row = QHBoxLayout()
        self.tool_buttons: dict[Mark, QRadioButton] = {}
        for mark, label in MARK_LABELS.items():
            button = QRadioButton(tr(label))
            button.setObjectName(f"mark_{mark.value}")
            self.tools.addButton(button)
            self.tool_buttons[mark] = button
            tool_row.addWidget(button)
        self.tool_buttons[Mark.ARROW].setChecked(True)
        self.text = QLineEdit()
        self.text.setObjectName("mark_text")
        self.text.setPlaceholderText(tr("text to write"))
        tool_row.addWidget(self.text, 1)
        self.undo_button = QPushButton(tr("Remove last mark"))
        self.undo_button.clicked.connect(self.remove_last)
        tool_row.addWidget(self.undo_button)
        self.canvas = _Canvas(photo.path, self)
        self.hint = QLabel(
            tr(
                "Drag on the photo to place the mark. The copy keeps the original's hash; the "
                "photo itself is not changed."
            )
        )
        self.hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save annotated copy"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(tool_row)
        layout.addWidget(self.canvas, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def current_mark(self) -> Mark:
        return next(mark for mark, button in self.tool_buttons.items() if button.isChecked())

    def add_shape(self, x0: int, y0: int, x1: int, y1: int) -> None:
        mark = self.current_mark()
        if mark is Mark.TEXT and not self.text.text().strip():
            self.error.setText(tr("Type the text first, then click where it goes."))
            return
        self.error.clear()
        self.shapes.append(Shape(mark, x0, y0, x1, y1, self.text.text().strip()))
        self.canvas.update()

    def remove_last(self) -> None:
        if self.shapes:
            self.shapes.pop()
            self.canvas.update()

    def accept(self) -> None:
        with user_errors(self.error.setText) as outcome:
            copy = annotate_photo(self.db, self.visit_uuid, self.photo.id, self.shapes)
        if outcome.failed:
            return
        super().accept()
        self.on_done(copy)
