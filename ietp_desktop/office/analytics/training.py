"""Training needs: root causes of non-compliances ranked by the factories they affect and by how
often they came back at the next visit, each with its training topic (forms/training_topics.json),
the factories that would benefit, and the balance of the Factory Training and Development Fund.

The fund's balance comes from the fees feature (`office/fees/fund.py`), which books a share of
every paid fee to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ietp_desktop.office.analytics import finding_counts
from ietp_desktop.office.analytics.findings import CAUSES, in_period, per_factory
from ietp_desktop.office.analytics.model import Chart, Period, Report, Table
from ietp_desktop.office.analytics.sql import received
from ietp_desktop.office.analytics.topics import load_topics
from ietp_desktop.office.fees import fund
from ietp_desktop.storage.models import Factory, Visit


@dataclass(frozen=True)
class Need:
    rank: int
    root_cause: str
    factories: int
    recurrences: int
    non_compliances: int
    has_topic: bool


def fund_balance(session: Session) -> Decimal:
    """The balance of the Factory Training and Development Fund."""
    return fund.fund_balance(session)


def needs(session: Session, period: Period) -> list[Need]:
    """Ranked: most factories affected first, then most recurrences, then most non-compliances."""
    finding_counts.refresh(session)
    return _needs(session, period)


def _nc_causes() -> list[ColumnElement[bool]]:
    return [CAUSES.non_compliances > 0, CAUSES.value != ""]


def _needs(session: Session, period: Period) -> list[Need]:
    counted_per_factory = per_factory(period, CAUSES, *_nc_causes())
    counted = session.execute(
        select(
            counted_per_factory.c.value,
            func.count(),
            func.sum(counted_per_factory.c.ncs),
        ).group_by(counted_per_factory.c.value)
    ).all()
    recurring: dict[str, int] = {
        str(k): int(v)
        for k, v in session.execute(
            select(CAUSES.value, func.count())
            .where(CAUSES.recurs.is_(True), *in_period(period, CAUSES.visit_start))
            .group_by(CAUSES.value)
        ).all()
    }
    topics = load_topics()
    rows = sorted(
        ((str(c), int(f), int(recurring.get(c, 0)), int(n or 0)) for c, f, n in counted),
        key=lambda r: (-r[1], -r[2], -r[3], r[0]),
    )
    return [
        Need(rank, cause, factories, recurrences, ncs, cause in topics)
        for rank, (cause, factories, recurrences, ncs) in enumerate(rows, start=1)
    ]


def beneficiaries(session: Session, period: Period) -> Table:
    """Every factory with a non-compliance of a root cause, per root cause."""
    finding_counts.refresh(session)
    return _beneficiaries(session, period)


def _beneficiaries(session: Session, period: Period) -> Table:
    per_factory_cause = (
        select(
            CAUSES.value.label("value"),
            CAUSES.factory_id.label("factory_id"),
            func.sum(CAUSES.non_compliances).label("ncs"),
            func.max(CAUSES.visit_start).label("last_visit"),
        )
        .where(*_nc_causes(), *in_period(period, CAUSES.visit_start))
        .group_by(CAUSES.value, CAUSES.factory_id)
        .subquery("per_factory_cause")
    )
    rows = session.execute(
        select(
            per_factory_cause.c.value,
            Factory.ietp_id,
            Factory.name_en,
            Factory.name_zh,
            Factory.city,
            per_factory_cause.c.ncs,
            per_factory_cause.c.last_visit,
        )
        .join(Factory, Factory.id == per_factory_cause.c.factory_id)
        .order_by(per_factory_cause.c.value, per_factory_cause.c.ncs.desc(), Factory.ietp_id)
    ).all()
    return Table(
        "factories",
        "Factories that would benefit",
        (
            "Training topic",
            "IETP id",
            "Factory",
            "Factory (Chinese)",
            "City",
            "Non-compliances",
            "Last visit with it",
        ),
        tuple((r[0], *r[1:5], int(r[5] or 0), r[6]) for r in rows),
        kinds=("topic", "", "", "", "city"),
    )


def training_report(session: Session, period: Period, grain: str = "month") -> Report:
    finding_counts.refresh(session)
    ranked = _needs(session, period)
    data = tuple(
        (n.rank, n.root_cause, n.root_cause, n.factories, n.recurrences, n.non_compliances)
        for n in ranked
    )
    table = Table(
        "needs",
        "Training needs, ranked",
        (
            "Rank",
            "Training topic",
            "Root cause",
            "Factories affected",
            "Recurrences",
            "Non-compliances",
        ),
        data,
        kinds=("", "topic", "root_cause"),
        note="Ranked by factories affected, then by recurrences (the same root cause at the "
        "factory's next visit), then by non-compliances.",
        chart=Chart(
            "grouped",
            tuple(n.root_cause for n in ranked),
            (
                ("Factories affected", tuple(float(n.factories) for n in ranked)),
                ("Recurrences", tuple(float(n.recurrences) for n in ranked)),
            ),
            label_kind="root_cause",
        ),
    )
    notes = ["Only non-compliances with a root cause count; observations do not."]
    if any(not n.has_topic for n in ranked):
        notes.append(
            "Some root causes have no training topic yet: add them to forms/training_topics.json."
        )
    return Report("training", period, (table, _beneficiaries(session, period)), tuple(notes))


# --- the one-page brief ---------------------------------------------------------------------


def write_brief(session: Session, period: Period, path: Path) -> Path:
    from ietp_desktop.office.analytics.brief import brief_pdf

    report = training_report(session, period)
    visits = session.scalar(select(func.count(Visit.id)).where(*received(period))) or 0
    path.write_bytes(brief_pdf(report, fund_balance(session), int(visits), date.today()))
    return path
