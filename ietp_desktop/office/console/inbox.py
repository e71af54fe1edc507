"""The inbox: received visits with their factory, specialist, outcome, report status, new/seen.

One SQL query with joins and a page limit (no per-visit queries): it must stay fast with a
national programme's ten thousand visits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_models import (
    OfficeReportCheck,
    OfficeRevocation,
    OfficeVisitView,
)
from ietp_desktop.storage.office_review_models import OfficeReview

PAGE_SIZE = 100
MAX_EXPORT_ROWS = 100_000


@dataclass(frozen=True)
class InboxFilter:
    text: str = ""
    outcome: str = ""
    report: str = ""  # valid | invalid | revoked | unchecked
    seen: str = ""  # new | seen
    visited_from: date | None = None
    visited_to: date | None = None
    review: str = ""  # new | in_review | accepted | returned


@dataclass(frozen=True)
class InboxRow:
    uuid: str
    revision: int
    factory_ietp_id: str
    factory_en: str
    factory_zh: str
    specialist: str
    visit_start: date | None
    visit_end: date | None
    outcome: str
    received_at: datetime | None
    report: str  # valid | invalid | revoked | unchecked
    new: bool
    review: str = "new"


def _report_state(
    intact: bool | None, trusted: bool | None, whole: bool | None, revoked: bool
) -> str:
    if intact is None:
        return "unchecked"
    if not (intact and trusted and whole):
        return "invalid"
    return "revoked" if revoked else "valid"


def query_inbox(
    session: Session, user_id: int, flt: InboxFilter, *, offset: int = 0, limit: int = PAGE_SIZE
) -> tuple[list[InboxRow], int]:
    """One page of rows (newest received first) and the number of rows matching."""
    outcome = func.coalesce(Visit.outcome_final, Visit.outcome_recommended, "")
    seen_join = and_(
        OfficeVisitView.visit_id == Visit.id,
        OfficeVisitView.user_id == user_id,
        OfficeVisitView.revision >= Visit.revision,
    )
    check_join = and_(
        OfficeReportCheck.visit_id == Visit.id, OfficeReportCheck.revision == Visit.revision
    )
    review_join = and_(OfficeReview.visit_id == Visit.id, OfficeReview.revision >= Visit.revision)
    review_state = func.coalesce(OfficeReview.state, "new")
    conditions: list[ColumnElement[bool]] = [Visit.received_at.is_not(None)]
    if flt.review:
        conditions.append(review_state == flt.review)
    if flt.text:
        like = f"%{flt.text.strip()[:100]}%"
        conditions.append(
            or_(
                Factory.name_en.ilike(like),
                Factory.name_zh.ilike(like),
                Factory.ietp_id.ilike(like),
                Visit.specialist_name.ilike(like),
                Visit.uuid.ilike(like),
            )
        )
    if flt.outcome:
        conditions.append(outcome == flt.outcome)
    if flt.visited_from:
        conditions.append(Visit.visit_start >= flt.visited_from)
    if flt.visited_to:
        conditions.append(Visit.visit_start <= flt.visited_to)
    if flt.seen == "new":
        conditions.append(OfficeVisitView.user_id.is_(None))
    elif flt.seen == "seen":
        conditions.append(OfficeVisitView.user_id.is_not(None))
    valid = and_(
        OfficeReportCheck.intact.is_(True),
        OfficeReportCheck.trusted.is_(True),
        OfficeReportCheck.whole_document.is_(True),
    )
    if flt.report == "unchecked":
        conditions.append(OfficeReportCheck.visit_id.is_(None))
    elif flt.report == "invalid":
        conditions.append(and_(OfficeReportCheck.visit_id.is_not(None), ~valid))
    elif flt.report == "revoked":
        conditions.append(and_(valid, OfficeRevocation.fingerprint.is_not(None)))
    elif flt.report == "valid":
        conditions.append(and_(valid, OfficeRevocation.fingerprint.is_(None)))

    def joined(statement: Any) -> Any:
        return (
            statement.join(Factory, Factory.id == Visit.factory_id)
            .outerjoin(OfficeVisitView, seen_join)
            .outerjoin(OfficeReportCheck, check_join)
            .outerjoin(OfficeReview, review_join)
            .outerjoin(
                OfficeRevocation,
                OfficeRevocation.fingerprint == OfficeReportCheck.signer_fingerprint,
            )
            .where(*conditions)
        )

    total = session.scalar(joined(select(func.count()).select_from(Visit)))
    rows = session.execute(
        joined(
            select(
                Visit.uuid,
                Visit.revision,
                Factory.ietp_id,
                Factory.name_en,
                Factory.name_zh,
                Visit.specialist_name,
                Visit.visit_start,
                Visit.visit_end,
                outcome,
                Visit.received_at,
                OfficeReportCheck.intact,
                OfficeReportCheck.trusted,
                OfficeReportCheck.whole_document,
                OfficeRevocation.fingerprint,
                OfficeVisitView.user_id,
                review_state,
            )
        )
        .order_by(Visit.received_at.desc(), Visit.id.desc())
        .offset(max(0, offset))
        .limit(limit)
    )
    result = [
        InboxRow(
            uuid=r[0],
            revision=r[1],
            factory_ietp_id=r[2],
            factory_en=r[3],
            factory_zh=r[4],
            specialist=r[5],
            visit_start=r[6],
            visit_end=r[7],
            outcome=r[8] or "",
            received_at=r[9],
            report=_report_state(r[10], r[11], r[12], r[13] is not None),
            new=r[14] is None,
            review=r[15],
        )
        for r in rows
    ]
    return result, int(total or 0)


def outcomes(session: Session) -> list[str]:
    value = func.coalesce(Visit.outcome_final, Visit.outcome_recommended)
    return sorted(
        str(v) for v in session.scalars(select(value).where(value.is_not(None)).distinct())
    )
