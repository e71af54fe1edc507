"""Checklist items derived from where the program keeps the fact (forms from v2 on).

The senior manager at the opening meeting comes from the attendee list, the CAP due date from
the CAP lines, the minimum wage from the visit's rule set for the factory's region and the
period reviewed. Nothing here is stored: the value is read afresh whenever a visit is read, so
it can never disagree with its source.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.checklist import Form, format_number
from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.dto import DerivedFact
from ietp_desktop.storage.models import Attendee, CorrectiveAction, PayRecord, Visit, Worker

# Why a derived item cannot be answered, naming where its value comes from.
NOT_TYPED = {
    "attendees.senior_manager": (
        "{label}: this item is not typed; it is read from the attendee list"
    ),
    "cap.due_date": "{label}: this item is not typed; it is read from the CAP lines",
    "rules.minimum_wage": "{label}: this item is not typed; it is read from the rule set",
}


def fact_text(fact: DerivedFact, language: str | None = None) -> str:
    """What a derived item shows, in `language` (default: the UI's)."""
    return tr(fact.message, language=language, **fact.params)


def derived_facts(session: Session, visit: Visit, form: Form) -> dict[str, DerivedFact]:
    """The value of every derived item of the visit's form, by item id."""
    facts: dict[str, DerivedFact] = {}
    for item in form.items():
        if item.derived_from == "attendees.senior_manager":
            facts[item.id] = _senior_manager(session, visit, item.id)
        elif item.derived_from == "cap.due_date":
            facts[item.id] = _cap_due_date(session, visit, item.id)
        elif item.derived_from == "rules.minimum_wage":
            facts[item.id] = _minimum_wage(session, visit, item.id)
    return facts


def _senior_manager(session: Session, visit: Visit, item_id: str) -> DerivedFact:
    source = "attendees.senior_manager"
    seniors = list(
        session.scalars(
            select(Attendee)
            .where(Attendee.visit_id == visit.id, Attendee.senior_management.is_(True))
            .order_by(Attendee.id)
        )
    )
    if not seniors:
        return DerivedFact(item_id, source, None, "No senior manager among the attendees yet")
    present = [a for a in seniors if a.present_opening]
    names = ", ".join(f"{a.name} ({a.role})" if a.role else a.name for a in present or seniors)
    if present:
        return DerivedFact(item_id, source, "yes", "Yes: {names}", {"names": names})
    return DerivedFact(
        item_id,
        source,
        "no",
        "No: {names} recorded as senior management, but not at the opening meeting",
        {"names": names},
    )


def _cap_due_date(session: Session, visit: Visit, item_id: str) -> DerivedFact:
    source = "cap.due_date"
    dates = list(
        session.scalars(
            select(CorrectiveAction.due_date).where(CorrectiveAction.visit_id == visit.id)
        )
    )
    if not dates:
        return DerivedFact(item_id, source, None, "No CAP lines yet: no non-compliance is recorded")
    known = sorted(d for d in dates if d is not None)
    if not known:
        return DerivedFact(item_id, source, None, "No CAP line has a due date yet")
    first = known[0].isoformat()
    if len(dates) == 1:
        return DerivedFact(
            item_id, source, first, "{date}, the due date of the CAP line", {"date": first}
        )
    return DerivedFact(
        item_id,
        source,
        first,
        "{date}, the earliest due date of the {count} CAP lines",
        {"date": first, "count": str(len(dates))},
    )


def _visit_day(visit: Visit) -> date:
    return visit.visit_start or visit.confirmed_date or visit.planned_date or date.today()


def _period_reviewed(session: Session, visit: Visit) -> tuple[date, date]:
    """The months of the visit's pay records; the visit's day when there are none."""
    first, last = session.execute(
        select(func.min(PayRecord.period_start), func.max(PayRecord.period_end))
        .join(Worker, Worker.id == PayRecord.worker_id)
        .where(Worker.visit_id == visit.id)
    ).one()
    if first is None or last is None:
        day = _visit_day(visit)
        return day, day
    return first, last


def _amount(value: Decimal) -> str:
    return format_number(float(value))


def _minimum_wage(session: Session, visit: Visit, item_id: str) -> DerivedFact:
    source = "rules.minimum_wage"
    if visit.rule_set_sha256 is None:
        return DerivedFact(item_id, source, None, "This visit has no rule set, so no minimum wage")
    region = visit.factory.region.strip()
    if not region:
        return DerivedFact(
            item_id,
            source,
            None,
            "The factory has no region; set it on the factory to show its minimum wage",
        )
    rules = definitions.rules_by_sha(session, visit.rule_set_sha256)
    start, end = _period_reviewed(session, visit)
    try:
        at_end = rules.minimum_wage(region, end)
        at_start = rules.minimum_wage(region, start)
    except UserError as missing:  # no figure for the region, or a change not entered yet
        params = {name: str(value) for name, value in missing.params.items()}
        return DerivedFact(item_id, source, None, missing.message, params)
    period = start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"
    params = {
        "amount": _amount(at_end.amount),
        "region": region,
        "since": at_end.effective_from.isoformat(),
        "source": at_end.source,
        "period": period,
    }
    if start == end:
        return DerivedFact(
            item_id,
            source,
            float(at_end.amount),
            "{amount} CNY for {region} on the visit date {period}, in force since {since} "
            "({source})",
            params,
        )
    if at_start.effective_from == at_end.effective_from:
        return DerivedFact(
            item_id,
            source,
            float(at_end.amount),
            "{amount} CNY for {region} in the period reviewed {period}, in force since {since} "
            "({source})",
            params,
        )
    params["earlier"] = _amount(at_start.amount)
    return DerivedFact(
        item_id,
        source,
        float(at_end.amount),
        "{amount} CNY for {region}, in force since {since} ({source}); {earlier} CNY before "
        "that date in the period reviewed ({period})",
        params,
    )
