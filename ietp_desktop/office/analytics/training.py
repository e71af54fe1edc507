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

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ietp_desktop.office.analytics.findings import recurrence_pairs
from ietp_desktop.office.analytics.model import Chart, Period, Report, Table
from ietp_desktop.office.analytics.sql import non_compliance, received
from ietp_desktop.office.analytics.topics import load_topics
from ietp_desktop.office.fees import fund
from ietp_desktop.storage.models import Factory, Finding, Visit


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
    counted = session.execute(
        select(
            Finding.root_cause,
            func.count(distinct(Visit.factory_id)),
            func.count(Finding.id),
        )
        .join(Visit, Visit.id == Finding.visit_id)
        .where(*received(period), non_compliance(), Finding.root_cause != "")
        .group_by(Finding.root_cause)
    ).all()
    pairs = recurrence_pairs(session, period)
    recurring: dict[str, int] = {
        str(k): int(v)
        for k, v in session.execute(
            select(pairs.c.root_cause, func.count()).group_by(pairs.c.root_cause)
        ).all()
    }
    topics = load_topics()
    rows = sorted(
        ((str(c), int(f), int(recurring.get(c, 0)), int(n)) for c, f, n in counted),
        key=lambda r: (-r[1], -r[2], -r[3], r[0]),
    )
    return [
        Need(rank, cause, factories, recurrences, ncs, cause in topics)
        for rank, (cause, factories, recurrences, ncs) in enumerate(rows, start=1)
    ]


def beneficiaries(session: Session, period: Period) -> Table:
    """Every factory with a non-compliance of a root cause, per root cause."""
    rows = session.execute(
        select(
            Finding.root_cause,
            Factory.ietp_id,
            Factory.name_en,
            Factory.name_zh,
            Factory.city,
            func.count(Finding.id),
            func.max(Visit.visit_start),
        )
        .join(Visit, Visit.id == Finding.visit_id)
        .join(Factory, Factory.id == Visit.factory_id)
        .where(*received(period), non_compliance(), Finding.root_cause != "")
        .group_by(
            Finding.root_cause, Factory.ietp_id, Factory.name_en, Factory.name_zh, Factory.city
        )
        .order_by(Finding.root_cause, func.count(Finding.id).desc(), Factory.ietp_id)
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
        tuple((r[0], *r[1:]) for r in rows),
        kinds=("topic", "", "", "", "city"),
    )


def training_report(session: Session, period: Period, grain: str = "month") -> Report:
    ranked = needs(session, period)
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
    return Report("training", period, (table, beneficiaries(session, period)), tuple(notes))


# --- the one-page brief ---------------------------------------------------------------------


def write_brief(session: Session, period: Period, path: Path) -> Path:
    from ietp_desktop.office.analytics.brief import brief_pdf

    report = training_report(session, period)
    visits = session.scalar(select(func.count(Visit.id)).where(*received(period))) or 0
    path.write_bytes(brief_pdf(report, fund_balance(session), int(visits), date.today()))
    return path
