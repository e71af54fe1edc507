"""Every CAP line of every received visit in one list, with its follow-up status.

Status (computed, never stored): closed once a reviewer accepted the line (which needs
evidence, see decisions.py); overdue when not closed and its due date has passed; progress made
when the factory reported progress or sent evidence; else open. One SQL query with joins: it
must stay fast with tens of thousands of lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ietp_desktop.storage.models import CorrectiveAction, Factory, Finding, Visit
from ietp_desktop.storage.office_review_models import OfficeCapEvidence, OfficeCapLine

OPEN = "open"
PROGRESS = "progress"
CLOSED = "closed"
OVERDUE = "overdue"
STATUSES = (OPEN, PROGRESS, CLOSED, OVERDUE)
STATUS_LABELS = {
    OPEN: "Open",
    PROGRESS: "Progress made",
    CLOSED: "Closed",
    OVERDUE: "Overdue",
}
MAX_ROWS = 100_000


@dataclass(frozen=True)
class CapFilter:
    overdue: bool = False
    due_this_week: bool = False
    factory: str = ""  # IETP id
    specialist: str = ""
    root_cause: str = ""
    status: str = ""
    visit: str = ""  # uuid


@dataclass(frozen=True)
class TrackerLine:
    visit_uuid: str
    revision: int
    factory_id: int
    factory_ietp_id: str
    factory_en: str
    factory_zh: str
    specialist: str
    finding_code: str
    classification: str
    category: str
    root_cause: str
    finding: str
    finding_zh: str
    finding_created_at: Any
    corrective_action: str
    preventive_action: str
    responsible: str
    due_date: date | None
    factory_status: str
    factory_remark: str
    decision: str
    decision_comment: str
    decided_by: str
    evidence: int
    status: str


def week_end(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


def query_lines(
    session: Session, flt: CapFilter, *, today: date | None = None, limit: int = MAX_ROWS
) -> list[TrackerLine]:
    today = today or date.today()
    files = (
        select(func.count())
        .where(
            OfficeCapEvidence.visit_id == Visit.id,
            OfficeCapEvidence.finding_code == Finding.code,
        )
        .correlate(Visit, Finding)
        .scalar_subquery()
    )
    due = func.coalesce(OfficeCapLine.due_date, CorrectiveAction.due_date)
    factory_status = func.coalesce(OfficeCapLine.factory_status, CorrectiveAction.status)
    decision = func.coalesce(OfficeCapLine.decision, "")
    closed = decision == "accepted"
    overdue = and_(~closed, due < today)  # the same as status == OVERDUE, but indexable
    status = case(
        (closed, CLOSED),
        (and_(due.is_not(None), due < today), OVERDUE),
        (or_(factory_status.in_(("in_progress", "closed")), files > 0), PROGRESS),
        else_=OPEN,
    )
    conditions: list[ColumnElement[bool]] = [Visit.received_at.is_not(None)]
    if flt.overdue or flt.status == OVERDUE:
        conditions.append(overdue)
    if flt.due_this_week:
        conditions.append(and_(due >= today - timedelta(days=today.weekday())))
        conditions.append(due <= week_end(today))
        conditions.append(status != CLOSED)
    if flt.status == CLOSED:
        conditions.append(closed)
    elif flt.status in (OPEN, PROGRESS):
        conditions.append(status == flt.status)
    if flt.factory:
        conditions.append(Factory.ietp_id == flt.factory)
    if flt.specialist:
        conditions.append(Visit.specialist_name == flt.specialist)
    if flt.root_cause:
        conditions.append(Finding.root_cause == flt.root_cause)
    if flt.visit:
        conditions.append(Visit.uuid == flt.visit)
    rows = session.execute(
        select(
            Visit.uuid,
            Visit.revision,
            Factory.id,
            Factory.ietp_id,
            Factory.name_en,
            Factory.name_zh,
            Visit.specialist_name,
            Finding.code,
            Finding.classification,
            Finding.category,
            Finding.root_cause,
            Finding.title,
            Finding.description,
            Finding.created_at,
            Finding.title_zh,
            Finding.description_zh,
            func.coalesce(OfficeCapLine.corrective_action, CorrectiveAction.corrective_action),
            func.coalesce(OfficeCapLine.preventive_action, CorrectiveAction.preventive_action),
            func.coalesce(OfficeCapLine.responsible, CorrectiveAction.responsible),
            due,
            factory_status,
            func.coalesce(OfficeCapLine.factory_remark, CorrectiveAction.factory_remark),
            decision,
            func.coalesce(OfficeCapLine.decision_comment, ""),
            func.coalesce(OfficeCapLine.decided_by, ""),
            files,
            status,
        )
        .select_from(CorrectiveAction)
        .join(Finding, Finding.id == CorrectiveAction.finding_id)
        .join(Visit, Visit.id == CorrectiveAction.visit_id)
        .join(Factory, Factory.id == Visit.factory_id)
        .outerjoin(
            OfficeCapLine,
            and_(OfficeCapLine.visit_id == Visit.id, OfficeCapLine.finding_code == Finding.code),
        )
        .where(*conditions)
        .order_by(due.is_(None), due, Factory.ietp_id, Visit.id, Finding.code)
        .limit(limit)
    ).all()
    return [
        TrackerLine(
            visit_uuid=r[0],
            revision=r[1],
            factory_id=r[2],
            factory_ietp_id=r[3],
            factory_en=r[4],
            factory_zh=r[5],
            specialist=r[6],
            finding_code=r[7],
            classification=r[8],
            category=r[9],
            root_cause=r[10],
            finding=r[11] or r[12],
            finding_zh=r[14] or r[15] or "",
            finding_created_at=r[13],
            corrective_action=r[16] or "",
            preventive_action=r[17] or "",
            responsible=r[18] or "",
            due_date=r[19],
            factory_status=r[20] or "",
            factory_remark=r[21] or "",
            decision=r[22] or "",
            decision_comment=r[23] or "",
            decided_by=r[24] or "",
            evidence=int(r[25] or 0),
            status=str(r[26]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Choices:
    factories: list[tuple[str, str]]
    specialists: list[str]
    root_causes: list[str]


def choices(session: Session) -> Choices:
    """What the filters offer: the factories, specialists and root causes of CAP lines."""
    base = (
        select(Factory.ietp_id, Factory.name_en, Visit.specialist_name, Finding.root_cause)
        .select_from(CorrectiveAction)
        .join(Finding, Finding.id == CorrectiveAction.finding_id)
        .join(Visit, Visit.id == CorrectiveAction.visit_id)
        .join(Factory, Factory.id == Visit.factory_id)
        .where(Visit.received_at.is_not(None))
        .distinct()
    )
    rows = session.execute(base).all()
    return Choices(
        factories=sorted({(r[0], r[1]) for r in rows}),
        specialists=sorted({r[2] for r in rows if r[2]}),
        root_causes=sorted({r[3] for r in rows if r[3]}),
    )
