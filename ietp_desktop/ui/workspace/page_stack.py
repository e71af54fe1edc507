"""The workspace's page stack: every page that does not scroll itself is put in a scroll
area, so the widest or tallest page no longer sets the window's minimum size (the window fits
a 1024×600 screen and sits beside another window). Callers see the pages, not the wrappers."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QWidget


class PageStack(QStackedWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: dict[int, QWidget] = {}  # id(wrapper) -> page

    def add_page(self, page: QWidget) -> int:
        if isinstance(page, QScrollArea):
            return self.addWidget(page)
        wrapper = QScrollArea(self)
        wrapper.setObjectName(f"scroll_{page.objectName() or type(page).__name__}")
        wrapper.setWidgetResizable(True)
        wrapper.setFrameShape(QFrame.Shape.NoFrame)
        wrapper.setWidget(page)
        self._pages[id(wrapper)] = page
        return self.addWidget(wrapper)

    def _page(self, widget: QWidget | None) -> QWidget | None:
        if widget is None:
            return None
        return self._pages.get(id(widget), widget)

    def widget(self, index: int) -> QWidget | None:
        return self._page(super().widget(index))

    def currentWidget(self) -> QWidget | None:
        return self._page(super().currentWidget())

    def indexOf(self, page: QWidget | None) -> int:
        for index in range(self.count()):
            if self.widget(index) is page:
                return index
        return -1

    def setCurrentWidget(self, page: QWidget) -> None:
        self.setCurrentIndex(self.indexOf(page))
