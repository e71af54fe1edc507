"""Specialist consistency and PV programme health: hand-computed figures on the small history,
the window edge on month ends (the database agrees with domain.pv_window), the pages per role,
exports and the CLI; and every analytics page gives the same figures on PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Date, create_engine, literal, select, text
from starlette.testclient import TestClient

from ietp_desktop.domain.pv_window import add_months as domain_add_months
from ietp_desktop.office.analytics import pages
from ietp_desktop.office.analytics.health import add_months, health_report
from ietp_desktop.office.analytics.model import Period
from ietp_desktop.office.analytics.specialists import OFFICE, specialists_report
from ietp_desktop.storage.db import Database, open_url

from ..bundle_world import World
from .analytics_world import add_history
from .test_analytics_findings import ROOT, clients, history, office_history
from .test_analytics_training import book_to_fund

__all__ = ["clients", "history", "office_history"]

PG_URL = os.environ.get("IETP_TEST_PG_URL")


def test_findings_per_visit_and_outcome_mix_beside_the_office_average(
    history: Database,
) -> None:
    with history.session() as session:
        report = specialists_report(session, Period())
    # specialist, visits, findings/visit, NCs/visit, difference from office NCs/visit, ZT
    assert report.table("findings_per_visit").rows == (
        (OFFICE, 6, 1.33, 1.17, 0.0, 0),
        ("Lin Mei", 3, 1.67, 1.33, 0.17, 0),
        ("Zhang Wei", 3, 1.0, 1.0, -0.17, 0),
    )
    # shares of: PA required, termination, status review, maintained + CAP, maintained
    assert report.table("outcome_mix").rows == (
        (OFFICE, 6, 0.0, 0.0, 16.7, 66.7, 16.7),
        ("Lin Mei", 3, 0.0, 0.0, 0.0, 100.0, 0.0),
        ("Zhang Wei", 3, 0.0, 0.0, 33.3, 33.3, 33.3),
    )


def test_window_report_delay_and_cap_closure(history: Database) -> None:
    with history.session() as session:
        report = health_report(session, Period())
    # A-001 (seal 1 Nov) visited 15 Jan and B-002 (seal 1 Dec) 10 Feb: inside; C-003 (seal
    # 10 Jan, window from 10 Mar) visited 3 Mar: before.
    assert report.table("window").rows == (("inside", 2, 66.7), ("before", 1, 33.3))
    assert report.table("report_delay").rows == (
        ("2026Q1", 3, 4.0, 4, 3, 0, 0, 0),
        ("2026Q2", 2, 4.0, 4, 2, 0, 0, 0),
        ("2026Q3", 1, 4.0, 4, 1, 0, 0, 0),
    )
    # lines, closed, average days to close (dated only), open, open past due
    assert report.table("cap_closure").rows == (("2026Q1", 3, 2, 30.0, 1, 1),)
    assert report.table("fee_payment").rows == ()  # no invoice paid yet
    book_to_fund(history, "100")  # received 20 Jan, due 10 Feb, paid 5 Feb: 16 days, not late
    with history.session() as session:
        paid = health_report(session, Period()).table("fee_payment")
    assert paid.rows == (("2026Q1", 1, 16.0, 0),)


def _database_add_months(db: Database, day: date, months: int) -> date:
    with db.session() as session:
        value = session.scalar(select(add_months(session, literal(day, Date), months)))
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def test_window_bounds_clamp_to_the_month_end_like_the_domain(history: Database) -> None:
    for day in (date(2025, 12, 31), date(2025, 10, 31), date(2024, 11, 30), date(2026, 1, 10)):
        for months in (2, 4):
            assert _database_add_months(history, day, months) == domain_add_months(day, months)


def test_pages_for_every_role(clients: dict[str, TestClient]) -> None:
    for role, client in clients.items():
        health = client.get("/analytics/health")
        assert health.status_code == 200, role
        assert "inside the window" in health.text
        assert "No invoice received by a factory in this period has been paid" in health.text
        page = client.get("/analytics/specialists")
        if role in ("administrator", "coordinator"):
            assert page.status_code == 200
            assert "A calibration aid, not a ranking" in page.text
            assert "Office average" in page.text and "Zhang Wei" in page.text
            assert 'href="/analytics/specialists"' in client.get("/analytics/findings").text
        else:
            assert page.status_code == 403
            assert 'href="/analytics/specialists"' not in client.get("/analytics/findings").text
    export = clients["coordinator"].get("/analytics/specialists.csv?table=outcome_mix")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Specialist", "Visits", "Progress Audit required"]
    assert rows[1] == ["Office average", "6", "0.0", "0.0", "16.7", "66.7", "16.7"]


def test_cli_json(office_history: World) -> None:
    result = subprocess.run(
        [
            sys.executable, "-m", "ietp_desktop", "office", "analytics", "health",
            "--office-dir", str(office_history.office_dir), "--json",
        ],
        capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    tables = {t["key"]: t for t in json.loads(result.stdout)["tables"]}
    assert tables["cap_closure"]["rows"] == [["2026Q1", 3, 2, 30.0, 1, 1]]
    assert tables["fee_payment"]["unavailable"].startswith("No invoice received by a factory")


@pytest.fixture
def pg_history() -> Iterator[Database]:
    if not PG_URL:
        pytest.skip("IETP_TEST_PG_URL is not set")
    from sqlalchemy.engine import make_url

    name = f"ietp_analytics_{os.getpid()}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = open_url(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    add_history(db)
    yield db
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.mark.postgres
def test_every_page_gives_the_same_figures_on_postgresql(
    pg_history: Database, history: Database
) -> None:
    for page in pages.PAGES:
        for period in (Period(), Period(date(2026, 2, 1), date(2026, 5, 31))):
            with history.session() as session:
                expected = pages.build(page, session, period)
            with pg_history.session() as session:
                got = pages.build(page, session, period)
            for mine, theirs in zip(expected.tables, got.tables, strict=True):
                assert theirs.rows == mine.rows, (page, mine.key)
    for day in (date(2025, 12, 31), date(2025, 10, 31)):
        assert _database_add_months(pg_history, day, 2) == domain_add_months(day, 2)
