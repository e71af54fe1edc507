"""Making a page read-only: text stays selectable and scrollable, nothing can be changed.

A widget marked with `keep_enabled(widget)` (viewing, not changing: guidance toggles, the
photo viewer) stays usable. Locking is one way: a visit that becomes editable again (a new
revision) is opened afresh, so no page has to remember what it had disabled itself.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

KEEP_ENABLED = "ietp_keep_enabled"


def keep_enabled(widget: QWidget) -> QWidget:
    widget.setProperty(KEEP_ENABLED, True)
    return widget


def lock(root: QWidget) -> None:
    """Every input under `root` stops accepting changes."""
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.property(KEEP_ENABLED) or isinstance(widget, QTabBar):
            continue
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            parent = widget.parentWidget()
            if isinstance(parent, QComboBox | QAbstractSpinBox):
                continue  # the combo or date edit itself is locked below
            widget.setReadOnly(True)
        elif isinstance(widget, QAbstractSpinBox):
            widget.setReadOnly(True)
            widget.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        elif isinstance(widget, QAbstractButton | QComboBox):
            widget.setEnabled(False)
        elif isinstance(widget, QAbstractItemView):
            widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            widget.setAcceptDrops(False)
        elif type(widget).__name__ == "SignaturePad":
            widget.setEnabled(False)
        widget.setAcceptDrops(False)
