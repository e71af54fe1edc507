"""The analytics pages by name: what each shows and the function that builds it. The console
and `office analytics <page> --json` both go through `build`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.analytics import findings, health, hours, results, specialists, training
from ietp_desktop.office.analytics.model import Period, Report, quarter_period


@dataclass(frozen=True)
class PageSpec:
    title: str
    intro: str
    build: Callable[[Session, Period, str], Report]
    managers_only: bool = False
    kept: bool = False  # figures kept per state of the data (see results.py)


PAGES: dict[str, PageSpec] = {
    "findings": PageSpec(
        "Findings across factories",
        "Findings of every received visit in the period, by classification, category, root "
        "cause, time, place and factory size.",
        findings.findings_report,
        kept=True,
    ),
    "training": PageSpec(
        "Training needs",
        "Which training the Factory Training and Development Fund should pay for: the root "
        "causes behind the most factories' non-compliances, each with its training topic and "
        "the factories that would benefit.",
        training.training_report,
        kept=True,
    ),
    "hours": PageSpec(
        "Hours and wages",
        "Working hours and wages across factories, from the time and pay records the visits "
        "carried: the share of workers above the weekly limit, above the overtime cap, without "
        "a rest day in 7 and below the minimum wage.",
        hours.hours_report,
        kept=True,
    ),
    "specialists": PageSpec(
        "Specialist consistency",
        "Findings per visit and the mix of outcomes of each specialist beside the office average.",
        specialists.specialists_report,
        managers_only=True,
        kept=True,
    ),
    "health": PageSpec(
        "PV programme health",
        "Whether visits happen inside their window, how fast reports reach the office, how "
        "long CAP lines take to close and fees to be paid.",
        health.health_report,
    ),
}


def build(page: str, session: Session, period: Period, grain: str = "month") -> Report:
    if page not in PAGES:
        raise UserError(
            "{page}: not an analytics page (one of {pages})", page=page, pages=", ".join(PAGES)
        )
    tune_for_analytics(session)
    spec = PAGES[page]
    if spec.kept:
        return results.kept(
            session, page, period, grain, lambda: spec.build(session, period, grain)
        )
    return spec.build(session, period, grain)


def tune_for_analytics(session: Session) -> None:
    """PostgreSQL: no JIT (compiling these short aggregates costs more than it saves: 1.8 s of
    3.8 s on the recurrence query of a national history) and room to sort in memory. SET
    LOCAL lasts until the end of this transaction only."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '32MB'"))


def extra_json(page: str, session: Session, report: Report) -> dict[str, object]:
    """What a page shows beside its tables (the training page: the fund's balance)."""
    if page != "training":
        return {}
    balance = training.fund_balance(session)
    return {"fund_balance_usd": balance}


def quarter_or_none(text: str) -> Period | None:
    try:
        return quarter_period(text)
    except UserError:
        return None
