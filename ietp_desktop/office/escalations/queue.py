"""The escalation queues and IETP's decisions.

- zero tolerance: every received visit with a zero-tolerance finding waits for IETP's decision
  (terminate / downgrade / maintain, with the reason, by whom and when);
- progress audit: a refused visit ("Progress Audit required"); a PA not arranged within the
  configured days is a termination risk;
- status review: a visit with a transparency finding (record inconsistency).
A decision sets the factory's certificate status (kept as a history) in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.findings import Classification
from ietp_desktop.domain.outcome import Outcome
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.escalations import certificate
from ietp_desktop.office.fees import settings
from ietp_desktop.storage.models import Factory, Finding, Visit
from ietp_desktop.storage.office_money_models import OfficeEscalation
from ietp_desktop.storage.types import utcnow

ZERO_TOLERANCE = "zero_tolerance"
PROGRESS_AUDIT = "progress_audit"
STATUS_REVIEW = "status_review"
KINDS = (ZERO_TOLERANCE, PROGRESS_AUDIT, STATUS_REVIEW)

TERMINATE, DOWNGRADE, MAINTAIN, ARRANGED = "terminate", "downgrade", "maintain", "pa_arranged"
DECISIONS: dict[str, tuple[str, ...]] = {
    ZERO_TOLERANCE: (TERMINATE, DOWNGRADE, MAINTAIN),
    STATUS_REVIEW: (TERMINATE, DOWNGRADE, MAINTAIN),
    # A PA is arranged first (the escalation stays open), then done (maintain) or refused.
    PROGRESS_AUDIT: (ARRANGED, MAINTAIN, TERMINATE),
}
NEW_STATUS = {TERMINATE: certificate.TERMINATED, DOWNGRADE: certificate.DOWNGRADED}
MAX_REASON = 2000


@dataclass(frozen=True)
class EscalationRow:
    id: int
    kind: str
    visit_uuid: str
    factory_ietp_id: str
    factory_en: str
    factory_zh: str
    certificate_status: str
    visit_start: date | None
    opened_on: date
    state: str
    decision: str
    reason: str
    pa_arranged_on: date | None
    pa_deadline: date | None
    termination_risk: bool
    decided_by: str
    decided_at: datetime | None
    findings: str  # the codes and titles that put the visit in the queue
    findings_zh: str  # the same with the Chinese titles where the specialist wrote them


@dataclass(frozen=True)
class EscalationFilter:
    kind: str = ""
    state: str = ""  # open | decided | termination_risk | ""
    text: str = ""


# --- entering the queues ---------------------------------------------------------------------


def _has_finding(session: Session, visit_id: int, classification: Classification) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    Finding.visit_id == visit_id, Finding.classification == classification.value
                )
            )
        )
    )


def kinds_for(session: Session, visit: Visit) -> list[str]:
    found = []
    if _has_finding(session, visit.id, Classification.ZERO_TOLERANCE):
        found.append(ZERO_TOLERANCE)
    refused = bool(visit.refusal_note.strip()) or Outcome.PROGRESS_AUDIT_REQUIRED.value in (
        visit.outcome_recommended,
        visit.outcome_final,
    )
    if refused:
        found.append(PROGRESS_AUDIT)
    if _has_finding(session, visit.id, Classification.TRANSPARENCY):
        found.append(STATUS_REVIEW)
    return found


def open_for_visit(
    session: Session, visit: Visit, actor: str, today: date, remote: str = ""
) -> list[OfficeEscalation]:
    """Put a received visit in every queue it belongs to (once per queue; a later revision
    can add a queue, never take one away)."""
    existing = set(
        session.scalars(
            select(OfficeEscalation.kind).where(OfficeEscalation.visit_id == visit.id)
        ).all()
    )
    made = []
    for kind in kinds_for(session, visit):
        if kind in existing:
            continue
        escalation = OfficeEscalation(
            visit_id=visit.id,
            factory_id=visit.factory_id,
            kind=kind,
            opened_on=today,
            state="open",
            decision="",
            reason="",
            decided_by="",
        )
        session.add(escalation)
        made.append(escalation)
        audit.record(session, actor, "escalation.open", f"{kind} {visit.uuid[:8]}", "", remote)
    session.flush()
    return made


def open_for_uuids(session: Session, uuids: Iterable[str], actor: str, today: date) -> None:
    for uuid in uuids:
        visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).first()
        if visit is not None:
            open_for_visit(session, visit, actor, today)


def open_missing(session: Session, actor: str, today: date, remote: str = "") -> int:
    """Queue the received visits that arrived before the queues existed."""
    visits = session.scalars(
        select(Visit).where(Visit.received_at.is_not(None)).order_by(Visit.id)
    ).all()
    return sum(len(open_for_visit(session, v, actor, today, remote)) for v in visits)


# --- deciding --------------------------------------------------------------------------------


_VISIT_PREFIX = re.compile(r"[0-9a-f-]{8,36}")


def find(session: Session, visit_ref: str, kind: str) -> OfficeEscalation:
    if kind not in KINDS:
        raise UserError(
            "choose a queue: {kinds} (got “{kind}”)", kinds=", ".join(KINDS), kind=kind[:40]
        )
    text = visit_ref.strip().lower()
    escalation = (
        session.scalars(
            select(OfficeEscalation)
            .join(Visit, Visit.id == OfficeEscalation.visit_id)
            .where(Visit.uuid.like(text[:36] + "%"), OfficeEscalation.kind == kind)
        ).first()
        if _VISIT_PREFIX.fullmatch(text)
        else None
    )
    if escalation is None:
        raise NotFound("visit {visit} is not in the {kind} queue", visit=text[:36], kind=kind)
    return escalation


def decide(
    session: Session,
    visit_ref: str,
    kind: str,
    decision: str,
    reason: str,
    actor: str,
    *,
    pa_arranged_on: date | None = None,
    today: date,
    remote: str = "",
) -> OfficeEscalation:
    """Record IETP's decision; the factory's certificate status follows it."""
    escalation = find(session, visit_ref, kind)
    visit = session.get(Visit, escalation.visit_id)
    assert visit is not None
    if decision not in DECISIONS[kind]:
        raise UserError(
            "visit {visit}: choose a decision for the {kind} queue: {choices} (got “{decision}”)",
            visit=visit.uuid[:8],
            kind=kind,
            choices=", ".join(DECISIONS[kind]),
            decision=decision[:40],
        )
    reason = reason.strip()
    if not reason:
        raise UserError("visit {visit}: give the reason for the decision", visit=visit.uuid[:8])
    if len(reason) > MAX_REASON:
        raise UserError(
            "visit {visit}: the reason is longer than {limit} characters",
            visit=visit.uuid[:8],
            limit=MAX_REASON,
        )
    if escalation.state == "decided":
        raise UserError(
            "visit {visit}: the {kind} escalation was decided on {date} by {who}",
            visit=visit.uuid[:8],
            kind=kind,
            date=escalation.decided_at.date().isoformat() if escalation.decided_at else "",
            who=escalation.decided_by,
        )
    if decision == ARRANGED:
        if pa_arranged_on is None:
            raise UserError(
                "visit {visit}: give the date the Progress Audit is arranged for",
                visit=visit.uuid[:8],
            )
        escalation.pa_arranged_on = pa_arranged_on
        escalation.reason = reason
        escalation.decision = ARRANGED
        audit.record(
            session,
            actor,
            "escalation.decide",
            f"{kind} {visit.uuid[:8]}",
            f"{ARRANGED} {pa_arranged_on.isoformat()}: {reason}",
            remote,
        )
        return escalation
    escalation.state = "decided"
    escalation.decision = decision
    escalation.reason = reason
    escalation.decided_by = actor[:200]
    escalation.decided_at = utcnow()
    session.flush()
    factory = session.get(Factory, escalation.factory_id)
    assert factory is not None
    new_status = NEW_STATUS.get(decision, factory.certificate_status)
    certificate.change(
        session, factory, new_status, f"{kind}: {decision} — {reason}", actor, escalation.id
    )
    audit.record(
        session,
        actor,
        "escalation.decide",
        f"{kind} {visit.uuid[:8]}",
        f"{decision}: {reason} (certificate {new_status})",
        remote,
    )
    return escalation


# --- lists -----------------------------------------------------------------------------------


def pa_deadline(escalation: OfficeEscalation, days: int) -> date | None:
    if escalation.kind != PROGRESS_AUDIT:
        return None
    return escalation.opened_on + timedelta(days=days)


def _query(
    flt: EscalationFilter, today: date, pa_days: int
) -> Select[OfficeEscalation, Visit, Factory]:
    query = (
        select(OfficeEscalation, Visit, Factory)
        .join(Visit, Visit.id == OfficeEscalation.visit_id)
        .join(Factory, Factory.id == OfficeEscalation.factory_id)
    )
    if flt.kind in KINDS:
        query = query.where(OfficeEscalation.kind == flt.kind)
    if flt.state in ("open", "decided"):
        query = query.where(OfficeEscalation.state == flt.state)
    elif flt.state == "termination_risk":
        query = query.where(
            OfficeEscalation.kind == PROGRESS_AUDIT,
            OfficeEscalation.state == "open",
            OfficeEscalation.pa_arranged_on.is_(None),
            OfficeEscalation.opened_on < today - timedelta(days=pa_days),
        )
    if flt.text:
        like = f"%{flt.text}%"
        query = query.where(
            or_(
                Factory.ietp_id.ilike(like),
                Factory.name_en.ilike(like),
                Factory.name_zh.like(like),
                Visit.uuid.like(like.lower()),
            )
        )
    return query.order_by(
        OfficeEscalation.state.desc(), OfficeEscalation.opened_on, OfficeEscalation.id
    )


_QUEUE_CLASSIFICATION = {
    ZERO_TOLERANCE: Classification.ZERO_TOLERANCE.value,
    STATUS_REVIEW: Classification.TRANSPARENCY.value,
}
# (visit id, classification) → ("F01 title", "F01 中文标题")
Findings = dict[tuple[int, str], list[tuple[str, str]]]


def findings_of(session: Session, visit_ids: Iterable[int]) -> Findings:
    """The findings that put visits in the queues, in one query per 500 visits."""
    ids = sorted(set(visit_ids))
    found: Findings = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(
                Finding.visit_id,
                Finding.classification,
                Finding.code,
                Finding.title,
                Finding.title_zh,
            )
            .where(
                Finding.visit_id.in_(ids[start : start + 500]),
                Finding.classification.in_(tuple(_QUEUE_CLASSIFICATION.values())),
            )
            .order_by(Finding.visit_id, Finding.code)
        )
        for visit_id, classification, code, title, title_zh in rows:
            found.setdefault((visit_id, classification), []).append(
                (f"{code} {title}".strip(), f"{code} {title_zh or title}".strip())
            )
    return found


def row_of(
    e: OfficeEscalation,
    visit: Visit,
    factory: Factory,
    today: date,
    pa_days: int,
    findings: Findings,
) -> EscalationRow:
    deadline = pa_deadline(e, pa_days)
    queued = findings.get((visit.id, _QUEUE_CLASSIFICATION.get(e.kind, "")), [])
    risk = (
        e.kind == PROGRESS_AUDIT
        and e.state == "open"
        and e.pa_arranged_on is None
        and deadline is not None
        and today > deadline
    )
    return EscalationRow(
        id=e.id,
        kind=e.kind,
        visit_uuid=visit.uuid,
        factory_ietp_id=factory.ietp_id,
        factory_en=factory.name_en,
        factory_zh=factory.name_zh,
        certificate_status=factory.certificate_status,
        visit_start=visit.visit_start,
        opened_on=e.opened_on,
        state=e.state,
        decision=e.decision,
        reason=e.reason,
        pa_arranged_on=e.pa_arranged_on,
        pa_deadline=deadline,
        termination_risk=risk,
        decided_by=e.decided_by,
        decided_at=e.decided_at,
        findings="; ".join(en for en, _ in queued),
        findings_zh="; ".join(zh for _, zh in queued),
    )


def list_escalations(
    session: Session, flt: EscalationFilter, today: date, limit: int = 50_000
) -> list[EscalationRow]:
    pa_days = settings.read_days(session, settings.PA_ARRANGE_DAYS)
    rows = session.execute(_query(flt, today, pa_days).limit(limit)).all()
    findings = findings_of(session, (v.id for _, v, _ in rows))
    return [row_of(e, v, f, today, pa_days, findings) for e, v, f in rows]


EXPORT_HEADER = [
    "queue",
    "visit",
    "factory id",
    "factory",
    "factory (zh)",
    "certificate",
    "visit date",
    "opened on",
    "state",
    "decision",
    "reason",
    "PA arranged on",
    "PA deadline",
    "termination risk",
    "decided by",
    "decided at",
    "findings",
    "findings (zh)",
]


def export_rows(rows: Iterable[EscalationRow]) -> Iterable[list[object]]:
    for r in rows:
        yield [
            r.kind,
            r.visit_uuid,
            r.factory_ietp_id,
            r.factory_en,
            r.factory_zh,
            r.certificate_status,
            r.visit_start,
            r.opened_on,
            r.state,
            r.decision,
            r.reason,
            r.pa_arranged_on,
            r.pa_deadline,
            r.termination_risk,
            r.decided_by,
            r.decided_at,
            r.findings,
            r.findings_zh,
        ]
