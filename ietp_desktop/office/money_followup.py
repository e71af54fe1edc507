"""What the office starts when visits arrive: the fee note becomes an invoice and the visit
enters the escalation queues it belongs to, in the import's own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from ietp_desktop.office.escalations import queue
from ietp_desktop.office.fees import invoices

INTAKE_ACTOR = "intake"


def visits_received(session: Session, uuids: Sequence[str], today: date | None = None) -> None:
    day = today or date.today()
    invoices.issue_for_uuids(session, uuids, INTAKE_ACTOR, day)
    queue.open_for_uuids(session, uuids, INTAKE_ACTOR, day)
