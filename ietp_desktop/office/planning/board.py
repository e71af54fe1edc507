"""The planning board: the PVs due in the coming months, by region, each with its window,
its plan (if any) and the warnings its date raises; and each specialist's load per week."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ietp_desktop.domain.pv_window import add_months
from ietp_desktop.office.factories.register import (
    FACTORY_COLUMNS,
    FactoryRow,
    last_visits_subquery,
    row_of,
)
from ietp_desktop.office.factories.states import FactoryState, factory_state, window_of
from ietp_desktop.office.planning import calendar
from ietp_desktop.office.planning.calendar import DateWarning, Period
from ietp_desktop.office.planning.plans import PlanState, PlanView, all_plans
from ietp_desktop.storage.models import Factory
from ietp_desktop.storage.office_planning_models import (
    OfficePlannedVisit,
    OfficeSpecialistRegion,
)

LOAD_WEEKS = 8
RECENT_DAYS = 45  # visited plans stay on the board this long after their date


@dataclass(frozen=True)
class BoardFilter:
    months: int = 3
    region: str = ""
    state: str = ""  # "" | unplanned | planned | confirmed | visited


@dataclass(frozen=True)
class BoardRow:
    factory: FactoryRow
    plan: PlanView | None
    warnings: list[DateWarning]
    unavailable: list[Period]
    cancelled: PlanView | None = None  # the factory's last cancelled plan, when none replaced it

    @property
    def plan_state(self) -> str:
        return self.plan.state.value if self.plan else "unplanned"


@dataclass(frozen=True)
class SpecialistLoad:
    email: str
    name: str
    region: str
    weeks: list[int]  # planned visits in each week from the board's first Monday
    total: int


@dataclass
class Board:
    today: date
    horizon: date
    regions: list[tuple[str, list[BoardRow]]] = field(default_factory=list)
    blackouts: list[Period] = field(default_factory=list)
    week_starts: list[date] = field(default_factory=list)
    plans: list[PlanView] = field(default_factory=list)  # every plan the board read

    @property
    def count(self) -> int:
        return sum(len(rows) for _, rows in self.regions)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _latest_plans(plans: list[PlanView]) -> dict[int, PlanView]:
    latest: dict[int, PlanView] = {}
    for plan in plans:  # ordered by id: a later plan replaces an earlier one
        latest[plan.factory_id] = plan
    return latest


def build_board(session: Session, today: date, flt: BoardFilter = BoardFilter()) -> Board:
    horizon = add_months(today, max(1, min(flt.months, 12)))
    board = Board(today, horizon)
    board.blackouts = [
        b for b in calendar.blackouts(session) if b.ends_on >= today - timedelta(days=31)
    ]
    board.plans = all_plans(session, since=today - timedelta(days=400))
    # a cancelled plan leaves the factory due again; the board still says it was cancelled
    plans = _latest_plans([p for p in board.plans if p.state is not PlanState.CANCELLED])
    cancelled = _latest_plans([p for p in board.plans if p.state is PlanState.CANCELLED])
    last = last_visits_subquery()
    # a window opening after the horizon cannot be on the board (two months are at least 59
    # days: the SQL keeps a superset, the exact test is below), nor a visited factory unplanned
    latest_seal = horizon - timedelta(days=40)
    query = (
        select(*FACTORY_COLUMNS, last.c.last_visit_on)
        .outerjoin(last, last.c.factory_id == Factory.id)
        .where(
            Factory.seal_issued_on.is_not(None),
            or_(
                Factory.id.in_(
                    select(OfficePlannedVisit.factory_id).where(
                        OfficePlannedVisit.proposed_date >= today - timedelta(days=400)
                    )
                ),
                and_(
                    Factory.seal_issued_on <= latest_seal,
                    or_(
                        last.c.last_visit_on.is_(None),
                        last.c.last_visit_on < Factory.seal_issued_on,
                    ),
                ),
            ),
        )
        .order_by(Factory.region, Factory.ietp_id)
    )
    if flt.region:
        query = query.where(Factory.region == flt.region)
    chosen: list[tuple[FactoryRow, PlanView | None]] = []
    last_cancelled: dict[int, PlanView] = {}
    for values in session.execute(query):
        window = window_of(values.seal_issued_on)
        state = factory_state(values.seal_issued_on, values.last_visit_on, today, window)
        plan = plans.get(values.id)
        if (
            plan is not None
            and values.seal_issued_on
            and plan.proposed_date < values.seal_issued_on
        ):
            plan = None  # planned for an earlier seal
        row = row_of(values, state, window)
        gone = cancelled.get(values.id)
        if (
            gone is not None
            and (plan is None or gone.plan_id > plan.plan_id)
            and (not values.seal_issued_on or gone.proposed_date >= values.seal_issued_on)
        ):
            last_cancelled[values.id] = gone
        if plan is not None and plan.state is PlanState.VISITED:
            if plan.day < today - timedelta(days=RECENT_DAYS):
                continue
        elif state is FactoryState.VISITED or row.window is None or row.window.opens > horizon:
            continue
        chosen.append((row, plan))
    if flt.state:
        chosen = [(r, p) for r, p in chosen if (p.state.value if p else "unplanned") == flt.state]
    ids = [row.id for row, _ in chosen]
    unavailable: dict[int, list[Period]] = defaultdict(list)
    if ids:
        by_ietp = {row.ietp_id: row.id for row, _ in chosen}
        # the periods still to come (few) rather than a bind parameter per factory shown
        for period in calendar.unavailable(session, ending_from=today):
            if period.factory_ietp_id in by_ietp:
                unavailable[by_ietp[period.factory_ietp_id]].append(period)
    grouped: dict[str, list[BoardRow]] = defaultdict(list)
    for row, plan in chosen:
        warnings = (
            calendar.date_warnings(
                plan.day, row.seal_issued_on, board.blackouts, unavailable[row.id]
            )
            if plan is not None and plan.state is not PlanState.VISITED
            else []
        )
        grouped[row.region].append(
            BoardRow(row, plan, warnings, unavailable[row.id], last_cancelled.get(row.id))
        )
    for region in sorted(grouped):
        rows = sorted(
            grouped[region],
            key=lambda r: (r.factory.window_closes or today, r.factory.ietp_id),
        )
        board.regions.append((region, rows))
    first = monday_of(today)
    board.week_starts = [first + timedelta(weeks=i) for i in range(LOAD_WEEKS)]
    return board


def specialist_loads(
    session: Session,
    specialists: list[tuple[str, str]],
    today: date,
    weeks: int = LOAD_WEEKS,
    plans: list[PlanView] | None = None,
) -> list[SpecialistLoad]:
    """Visits each specialist has on the board per week (planned or confirmed, not yet
    received), from this week's Monday. `specialists`: (e-mail, name) of those enrolled."""
    first = monday_of(today)
    end = first + timedelta(weeks=weeks)
    regions = {
        r.specialist_email: r.region for r in session.scalars(select(OfficeSpecialistRegion))
    }
    counts: dict[str, list[int]] = {email.lower(): [0] * weeks for email, _ in specialists}
    if plans is None:
        plans = all_plans(session, since=first - timedelta(days=120))
    for plan in plans:
        if plan.state in (PlanState.VISITED, PlanState.CANCELLED) or not first <= plan.day < end:
            continue
        key = plan.specialist_email.lower()
        if key in counts:
            counts[key][(plan.day - first).days // 7] += 1
    return [
        SpecialistLoad(
            email,
            name,
            regions.get(email.lower(), ""),
            counts[email.lower()],
            sum(counts[email.lower()]),
        )
        for email, name in specialists
    ]


def load_in_week(loads: list[SpecialistLoad], email: str, week: int) -> int:
    for load in loads:
        if load.email.lower() == email.lower() and 0 <= week < len(load.weeks):
            return load.weeks[week]
    return 0
