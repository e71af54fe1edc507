"""Visits taken back from a specialist's laptop, as the assignments bundle carries them.

Every assignments bundle for a specialist carries the visits withdrawn from them in the last
year (newest first, bounded): a laptop that missed one bundle, or refused it as older than one
it applied, still learns of the withdrawal with the next; it applies each once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ietp_desktop.storage.office_plan_change_models import OfficePlanEvent

KEEP_SENDING_DAYS = 366
MAX_SENT = 1_000
KINDS = {"move": "moved", "cancel": "cancelled"}


def withdrawal_document(event: OfficePlanEvent) -> dict[str, Any]:
    """One entry of `withdrawals` in assignments.json (sync/wire/assignments.WithdrawalWire)."""
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
    return {
        "visit_uuid": event.withdrawn_uuid,
        "kind": KINDS[event.kind],
        "reason": event.reason[:2000],
        "withdrawn_by": event.actor[:120],
        "withdrawn_at": at.astimezone(UTC).isoformat(timespec="seconds"),
    }


def pending_withdrawals(session: Session, email: str) -> list[dict[str, Any]]:
    since = datetime.now(UTC) - timedelta(days=KEEP_SENDING_DAYS)
    events = session.scalars(
        select(OfficePlanEvent)
        .where(
            func.lower(OfficePlanEvent.previous_email) == email.strip().lower(),
            OfficePlanEvent.withdrawn_uuid != "",
            OfficePlanEvent.at >= since,
        )
        .order_by(OfficePlanEvent.id.desc())
        .limit(MAX_SENT)
    )
    return [withdrawal_document(e) for e in events]
