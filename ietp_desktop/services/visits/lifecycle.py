"""Visit lifecycle: plan, confirm, start, refuse, complete, reopen, new revision."""

from __future__ import annotations

import json
import uuid as uuid_module
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from ietp_desktop.domain.errors import UserError, ValidationFailed
from ietp_desktop.domain.lifecycle import VisitStatus, check_transition
from ietp_desktop.domain.pv_window import pv_window
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.dto import CompletionBlocker, CompletionWarning
from ietp_desktop.services.outcome.fee import store_fee
from ietp_desktop.services.visits import completion
from ietp_desktop.services.visits.factories import resolve_factory
from ietp_desktop.services.visits.read import (
    completion_problems_in,
    load_detail,
    outcome_of,
)
from ietp_desktop.services.visits.refs import resolve_visit, short_id
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit, VisitRevision
from ietp_desktop.storage.types import utcnow


@dataclass(frozen=True)
class PlannedVisit:
    id: int
    uuid: str
    short_id: str
    window_opens: date | None
    window_closes: date | None
    warning: str | None  # the planned date falls outside the PV window


def _window_warning(seal: date | None, when: date | None) -> str | None:
    if seal is None or when is None:
        return None
    return pv_window(seal).warning(when)


def plan_visit(
    db: Database,
    factory_ref: str | int,
    planned_date: date | None,
    *,
    specialist_name: str = "",
    specialist_email: str = "",
    man_days: Decimal | None = None,
    form_id: str = definitions.DEFAULT_FORM_ID,
    visit_uuid: str | None = None,
    form_sha256: str | None = None,
) -> PlannedVisit:
    """A new visit on the latest installed form, or on `form_sha256` (an installed older
    version, as the demo's v1 visit)."""
    with db.session() as session:
        factory = resolve_factory(session, factory_ref)
        if form_sha256 is not None:
            definitions.form_by_sha(session, form_sha256)  # NotFound when not installed
        visit = Visit(
            uuid=visit_uuid or str(uuid_module.uuid4()),
            factory_id=factory.id,
            form_sha256=form_sha256 or definitions.latest_form_sha(session, form_id),
            rule_set_sha256=definitions.latest_rule_set_sha(session),
            status=VisitStatus.PLANNED.value,
            planned_date=planned_date,
            specialist_name=specialist_name,
            specialist_email=specialist_email,
            man_days=man_days,
        )
        session.add(visit)
        session.flush()
        window = pv_window(factory.seal_issued_on) if factory.seal_issued_on else None
        return PlannedVisit(
            id=visit.id,
            uuid=visit.uuid,
            short_id=short_id(visit.uuid),
            window_opens=window.opens if window else None,
            window_closes=window.closes if window else None,
            warning=_window_warning(factory.seal_issued_on, planned_date),
        )


def _transition(visit: Visit, target: VisitStatus) -> None:
    check_transition(VisitStatus(visit.status), target, short_id(visit.uuid))
    visit.status = target.value


def confirm_visit(
    db: Database, ref: str | int, confirmed_date: date, announcement_sent_on: date | None
) -> str | None:
    """Date agreed with the factory; returns a warning if it falls outside the PV window."""
    if announcement_sent_on and announcement_sent_on > confirmed_date:
        raise ValidationFailed(
            "the announcement ({announcement_sent_on}) must be sent before "
            "the visit date ({confirmed_date})",
            announcement_sent_on=announcement_sent_on,
            confirmed_date=confirmed_date,
        )
    with db.session() as session:
        visit = resolve_visit(session, ref)
        _transition(visit, VisitStatus.CONFIRMED)
        visit.confirmed_date = confirmed_date
        visit.announcement_sent_on = announcement_sent_on
        return _window_warning(visit.factory.seal_issued_on, confirmed_date)


def start_visit(db: Database, ref: str | int, on: date | None = None) -> None:
    with db.session() as session:
        visit = resolve_visit(session, ref)
        if visit.status == VisitStatus.IN_PROGRESS.value:
            return
        _transition(visit, VisitStatus.IN_PROGRESS)
        visit.visit_start = visit.visit_start or on or date.today()


