"""A larger view of the visit's photos: zoom (Ctrl+Plus / Ctrl+Minus / 0 to fit), previous
and next with the arrow keys, Escape to close."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ietp_desktop.i18n import tr
from ietp_desktop.services.dto import AttachmentView
from ietp_desktop.ui.common.geometry import fit_dialog

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.1, 8.0


class PhotoViewer(QDialog):
    def __init__(
        self, photos: Sequence[AttachmentView], index: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("photo_viewer")
        self.photos = list(photos)
        self.index = index
        self.zoom: float | None = None  # None: fit the window
        self.pixmap = QPixmap()
        self.image = QLabel()
        self.image.setObjectName("photo_viewer_image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller = QScrollArea()
        self.scroller.setWidget(self.image)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller.setWidgetResizable(False)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrows turn pages, not scroll
        self.caption = QLabel()
        self.caption.setObjectName("photo_viewer_caption")
        self.caption.setWordWrap(True)
        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        self.fit_button = QPushButton()
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.fit_button.clicked.connect(self.fit)
        for button in (self.previous_button, self.next_button, self.fit_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the arrows stay with the viewer
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.fit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.caption)
        layout.addLayout(buttons)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        fit_dialog(self, 1000, 680)
        self.retranslate()
        self.show_photo()

    def current(self) -> AttachmentView:
        return self.photos[self.index]

    def show_photo(self) -> None:
        photo = self.current()
        self.pixmap = QPixmap(photo.path)
        self.zoom = None
        self._render()
        self.caption.setText(
            tr(
                "{number} of {total} · {caption} · items {items}",
                number=self.index + 1,
                total=len(self.photos),
                caption=photo.caption or photo.filename,
                items=", ".join(photo.item_ids) or "–",
            )
        )
        self.setWindowTitle(photo.caption or photo.filename)
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.photos) - 1)

    def scale(self) -> float:
        if self.zoom is not None:
            return self.zoom
        if self.pixmap.isNull():
            return 1.0
        # the room without scroll bars, known as soon as the dialog is laid out (the viewport
        # itself still had its old size when the dialog first opened on a small screen)
        area = self.scroller.maximumViewportSize()
        return min(area.width() / self.pixmap.width(), area.height() / self.pixmap.height(), 1.0)

    def _render(self) -> None:
        if self.pixmap.isNull():
            self.image.setText(tr("This photo cannot be shown."))
            self.image.adjustSize()
            return
        factor = self.scale()
        size = self.pixmap.size() * factor
        self.image.setPixmap(
            self.pixmap.scaled(
                size,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.image.resize(size)

    def zoom_by(self, factor: float) -> None:
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, self.scale() * factor))
        self._render()

    def fit(self) -> None:
        self.zoom = None
        self._render()

    def step(self, delta: int) -> None:
        index = max(0, min(self.index + delta, len(self.photos) - 1))
        if index != self.index:
            self.index = index
            self.show_photo()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows and Page keys turn; +, - (with or without Ctrl) zoom; Ctrl+0 or 0 fits."""
        keys: dict[Qt.Key, Callable[[], None]] = {
            Qt.Key.Key_Right: lambda: self.step(1),
            Qt.Key.Key_Left: lambda: self.step(-1),
            Qt.Key.Key_PageDown: lambda: self.step(1),
            Qt.Key.Key_PageUp: lambda: self.step(-1),
            Qt.Key.Key_Plus: lambda: self.zoom_by(ZOOM_STEP),
            Qt.Key.Key_Equal: lambda: self.zoom_by(ZOOM_STEP),
            Qt.Key.Key_Minus: lambda: self.zoom_by(1 / ZOOM_STEP),
            Qt.Key.Key_0: self.fit,
        }
        handler = keys.get(Qt.Key(event.key()))
        if handler is None:
            super().keyPressEvent(event)
            return
        handler()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom is None:
            self._render()

    def retranslate(self) -> None:
        self.previous_button.setText(tr("← Previous"))
        self.next_button.setText(tr("Next →"))
        self.fit_button.setText(tr("Fit (Ctrl+0)"))
