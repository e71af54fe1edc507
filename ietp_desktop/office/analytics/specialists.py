"""Specialist consistency: findings per visit and the mix of outcomes of each specialist beside
the office average, so a coordinator sees who judges far from the others. A calibration aid,
not a ranking: specialists are listed by name, never by score."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.outcome import Outcome
from ietp_desktop.office.analytics import finding_counts
from ietp_desktop.office.analytics.model import Chart, Period, Report, Table, share
from ietp_desktop.office.analytics.sql import received
from ietp_desktop.storage.models import Visit
from ietp_desktop.storage.office_analytics_models import OfficeFindingVisit

OFFICE = "__office__"  # the office-average row's key
OUTCOMES = tuple(o.value for o in Outcome)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None


def _per_specialist(session: Session, period: Period) -> list[tuple[str, int, int, int, int]]:
    """(specialist, visits, findings, non-compliances, zero-tolerance findings)."""
    finding_counts.refresh(session)
    per_visit = (
        select(
            Visit.specialist_name.label("specialist"),
            OfficeFindingVisit.findings.label("findings"),
            OfficeFindingVisit.non_compliances.label("ncs"),
            OfficeFindingVisit.zero_tolerance.label("zt"),
        )
        .join(OfficeFindingVisit, OfficeFindingVisit.visit_id == Visit.id)
        .where(*received(period))
        .subquery("per_visit")
    )
    rows = session.execute(
        select(
            per_visit.c.specialist,
            func.count(),
            func.sum(per_visit.c.findings),
            func.sum(per_visit.c.ncs),
            func.sum(per_visit.c.zt),
        )
        .group_by(per_visit.c.specialist)
        .order_by(per_visit.c.specialist)
    ).all()
    return [(str(r[0]), int(r[1]), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)) for r in rows]


def findings_per_visit(session: Session, period: Period) -> Table:
    rows = _per_specialist(session, period)
    visits = sum(r[1] for r in rows)
    office = (
        OFFICE,
        visits,
        sum(r[2] for r in rows),
        sum(r[3] for r in rows),
        sum(r[4] for r in rows),
    )
    data: list[tuple[object, ...]] = []
    for name, v, f, nc, zt in [office, *rows]:
        difference = round(nc / v - office[3] / visits, 2) if v and visits else None
        data.append((name, v, _ratio(f, v), _ratio(nc, v), difference, zt))
    return Table(
        "findings_per_visit",
        "Findings per visit, by specialist",
        (
            "Specialist",
            "Visits",
            "Findings per visit",
            "Non-compliances per visit",
            "Difference from the office average",
            "Zero-tolerance findings",
        ),
        tuple(data) if rows else (),
        kinds=("specialist",),
        chart=Chart(
            "bar",
            tuple(str(r[0]) for r in data) if rows else (),
            (("Non-compliances per visit", tuple(float(r[3] or 0.0) for r in data)),),  # type: ignore[arg-type]
        ),
        note="Few visits make a figure uncertain: compare specialists with a similar number of "
        "visits and a similar mix of factories.",
    )


def outcome_mix(session: Session, period: Period) -> Table:
    outcome = func.coalesce(Visit.outcome_final, Visit.outcome_recommended, "")
    counted = session.execute(
        select(Visit.specialist_name, outcome, func.count(Visit.id))
        .where(*received(period))
        .group_by(Visit.specialist_name, outcome)
    ).all()
    per: dict[str, dict[str, int]] = {}
    for name, value, count in counted:
        per.setdefault(str(name), {})[str(value)] = int(count)
        per.setdefault(OFFICE, {})
        per[OFFICE][str(value)] = per[OFFICE].get(str(value), 0) + int(count)
    order = [OFFICE, *sorted(k for k in per if k != OFFICE)] if per else []
    data = []
    for name in order:
        counts = per[name]
        total = sum(counts.values())
        data.append((name, total, *(share(counts.get(o, 0), total) for o in OUTCOMES)))
    return Table(
        "outcome_mix",
        "Outcome mix, by specialist (% of visits)",
        ("Specialist", "Visits", *(f"outcome:{o}" for o in OUTCOMES)),
        tuple(data) if per else (),
        kinds=("specialist", "", *("" for _ in OUTCOMES)),
        chart=Chart(
            "stacked",
            tuple(str(r[0]) for r in data),
            tuple(
                (f"outcome:{o}", tuple(float(r[2 + i] or 0.0) for r in data))
                for i, o in enumerate(OUTCOMES)
            ),
            totals=False,
        ),
    )


def specialists_report(session: Session, period: Period, grain: str = "month") -> Report:
    return Report(
        "specialists",
        period,
        (findings_per_visit(session, period), outcome_mix(session, period)),
        (
            "A calibration aid, not a ranking: a specialist far from the office average may "
            "have visited different factories. Talk it through; do not score people with it.",
        ),
    )
