"""Training needs: the hand-computed ranking, the topics file checked on load, the fund's
balance (or "fund not set up"), the one-page bilingual brief, the page and the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.analytics import training
from ietp_desktop.office.analytics.model import Period, quarter_period
from ietp_desktop.office.analytics.topics import load_topics, parse_topics
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit
from ietp_desktop.storage.office_money_models import OfficeFundEntry, OfficeInvoice

from ..bundle_world import World
from .test_analytics_findings import ROOT, clients, history, office_history

__all__ = ["clients", "history", "office_history"]


def test_needs_are_ranked_by_factories_then_recurrences(history: Database) -> None:
    with history.session() as session:
        ranked = training.needs(session, Period())
        q2 = training.needs(session, quarter_period("2026Q2"))
    assert [
        (n.rank, n.root_cause, n.factories, n.recurrences, n.non_compliances) for n in ranked
    ] == [
        (1, "production_planning", 2, 1, 3),
        (2, "record_keeping", 2, 0, 2),
        (3, "health_safety_awareness", 1, 1, 2),
    ]
    assert [(n.root_cause, n.factories, n.recurrences) for n in q2] == [
        ("health_safety_awareness", 1, 1),
        ("production_planning", 1, 1),
    ]


def test_factories_that_would_benefit(history: Database) -> None:
    with history.session() as session:
        table = training.training_report(session, Period()).table("factories")
    assert [(r[0], r[1], r[5]) for r in table.rows] == [
        ("health_safety_awareness", "B-002", 2),
        ("production_planning", "A-001", 2),
        ("production_planning", "C-003", 1),
        ("record_keeping", "A-001", 1),
        ("record_keeping", "B-002", 1),
    ]


def test_the_shipped_topics_cover_every_root_cause() -> None:
    topics = load_topics()
    assert topics["production_planning"].zh == "生产计划与工时管理"
    assert set(topics) == {
        "production_planning", "recruitment_retention", "health_safety_awareness",
        "management_system", "worker_awareness", "record_keeping",
        "supplier_subcontracting", "other",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "topics.json: line 1: not valid JSON"),
        ('{"topics": []}', 'expected an object with a non-empty list "topics"'),
        (
            '{"topics": [{"root_cause": "wages", "topic": {"en": "x", "zh": "y"}}]}',
            "topics.json: entry 1: root_cause 'wages' is not one of",
        ),
        (
            '{"topics": [{"root_cause": "other", "topic": {"en": "Other", "zh": " "}}]}',
            "topics.json: entry 1: topic.zh must be a non-empty text",
        ),
        (
            '{"topics": [{"root_cause": "other", "topic": {"en": "a", "zh": "b"}},'
            ' {"root_cause": "other", "topic": {"en": "a", "zh": "b"}}]}',
            "topics.json: entry 2: root_cause other is given twice",
        ),
    ],
)
def test_a_wrong_topics_file_is_refused_with_where_and_what(text: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_topics(text, "topics.json")
    assert message in str(caught.value)


def book_to_fund(db: Database, amount: str) -> None:
    """A paid invoice with its share booked to the fund, as the fees feature leaves them."""
    with db.session() as session:
        visit = session.scalars(select(Visit).order_by(Visit.id)).first()
        assert visit is not None
        invoice = OfficeInvoice(
            number="PV-2026-0001",
            visit_id=visit.id,
            factory_id=visit.factory_id,
            man_days=Decimal("1"),
            day_rate_usd=Decimal("1000"),
            amount_usd=Decimal("1000"),
            sent_on=date(2026, 1, 20),
            received_on=date(2026, 1, 20),
            due_on=date(2026, 2, 10),
            paid_on=date(2026, 2, 5),
            amount_paid_usd=Decimal("1000"),
            settled=True,
        )
        session.add(invoice)
        session.flush()
        session.add(
            OfficeFundEntry(
                invoice_id=invoice.id,
                booked_on=date(2026, 2, 5),
                share_percent=Decimal("10"),
                amount_usd=Decimal(amount),
            )
        )


def test_the_fund_balance_is_what_the_fees_feature_booked(history: Database) -> None:
    with history.session() as session:
        assert training.fund_balance(session) == Decimal("0")
    book_to_fund(history, "12345.60")
    with history.session() as session:
        assert training.fund_balance(session) == Decimal("12345.60")


def test_the_page_for_every_role_with_the_fund_beside(
    clients: dict[str, TestClient], office_history: World
) -> None:
    for role, client in clients.items():
        page = client.get("/analytics/training")
        assert page.status_code == 200, role
        assert "Production planning and working-hours management" in page.text
        assert "0.00 USD" in page.text
        assert page.text.index("Production planning and working") < page.text.index(
            "Time and payroll record keeping"
        )
    db = open_office_db(office_history.office_dir)
    try:
        book_to_fund(db, "2500")
    finally:
        db.dispose()
    page = clients["coordinator"].get("/analytics/training?quarter=2026Q2")
    assert "2,500.00 USD" in page.text


def test_the_brief_is_one_bilingual_page(clients: dict[str, TestClient]) -> None:
    from pypdf import PdfReader

    response = clients["reviewer"].get("/analytics/training.pdf?quarter=2026Q1")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Training needs brief" in text and "培训需求简报" in text
    assert "Visits from 2026-01-01 to 2026-03-31" in text
    assert "Fund balance: 0.00 USD" in text
    assert "生产计划与工时管理" in text and "A-001" in text


def test_cli_json_and_pdf(office_history: World, tmp_path: Path) -> None:
    pdf = tmp_path / "brief.pdf"
    result = subprocess.run(
        [
            sys.executable, "-m", "ietp_desktop", "office", "analytics", "training",
            "--office-dir", str(office_history.office_dir), "--json", "--pdf", str(pdf),
        ],
        capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["fund_balance_usd"] in ("0", "0.00", 0)
    needs = next(t for t in data["tables"] if t["key"] == "needs")
    assert [r[:2] + r[3:] for r in needs["rows"]] == [
        [1, "production_planning", 2, 1, 3],
        [2, "record_keeping", 2, 0, 2],
        [3, "health_safety_awareness", 1, 1, 2],
    ]
    assert pdf.read_bytes().startswith(b"%PDF")
    bad = subprocess.run(
        [
            sys.executable, "-m", "ietp_desktop", "office", "analytics", "training",
            "--office-dir", str(office_history.office_dir), "--quarter", "2026-Q5",
        ],
        capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert bad.returncode != 0
    assert "2026-Q5: write a quarter as YYYYQn, for example 2026Q3" in bad.stderr + bad.stdout
    assert "Traceback" not in bad.stderr


def test_a_long_table_shows_its_first_rows_and_exports_them_all(
    clients: dict[str, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ietp_desktop.office.console import analytics_pages

    monkeypatch.setattr(analytics_pages, "PAGE_ROWS", 2)
    client = clients["reviewer"]
    page = client.get("/analytics/training")
    assert "Showing the first 2 of 5 rows" in page.text
    assert page.text.count("Gamma Crafts") == 0  # third row of the factories table
    export = client.get("/analytics/training.csv?table=factories")
    assert export.content.decode("utf-8-sig").count("\n") == 6  # header and the five rows
