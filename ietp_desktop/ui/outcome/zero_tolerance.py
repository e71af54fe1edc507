"""Asking before a zero-tolerance finding is raised: it names the consequence."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from ietp_desktop.i18n import tr


def confirm_zero_tolerance(parent: QWidget, proceed: Callable[[], None]) -> QMessageBox:
    """A window-modal question; `proceed` runs only when the specialist confirms. The safe
    answer is the default, so Enter or Escape never raises it by accident."""
    box = QMessageBox(parent)
    box.setObjectName("zero_tolerance_box")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Raise a zero-tolerance finding?"))
    box.setText(tr("This is a zero-tolerance violation."))
    box.setInformativeText(
        tr(
            "The recommended outcome becomes 'Termination (zero tolerance) — referred to IETP': "
            "IETP may terminate or downgrade the factory's certificate. Raise it only for a "
            "confirmed violation, with its evidence."
        )
    )
    confirm = box.addButton(tr("Raise zero-tolerance finding"), QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton(tr("Go back"), QMessageBox.ButtonRole.RejectRole)
    confirm.setObjectName("confirm_zero_tolerance")
    back.setObjectName("zero_tolerance_back")
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.buttonClicked.connect(lambda button: proceed() if button is confirm else None)
    box.open()
    return box
