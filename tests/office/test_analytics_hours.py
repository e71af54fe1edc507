"""Hours and wages across factories: hand-computed shares (sample and whole workforce) by month
and region, "not available" instead of zeros, the page for every role, exports, the CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date

from sqlalchemy import func
from starlette.testclient import TestClient

from ietp_desktop.office.analytics.hours import hours_report
from ietp_desktop.office.analytics.model import Period
from ietp_desktop.storage.db import Database

from ..bundle_world import World
from .test_analytics_findings import ROOT, clients, history, office_history

__all__ = ["clients", "history", "office_history"]


def test_shares_of_workers_by_month_and_region(history: Database) -> None:
    with history.session() as session:
        report = hours_report(session, Period())
    # month, population, workers, >60 h, %, >cap, %, no rest, %
    assert report.table("hours_by_month").rows == (
        ("2026-03", "sample", 2, 1, 50.0, 0, 0.0, 1, 50.0),
        ("2026-03", "workforce", 3, 2, 66.7, 1, 33.3, 1, 33.3),
    )
    assert report.table("hours_by_region").rows == (
        ("Guangdong", "sample", 2, 1, 50.0, 0, 0.0, 1, 50.0),
        ("Guangdong", "workforce", 3, 2, 66.7, 1, 33.3, 1, 33.3),
    )
    # month, population, workers, with a known minimum, below, %, minimum not known
    assert report.table("wages_by_month").rows == (
        ("2026-03", "sample", 2, 2, 1, 50.0, 0),
        ("2026-03", "workforce", 3, 3, 1, 33.3, 0),
    )
    assert report.params["week"] == "60" and report.params["overtime"] == "36"


def test_without_records_the_page_says_so_instead_of_zeros(history: Database) -> None:
    with history.session() as session:
        report = hours_report(session, Period(date(2026, 7, 1), date(2026, 7, 31)))
    for table in report.tables:
        assert table.rows == ()
        assert "cannot be computed" in table.unavailable


def test_the_page_for_every_role_and_its_export(clients: dict[str, TestClient]) -> None:
    for role, client in clients.items():
        page = client.get("/analytics/hours")
        assert page.status_code == 200, role
        assert "Above 60 h in a week" in page.text
        assert "whole workforce" in page.text and "66.7" in page.text
    empty = clients["reviewer"].get("/analytics/hours?from=2026-07-01&to=2026-07-31")
    assert "No received visit in this period carried time records" in empty.text
    assert "66.7" not in empty.text
    response = clients["reviewer"].get("/analytics/hours.csv?table=wages_by_region")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Region",
        "Population",
        "Workers with full-month pay",
        "Of them with a known minimum wage",
        "Below the minimum wage",
        "Share below the minimum wage (%)",
        "Minimum wage not known",
    ]
    assert rows[1:] == [
        ["Guangdong", "sampled workers", "2", "2", "1", "50.0", "0"],
        ["Guangdong", "whole workforce", "3", "3", "1", "33.3", "0"],
    ]


def test_cli_json(office_history: World) -> None:
    result = subprocess.run(
        [
            sys.executable, "-m", "ietp_desktop", "office", "analytics", "hours",
            "--office-dir", str(office_history.office_dir), "--json",
        ],
        capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    tables = {t["key"]: t for t in json.loads(result.stdout)["tables"]}
    assert tables["hours_by_month"]["columns"][3] == "Above 60 h in a week"
    assert tables["hours_by_month"]["rows"][1] == [
        "2026-03", "workforce", 3, 2, 66.7, 1, 33.3, 1, 33.3,
    ]  # fmt: skip


def test_the_summary_is_rebuilt_when_a_visit_comes_again(history: Database) -> None:
    from sqlalchemy import delete, select, update

    from ietp_desktop.storage.models import TimeRecord, Visit, Worker
    from ietp_desktop.storage.office_analytics_models import OfficeWorkerMonth

    with history.session() as session:
        hours_report(session, Period())
        assert session.scalar(select(func.count()).select_from(OfficeWorkerMonth)) == 3
    with history.session() as session:  # revision 2 arrives without W01's long days
        w01 = session.scalars(select(Worker.id).where(Worker.code == "W01")).one()
        session.execute(delete(TimeRecord).where(TimeRecord.worker_id == w01))
        visit_id = session.scalars(select(Worker.visit_id).where(Worker.id == w01)).one()
        session.execute(update(Visit).where(Visit.id == visit_id).values(revision=2))
    with history.session() as session:
        rows = hours_report(session, Period()).table("hours_by_month").rows
    assert rows == (
        ("2026-03", "sample", 1, 0, 0.0, 0, 0.0, 0, 0.0),
        ("2026-03", "workforce", 2, 1, 50.0, 1, 50.0, 0, 0.0),
    )
