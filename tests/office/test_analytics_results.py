"""Kept figures: a page's figures come back unchanged while the data is the same, and are
computed again as soon as a visit arrives again or a factory changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, update

from ietp_desktop.office.analytics import pages, results
from ietp_desktop.office.analytics.model import Period
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory, Finding, Visit
from ietp_desktop.storage.office_analytics_models import OfficeAnalyticsResult

from .test_analytics_findings import history

__all__ = ["history"]


def test_every_page_survives_being_kept(history: Database) -> None:
    for page in pages.PAGES:
        for period in (Period(), Period(date(2026, 2, 1), date(2026, 5, 31))):
            with history.session() as session:
                report = pages.PAGES[page].build(session, period, "quarter")
            assert results.loads(results.dumps(report)) == report, page


def test_kept_figures_are_shown_until_a_visit_or_factory_changes(history: Database) -> None:
    def by_root_cause() -> tuple[tuple[object, ...], ...]:
        with history.session() as session:
            return pages.build("findings", session, Period()).table("by_root_cause").rows

    first = by_root_cause()
    assert first[0] == ("production_planning", 3, 3, 2, 3)
    with history.session() as session:
        kept = session.scalars(select(OfficeAnalyticsResult.key)).all()
    assert kept == ["findings|None|None|month"]
    # A visit comes again with one finding's root cause changed (import sets updated_at).
    with history.session() as session:
        finding = session.scalars(
            select(Finding).where(Finding.root_cause == "production_planning")
        ).first()
        assert finding is not None
        finding.root_cause = "management_system"
        session.execute(
            update(Visit)
            .where(Visit.id == finding.visit_id)
            .values(updated_at=datetime(2030, 1, 1, tzinfo=UTC))
        )
    second = by_root_cause()
    assert ("production_planning", 2, 2, 2, 2) in second
    assert ("management_system", 1, 1, 1, 1) in second
    # A factory moves to another region: the place breakdown follows.
    with history.session() as session:
        session.execute(update(Factory).where(Factory.ietp_id == "C-003").values(region="Fujian"))
    with history.session() as session:
        places = pages.build("findings", session, Period()).table("by_place").rows
    assert [r[0] for r in places] == ["Fujian", "Guangdong", "Guangdong"]
