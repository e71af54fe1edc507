"""The Qt binding itself: PySide6 6.12.0 drops a reference to None on every Qt call that
returns nothing, and on Python 3.11 (where None is not immortal) a long session then aborts
with "Fatal Python error: none_dealloc". The pinned release must not do that."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_qt_calls_keep_the_reference_count_of_none(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for n in range(2000):
        label.setText(f"text {n}")
    # a few references may come and go with the interpreter's own work; thousands may not
    assert abs(sys.getrefcount(None) - before) < 50
