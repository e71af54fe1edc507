"""Dates the specialists agreed with factories, arriving in results bundles (confirmations.json
beside the visits): the board's planned visits become confirmed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.office.accounts.audit import record
from ietp_desktop.storage.models import Visit
from ietp_desktop.storage.office_planning_models import OfficePlannedVisit
from ietp_desktop.sync.bundle import VerifiedBundle
from ietp_desktop.sync.wire.base import parse_json
from ietp_desktop.sync.wire.confirmations import (
    CONFIRMATIONS_ENTRY,
    MAX_CONFIRMATIONS_BYTES,
    ConfirmationsDocument,
)


def read_confirmations(bundle: VerifiedBundle) -> ConfirmationsDocument | None:
    """The bundle's confirmations, checked against the wire model (None when it has none)."""
    if CONFIRMATIONS_ENTRY not in bundle.names():
        return None
    raw = bundle.read_entry(CONFIRMATIONS_ENTRY, MAX_CONFIRMATIONS_BYTES)
    return parse_json(ConfirmationsDocument, raw, CONFIRMATIONS_ENTRY)


def apply_confirmations(
    session: Session, bundle: VerifiedBundle, document: ConfirmationsDocument
) -> list[str]:
    """Record each confirmed date on the plan of the same visit, when the signer is the
    specialist it was assigned to. Visits not planned on the board are left alone."""
    signer = bundle.signer.email.strip().lower()
    applied = []
    for item in document.visits:
        plan = session.scalars(
            select(OfficePlannedVisit).where(OfficePlannedVisit.visit_uuid == item.uuid)
        ).first()
        if (
            plan is None
            or plan.cancelled_at is not None
            or plan.specialist_email.strip().lower() != signer
        ):
            continue
        received = session.scalars(
            select(Visit.id).where(Visit.uuid == item.uuid, Visit.received_at.is_not(None))
        ).first()
        if received is not None or plan.confirmed_date == item.confirmed_date:
            continue
        plan.confirmed_date = item.confirmed_date
        plan.confirmed_via = "sync"
        record(
            session,
            f"{bundle.signer.name} <{bundle.signer.email}>",
            "planning.confirm",
            item.uuid,
            f"confirmed for {item.confirmed_date} (bundle {bundle.bundle_id[:8]})",
        )
        applied.append(item.uuid)
    return applied
