"""Invoices and the Training and Development Fund, through the office functions the console and
the CLI call: hand-computed due dates, the lists, the fund's share, refusals that store nothing."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office import money_followup
from ietp_desktop.office.fees import fund, invoices, settings
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit
from ietp_desktop.storage.office_models import OfficeAuditEntry
from ietp_desktop.storage.office_money_models import OfficeFundEntry, OfficeInvoice
from tests.bundle_world import World, database_state

from .money_fixtures import money_world

__all__ = ["money_world"]

TODAY = date(2026, 12, 2)


@pytest.fixture
def office_db(money_world: World) -> Database:
    db = open_office_db(money_world.office_dir)
    with db.session() as session:  # visits in early September, before National Day
        session.execute(
            update(Visit).values(visit_start=date(2026, 9, 10), visit_end=date(2026, 9, 10))
        )
    yield db
    db.dispose()


def _number(db: Database, uuid: str) -> str:
    with db.session() as session:
        return session.scalars(
            select(OfficeInvoice.number)
            .join(Visit, Visit.id == OfficeInvoice.visit_id)
            .where(Visit.uuid == uuid)
        ).one()


def test_each_received_visit_is_invoiced_once_with_a_unique_number(
    money_world: World, office_db: Database
) -> None:
    with office_db.session() as session:
        rows = invoices.list_invoices(session, invoices.InvoiceFilter(), TODAY)
    assert len(rows) == 2
    assert {r.visit_uuid for r in rows} == {money_world.visit_uuid, money_world.second_uuid}
    year = date.today().year
    assert sorted(r.number for r in rows) == [f"PV-{year}-0001", f"PV-{year}-0002"]
    assert all(re.fullmatch(r"PV-\d{4}-\d{4}", r.number) for r in rows)
    # the demo's fee note: 1.5 man-days × 850 USD
    assert {r.amount_usd for r in rows} == {Decimal("1275.00")}
    assert {r.status for r in rows} == {"draft"}
    # the same visits arriving again do not make a second invoice
    with office_db.session() as session:
        money_followup.visits_received(session, [money_world.visit_uuid], TODAY)
        assert session.scalar(select(func.count()).select_from(OfficeInvoice)) == 2


def test_the_amount_is_capped_at_1500_usd(money_world: World, office_db: Database) -> None:
    with office_db.session() as session:
        visit = session.scalars(select(Visit).where(Visit.uuid == money_world.visit_uuid)).one()
        visit.man_days = Decimal("3")  # 3 × 850 = 2,550 USD uncapped
        invoice = invoices.issue_for_visit(session, visit, "test", TODAY)
        assert invoice is not None
        assert invoice.amount_usd == Decimal("1500.00")
        assert invoice.man_days == Decimal("3")


def test_due_date_is_15_working_days_across_national_day_and_a_tiaoxiu_saturday(
    money_world: World, office_db: Database
) -> None:
    number = _number(office_db, money_world.visit_uuid)
    with office_db.session() as session:
        invoices.send(session, number, date(2026, 9, 24), "cora", TODAY)
        invoice = invoices.receive(session, number, date(2026, 9, 25), "cora", TODAY)
        # Received Friday 25 Sep 2026. Working days after it: 28, 29, 30 Sep (3); National
        # Day 1–7 Oct off; Thu 8, Fri 9 (5); Saturday 10 Oct is a 调休 working day (6);
        # 12–16 Oct (11); 19, 20, 21, 22 Oct (15). Without the 调休 day it would be 23 Oct.
        assert invoice.due_on == date(2026, 10, 22)


def test_lists_unpaid_overdue_termination_risk_and_paid(
    money_world: World, office_db: Database
) -> None:
    first = _number(office_db, money_world.visit_uuid)
    second = _number(office_db, money_world.second_uuid)
    with office_db.session() as session:
        for number in (first, second):
            invoices.send(session, number, date(2026, 9, 24), "cora", TODAY)
            invoices.receive(session, number, date(2026, 9, 25), "cora", TODAY)
        invoices.pay(session, second, date(2026, 10, 20), Decimal("1275.00"), "cora", TODAY)

    def shown(show: str, today: date) -> list[str]:
        with office_db.session() as session:
            flt = invoices.InvoiceFilter(show=show)
            return [r.number for r in invoices.list_invoices(session, flt, today)]

    # due 22 Oct; the default grace is 30 days
    assert shown("unpaid", date(2026, 10, 22)) == [first]
    assert shown("overdue", date(2026, 10, 22)) == []
    assert shown("overdue", date(2026, 10, 23)) == [first]
    assert shown("termination_risk", date(2026, 11, 21)) == []
    assert shown("termination_risk", date(2026, 11, 22)) == [first]
    assert shown("paid", TODAY) == [second]
    with office_db.session() as session:
        settings.write(session, settings.TERMINATION_GRACE_DAYS, "10", "ada")
    assert shown("termination_risk", date(2026, 11, 2)) == [first]
    with office_db.session() as session:
        row = invoices.invoice_row(session, first, date(2026, 11, 2))
    assert (row.status, row.days_overdue) == ("termination_risk", 11)


def test_a_paid_fee_books_the_funds_share(money_world: World, office_db: Database) -> None:
    first = _number(office_db, money_world.visit_uuid)
    second = _number(office_db, money_world.second_uuid)
    with office_db.session() as session:
        assert fund.fund_balance(session) == Decimal("0")
        for number in (first, second):
            invoices.send(session, number, date(2026, 9, 24), "cora", TODAY)
            invoices.receive(session, number, date(2026, 9, 25), "cora", TODAY)
        # a part payment books nothing yet
        invoices.pay(session, first, date(2026, 10, 5), Decimal("275.00"), "cora", TODAY)
        assert fund.fund_balance(session) == Decimal("0")
        invoices.pay(session, first, date(2026, 10, 9), Decimal("1000.00"), "cora", TODAY)
        assert fund.fund_balance(session) == Decimal("127.50")  # 10 % of 1,275.00
        settings.write(session, settings.FUND_SHARE_PERCENT, "12.5", "ada")
        invoices.pay(session, second, date(2026, 11, 3), Decimal("1275"), "cora", TODAY)
        assert fund.fund_balance(session) == Decimal("127.50") + Decimal("159.38")
        months = fund.income_by_month(session)
        entries = session.scalars(select(OfficeFundEntry).order_by(OfficeFundEntry.id)).all()
        actions = session.scalars(
            select(OfficeAuditEntry.action).where(OfficeAuditEntry.action.like("fund.%"))
        ).all()
    assert [(m.month, m.amount_usd, m.invoices) for m in months] == [
        ("2026-10", Decimal("127.50"), 1),
        ("2026-11", Decimal("159.38"), 1),
    ]
    assert [e.share_percent for e in entries] == [Decimal("10"), Decimal("12.5")]
    assert actions == ["fund.book", "fund.book"]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("receive-before-send", "has not been sent; record when it was sent first"),
        ("received-before-sent", "received on 2026-09-23 is before it was sent (2026-09-24)"),
        ("paid-above", "1275.01 USD is more than the 1275.00 USD still owed"),
        ("paid-before-sent", "paid on 2026-09-20 is before it was sent (2026-09-24)"),
        ("sent-before-visit", "sent on 2026-09-01 is before the visit ended (2026-09-10)"),
        ("future-receipt", "the receipt date 2026-12-03 is in the future"),
        ("negative", "a payment must be more than 0"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    money_world: World, office_db: Database, step: str, message: str
) -> None:
    number = _number(office_db, money_world.visit_uuid)
    if step != "receive-before-send":
        with office_db.session() as session:
            invoices.send(session, number, date(2026, 9, 24), "cora", TODAY)
    before = database_state(office_db)
    with (  # noqa: PT012 (the session must be inside: its rollback is what is checked)
        pytest.raises(UserError, match=re.escape(message)) as refused,
        office_db.session() as session,
    ):
        if step in ("receive-before-send", "received-before-sent"):
            invoices.receive(session, number, date(2026, 9, 23), "cora", TODAY)
        elif step == "paid-above":
            invoices.pay(session, number, date(2026, 10, 1), Decimal("1275.01"), "c", TODAY)
        elif step == "paid-before-sent":
            invoices.pay(session, number, date(2026, 9, 20), Decimal("10"), "c", TODAY)
        elif step == "sent-before-visit":
            invoices.send(session, number, date(2026, 9, 1), "cora", TODAY)
        elif step == "future-receipt":
            invoices.receive(session, number, date(2026, 12, 3), "cora", TODAY)
        else:
            invoices.pay(session, number, date(2026, 10, 1), Decimal("-5"), "c", TODAY)
    assert number in str(refused.value)
    assert database_state(office_db) == before


def test_a_setting_out_of_range_is_refused(office_db: Database) -> None:
    for setting, text in (
        (settings.FUND_SHARE_PERCENT, "150"),
        (settings.TERMINATION_GRACE_DAYS, "2.5"),
        (settings.PA_ARRANGE_DAYS, "soon"),
    ):
        with pytest.raises(UserError, match="is not a"), office_db.session() as session:
            settings.write(session, setting, text, "ada")
    with office_db.session() as session:
        assert settings.read(session, settings.FUND_SHARE_PERCENT) == Decimal("10")
