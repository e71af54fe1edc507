"""The fee note: cap applied, due date 15 working days after receipt (shipped Guangdong
calendar), stored on the visit whenever an input changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ietp_desktop.domain.errors import UserError, ValidationFailed
from ietp_desktop.services.outcome import fee
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[tuple[Database, str]]:
    db = open_workspace(tmp_path / "data")
    factories.add_factory(db, factories.FactoryInput("IETP-T-1", "Test Toys"))
    planned = lifecycle.plan_visit(db, "IETP-T-1", date(2026, 9, 1))
    yield db, planned.uuid
    db.dispose()


def stored(db: Database, uuid: str) -> tuple[Decimal | None, date | None]:
    with db.session() as session:
        visit = session.query(Visit).filter_by(uuid=uuid).one()
        return visit.fee_total_usd, visit.fee_due_on


def test_rule_set_is_the_shipped_guangdong_calendar(workspace: tuple[Database, str]) -> None:
    db, uuid = workspace
    with db.session() as session:
        visit = session.query(Visit).filter_by(uuid=uuid).one()
        assert visit.rule_set is not None and visit.rule_set.source == "cn-guangdong-v1.json"


@pytest.mark.parametrize(
    ("man_days", "rate", "uncapped", "total", "capped"),
    [
        ("1.5", "850", "1275.00", "1275.00", False),
        ("2", "750", "1500.00", "1500.00", False),
        ("2", "850", "1700.00", "1500", True),
        ("0.5", "0", "0.00", "0.00", False),
    ],
)
def test_cap_of_1500_usd(
    workspace: tuple[Database, str],
    man_days: str,
    rate: str,
    uncapped: str,
    total: str,
    capped: bool,
) -> None:
    db, uuid = workspace
    note = fee.set_fee(db, uuid, man_days=Decimal(man_days), day_rate_usd=Decimal(rate))
    assert note is not None
    assert (note.uncapped_usd, note.total_usd, note.cap_applied) == (
        Decimal(uncapped),
        Decimal(total),
        capped,
    )
    assert stored(db, uuid) == (Decimal(total), None)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Mon 6 Jul 2026: 7–10, 13–17, 20–24 Jul (14 days), Mon 27 Jul is the 15th;
        # only the three weekends are skipped
        (date(2026, 7, 6), date(2026, 7, 27)),
        # Fri 11 Sep: 14–18 Sep (5), Sun 20 Sep is a declared working day 调休 (6),
        # 21–24 Sep (10), Fri 25 Sep Mid-Autumn off, 28–30 Sep (13), 1–7 Oct National
        # Day off, Thu 8 Oct (14), Fri 9 Oct (15)
        (date(2026, 9, 11), date(2026, 10, 9)),
        # Wed 30 Sep: 1–7 Oct off; 8, 9, Sat 10 Oct 调休 (3), 12–16 (8), 19–23 (13),
        # Mon 26 (14), Tue 27 Oct (15) — a weekdays-only count would say 21 Oct
        (date(2026, 9, 30), date(2026, 10, 27)),
    ],
)
def test_due_date_skips_weekends_and_public_holidays(
    workspace: tuple[Database, str], received: date, due: date
) -> None:
    db, uuid = workspace
    fee.set_fee(db, uuid, man_days=Decimal("1"), day_rate_usd=Decimal("800"))
    note = fee.set_fee(db, uuid, invoice_received_on=received)
    assert note is not None and note.due_on == due
    assert stored(db, uuid) == (Decimal("800.00"), due)
    assert fee.fee_for(db, uuid) == note


def test_fee_needs_man_days_and_rate(workspace: tuple[Database, str]) -> None:
    db, uuid = workspace
    assert fee.set_fee(db, uuid, invoice_received_on=date(2026, 9, 7)) is None
    assert stored(db, uuid) == (None, None)
    with pytest.raises(ValidationFailed, match="man-days must be more than 0"):
        fee.set_fee(db, uuid, man_days=Decimal("0"), day_rate_usd=Decimal("800"))
    assert fee.fee_for(db, uuid) is None  # nothing was saved


def test_signed_visit_takes_the_invoice_date_but_not_new_man_days(
    workspace: tuple[Database, str],
) -> None:
    db, uuid = workspace
    fee.set_fee(db, uuid, man_days=Decimal("1"), day_rate_usd=Decimal("800"))
    with db.session() as session:
        session.query(Visit).filter_by(uuid=uuid).one().status = "signed"
    with pytest.raises(UserError, match="signed"):
        fee.set_fee(db, uuid, man_days=Decimal("2"))
    note = fee.set_fee(db, uuid, invoice_received_on=date(2026, 9, 7))
    assert note is not None and note.due_on == date(2026, 9, 28)
