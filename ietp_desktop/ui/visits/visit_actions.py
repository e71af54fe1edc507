"""Which visit actions apply to the selected visit, and the question asked before a visit
starts on a day other than the one agreed with the factory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QMessageBox, QWidget

from ietp_desktop.domain.lifecycle import VisitStatus, can_become
from ietp_desktop.i18n import tr
from ietp_desktop.services.dto import VisitSummary


@dataclass(frozen=True)
class Offer:
    enabled: bool
    why_not: str = ""  # the tooltip of a disabled button


def open_offer(visit: VisitSummary | None) -> Offer:
    if visit is None:
        return Offer(False, tr("Choose a visit first."))
    if VisitStatus(visit.status) is VisitStatus.PLANNED:
        return Offer(False, tr("Confirm the visit date with the factory before starting."))
    return Offer(True)


def open_label(visit: VisitSummary | None) -> str:
    if visit is not None and VisitStatus(visit.status) is VisitStatus.CONFIRMED:
        return tr("Start visit")
    return tr("Open visit")


def transition_offer(visit: VisitSummary | None, target: VisitStatus) -> Offer:
    if visit is None:
        return Offer(False, tr("Choose a visit first."))
    current = VisitStatus(visit.status)
    if can_become(current, target):
        return Offer(True)
    return Offer(False, tr("Not possible for a visit that is {status}.", status=tr(current.label)))


def start_question(visit: VisitSummary, today: date | None = None) -> str:
    """The question to ask before starting, or '' when today is the agreed date."""
    today = today or date.today()
    if VisitStatus(visit.status) is not VisitStatus.CONFIRMED:
        return ""
    agreed = visit.confirmed_date
    if agreed == today:
        return ""
    return tr(
        "The visit date agreed with the factory is {agreed}; today is {today}. "
        "Start the visit today?",
        agreed=agreed or "–",
        today=today,
    )


def ask_before_start(parent: QWidget, question: str, start: Callable[[], object]) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Question, tr("Start the visit?"), question, parent=parent)
    box.setObjectName("start_question")
    start_button = box.addButton(tr("Start today"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)  # a second Enter does not start a visit on the wrong day
    box.buttonClicked.connect(lambda button: start() if button is start_button else None)
    box.open()
    return box
