"""Findings across factories: hand-computed breakdowns and recurrences on the small history of
analytics_world, the page for every role, and its exports."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from ietp_desktop.office.analytics.findings import findings_report
from ietp_desktop.office.analytics.model import Period, quarter_period
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.storage.db import Database, open_url
from tests.office.conftest import signed_in_clients

from ..bundle_world import World
from .analytics_world import add_history

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def history(tmp_path: Path) -> Iterator[Database]:
    db = open_url(f"sqlite:///{tmp_path / 'history.sqlite3'}")
    add_history(db)
    yield db
    db.dispose()


@pytest.fixture
def office_history(office: World) -> World:
    db = open_office_db(office.office_dir)
    add_history(db)
    db.dispose()
    return office


@pytest.fixture
def clients(office_history: World) -> Iterator[dict[str, TestClient]]:
    with signed_in_clients(office_history.office_dir) as made:
        yield made


def _rows(report: object, key: str) -> tuple[tuple[object, ...], ...]:
    return report.table(key).rows  # type: ignore[attr-defined, no-any-return]


def test_breakdowns_by_classification_category_root_cause(history: Database) -> None:
    with history.session() as session:
        report = findings_report(session, Period())
    assert _rows(report, "by_classification") == (
        ("standard_nc", 6, 5, 3),
        ("observation", 1, 1, 1),
        ("transparency", 1, 1, 1),
    )
    assert _rows(report, "by_category") == (
        ("working_hours", 3, 0, 2),
        ("ehs", 2, 1, 1),
        ("transparency", 1, 0, 1),
        ("wages_benefits", 1, 0, 1),
    )
    # root cause, non-compliances, all findings, factories with an NC, visits
    assert _rows(report, "by_root_cause") == (
        ("production_planning", 3, 3, 2, 3),
        ("health_safety_awareness", 2, 3, 1, 3),
        ("record_keeping", 2, 2, 2, 2),
    )


def test_over_time_place_and_size(history: Database) -> None:
    with history.session() as session:
        by_month = findings_report(session, Period()).table("over_time").rows
        by_quarter = findings_report(session, Period(), "quarter").table("over_time").rows
        report = findings_report(session, Period())
    assert [r[:4] for r in by_month] == [
        ("2026-01", 1, 2, 2),
        ("2026-02", 1, 2, 2),
        ("2026-03", 1, 1, 1),
        ("2026-04", 1, 1, 2),
        ("2026-05", 1, 1, 1),
        ("2026-07", 1, 0, 0),
    ]
    assert by_quarter == (
        ("2026Q1", 3, 5, 5, 1.67),
        ("2026Q2", 2, 2, 3, 1.0),
        ("2026Q3", 1, 0, 0, 0.0),
    )
    assert _rows(report, "by_place") == (
        ("Guangdong", "Dongguan", 1, 2, 3, 1.5),
        ("Guangdong", "Shenzhen", 1, 2, 3, 1.5),
        ("Zhejiang", "Ningbo", 1, 2, 1, 0.5),
    )
    assert _rows(report, "by_size") == (
        ("1-99", 1, 2, 1, 0.5),
        ("100-299", 1, 2, 3, 1.5),
        ("300-999", 1, 2, 3, 1.5),
    )


def test_recurrence_is_the_same_root_cause_at_consecutive_visits(history: Database) -> None:
    with history.session() as session:
        rows = findings_report(session, Period()).table("recurring").rows
        q2 = findings_report(session, quarter_period("2026Q2")).table("recurring").rows
        q1 = findings_report(session, quarter_period("2026Q1")).table("recurring").rows
    assert [(r[0], r[3], r[4], r[5]) for r in rows] == [
        ("B-002", "health_safety_awareness", date(2026, 2, 10), date(2026, 5, 12)),
        ("A-001", "production_planning", date(2026, 1, 15), date(2026, 4, 20)),
    ]
    assert len(q2) == 2  # the later visit is in the quarter; the earlier one need not be
    assert q1 == ()  # C-003's V5 → V6 repeats nothing; no later visit in Q1


def test_the_period_filters_every_breakdown(history: Database) -> None:
    with history.session() as session:
        report = findings_report(session, Period(date(2026, 2, 1), date(2026, 3, 31)))
    assert _rows(report, "by_classification") == (
        ("standard_nc", 2, 2, 2),
        ("transparency", 1, 1, 1),
    )


def test_the_page_for_every_role_shows_charts_tables_and_exports(
    clients: dict[str, TestClient],
) -> None:
    for role, client in clients.items():
        page = client.get("/analytics/findings")
        assert page.status_code == 200, role
        assert "Findings across factories" in page.text
        assert page.text.count("<svg") == 6  # every breakdown but the recurrence list
        assert "Production planning" in page.text and "Alpha Toys" in page.text
        assert 'href="/analytics/findings.csv?table=by_root_cause"' in page.text
    zh = clients["reviewer"]
    zh.cookies.set("ietp_lang", "zh")
    page = zh.get("/analytics/findings?grain=quarter")
    assert "生产计划" in page.text and "2026Q1" in page.text
    zh.cookies.set("ietp_lang", "en")


def test_exports_hold_the_table(clients: dict[str, TestClient]) -> None:
    client = clients["read-only"]
    response = client.get("/analytics/findings.csv?table=by_root_cause&from=2026-01-01")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        [
            "Root cause",
            "Non-compliances",
            "All findings",
            "Factories with a non-compliance",
            "Visits",
        ],
        ["Production planning", "3", "3", "2", "3"],
        ["Health and safety awareness", "2", "3", "1", "3"],
        ["Record keeping", "2", "2", "2", "2"],
    ]
    response = client.get("/analytics/findings.xlsx?table=recurring")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][:4] == ["B-002", "Beta Plastics", "贝塔塑胶", "Health and safety awareness"]
    assert len(values) == 3
    assert client.get("/analytics/findings.csv?table=nothing").status_code == 404
    assert client.get("/analytics/findings.pdf").status_code == 404


def test_cli_prints_the_same_tables_as_json(office_history: World) -> None:
    result = subprocess.run(
        [
            sys.executable, "-m", "ietp_desktop", "office", "analytics", "findings",
            "--office-dir", str(office_history.office_dir), "--quarter", "2026Q2", "--json",
        ],
        capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    tables = {t["key"]: t for t in data["tables"]}
    assert data["period"] == {"from": "2026-04-01", "to": "2026-06-30"}
    assert tables["by_classification"]["rows"] == [
        ["standard_nc", 2, 2, 2],
        ["observation", 1, 1, 1],
    ]
    assert len(tables["recurring"]["rows"]) == 2