def refuse_visit(db: Database, ref: str | int, note: str) -> None:
    """The factory refused the Progress Visit: outcome 'Progress Audit required'."""
    if not note.strip():
        raise ValidationFailed("say how the factory refused the visit (who, when, what was said)")
    with db.session() as session:
        visit = resolve_visit(session, ref)
        _transition(visit, VisitStatus.REFUSED)
        visit.refusal_note = note.strip()
        outcome = outcome_of(session, visit)
        visit.outcome_recommended = outcome.recommended
        visit.outcome_final = outcome.final


def completion_problems(db: Database, ref: str | int) -> list[str]:
    with db.session() as session:
        return completion_problems_in(session, resolve_visit(session, ref))


def completion_blockers(db: Database, ref: str | int) -> list[CompletionBlocker]:
    """Every reason the visit cannot be completed yet, with the item or role it concerns."""
    with db.session() as session:
        return completion.blockers_in(session, resolve_visit(session, ref))


def completion_warnings(db: Database, ref: str | int) -> list[CompletionWarning]:
    """What completion allows but the specialist should settle first (CAP lines, agreement)."""
    with db.session() as session:
        return completion.warnings_in(session, resolve_visit(session, ref))


def complete_visit(db: Database, ref: str | int, on: date | None = None) -> str:
    """Close the visit; refused with every reason while the gates are not met.

    Returns the final outcome key.
    """
    with db.session() as session:
        visit = resolve_visit(session, ref)
        if visit.status == VisitStatus.REFUSED.value:
            _transition(visit, VisitStatus.COMPLETED)
        else:
            problems = completion_problems_in(session, visit)
            if problems:
                raise ValidationFailed(
                    f"visit {short_id(visit.uuid)} cannot be completed: " + "; ".join(problems),
                    problems,
                )
            _transition(visit, VisitStatus.COMPLETED)
        visit.visit_end = visit.visit_end or on or date.today()
        visit.completed_at = utcnow()
        outcome = outcome_of(session, visit)
        visit.outcome_recommended = outcome.recommended
        visit.outcome_final = outcome.final
        store_fee(session, visit)
        return outcome.final


def reopen_visit(db: Database, ref: str | int) -> None:
    """A completed (not yet signed) visit goes back to in progress."""
    with db.session() as session:
        visit = resolve_visit(session, ref)
        _transition(visit, VisitStatus.IN_PROGRESS)
        visit.completed_at = None


def open_new_revision(db: Database, ref: str | int, reason: str) -> int:
    """A signed visit is locked; a change keeps the signed revision and opens the next one."""
    if not reason.strip():
        raise ValidationFailed("a new revision needs a reason (what changes and why)")
    detail = load_detail(db, ref)
    snapshot = json.dumps(asdict(detail), ensure_ascii=False, default=str)
    with db.session() as session:
        visit = resolve_visit(session, ref)
        if not VisitStatus(visit.status).content_locked:
            raise UserError(
                "visit {visit} is not signed; it can be changed as it is",
                visit=short_id(visit.uuid),
            )
        session.add(
            VisitRevision(
                visit_id=visit.id,
                revision=visit.revision,
                reason=visit.revision_reason,
                snapshot_json=snapshot,
                report_sha256=visit.report_sha256,
            )
        )
        _transition(visit, VisitStatus.IN_PROGRESS)
        visit.revision += 1
        visit.revision_reason = reason.strip()
        visit.signed_at = None
        visit.completed_at = None
        visit.report_sha256 = None
        record_event(session, visit.id, "Visit", "new_revision", f"{visit.revision}: {reason}")
        return visit.revision


def set_visit_fields(db: Database, ref: str | int, **changes: object) -> None:
    """Visit details the specialist edits (dates, man-days, day rate, invoice receipt…)."""
    allowed = {
        "planned_date",
        "visit_start",
        "visit_end",
        "man_days",
        "day_rate_usd",
        "invoice_received_on",
        "specialist_name",
        "specialist_email",
        "cap_agreed_by",
        "cap_agreed_on",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise UserError("unknown visit field(s): {names}", names=", ".join(sorted(unknown)))
    with db.session() as session:
        visit = resolve_visit(session, ref)
        if VisitStatus(visit.status).content_locked:
            raise UserError(
                "visit {visit} is signed; open a new revision to change it",
                visit=short_id(visit.uuid),
            )
        for name, value in changes.items():
            setattr(visit, name, value)
        store_fee(session, visit)
