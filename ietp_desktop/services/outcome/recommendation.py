"""The outcome of a visit: the engine's recommendation, its drivers, and the specialist's
override with its written reason. Both are stored on the visit and in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ietp_desktop.domain.errors import UserError, ValidationFailed
from ietp_desktop.domain.lifecycle import VisitStatus
from ietp_desktop.domain.outcome import OUTCOME_LABELS, Outcome
from ietp_desktop.services.dto import OutcomeView
from ietp_desktop.services.visits import completion
from ietp_desktop.services.visits.read import outcome_of
from ietp_desktop.services.visits.refs import resolve_visit, short_id
from ietp_desktop.storage.audit import record_event
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit, Worker

# Statuses whose outcome is settled: the final outcome is kept on the visit row.
_SETTLED = (
    VisitStatus.COMPLETED,
    VisitStatus.REFUSED,
    VisitStatus.SIGNED,
    VisitStatus.EXPORTED,
    VisitStatus.RECEIVED,
)


def outcome_choices() -> list[tuple[str, str]]:
    """(key, English label) of every outcome, in the engine's order."""
    return [(outcome.value, OUTCOME_LABELS[outcome]) for outcome in Outcome]


def visit_outcome(db: Database, visit_ref: str | int) -> OutcomeView:
    """The recommendation with the findings that drove it, and the override if any."""
    with db.session() as session:
        return outcome_of(session, resolve_visit(session, visit_ref))


@dataclass(frozen=True)
class OutcomeStatus:
    """Whether the outcome is still provisional, and what is still open before it is not."""

    provisional: bool
    required_open: tuple[str, ...]  # ids of required items still unanswered
    proposals_open: int  # proposed findings from the records not yet accepted or dismissed


def outcome_status(db: Database, visit_ref: str | int) -> OutcomeStatus:
    """An outcome is provisional until the visit is completed: the findings behind it may
    still change while required items are unanswered or proposed findings unreviewed."""
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        if VisitStatus(visit.status) in _SETTLED:
            return OutcomeStatus(False, (), 0)
        required = tuple(
            b.item_id for b in completion.blockers_in(session, visit) if b.kind == "required_item"
        )
        has_records = bool(session.scalar(select(func.count()).where(Worker.visit_id == visit.id)))
    open_proposals = 0
    if has_records:
        from ietp_desktop.services.hours import proposals  # the analysis is heavy; only if needed

        open_proposals = len(proposals.proposed_findings(db, visit_ref))
    return OutcomeStatus(True, required, open_proposals)


def _require_unsigned(visit: Visit) -> None:
    if VisitStatus(visit.status).content_locked:
        raise UserError(
            "visit {visit} is signed; open a new revision to change its outcome",
            visit=short_id(visit.uuid),
        )


def _parse(outcome: str | Outcome) -> Outcome:
    try:
        return Outcome(outcome)
    except ValueError:
        raise ValidationFailed(
            f"{outcome!r} is not an outcome; use one of " + ", ".join(o.value for o in Outcome)
        ) from None


def override_outcome(
    db: Database, visit_ref: str | int, outcome: str | Outcome, reason: str
) -> OutcomeView:
    """Replace the recommended outcome; refused without a written reason. Choosing the
    recommended outcome itself clears any override."""
    chosen = _parse(outcome)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        _require_unsigned(visit)
        recommended = Outcome(outcome_of(session, visit).recommended)
        if chosen is recommended:
            _clear(visit, recommended)
        else:
            if not reason.strip():
                raise ValidationFailed(
                    "visit {visit}: overriding the recommended outcome "
                    "({recommended}) with {chosen} needs a "
                    "written reason",
                    visit=short_id(visit.uuid),
                    recommended=OUTCOME_LABELS[recommended],
                    chosen=OUTCOME_LABELS[chosen],
                )
            visit.outcome_recommended = recommended.value
            visit.outcome_final = chosen.value
            visit.override_reason = reason.strip()
            record_event(
                session,
                visit.id,
                "Visit",
                "outcome_override",
                f"{recommended.value} → {chosen.value}: {reason.strip()}",
            )
        session.flush()
        return outcome_of(session, visit)


def _clear(visit: Visit, recommended: Outcome) -> None:
    visit.outcome_recommended = recommended.value
    visit.override_reason = ""
    settled = VisitStatus(visit.status) in _SETTLED
    visit.outcome_final = recommended.value if settled else None


def clear_override(db: Database, visit_ref: str | int) -> OutcomeView:
    """Go back to the engine's recommendation."""
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        _require_unsigned(visit)
        had = visit.override_reason
        recommended = Outcome(outcome_of(session, visit).recommended)
        _clear(visit, recommended)
        if had:
            record_event(session, visit.id, "Visit", "outcome_override_cleared", had)
        session.flush()
        return outcome_of(session, visit)
