"""Invoices, the fund and the escalation queues on PostgreSQL (IETP_TEST_PG_URL; .ci/run
starts a throwaway server)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office import money_followup
from ietp_desktop.office.escalations import factory_overview, queue
from ietp_desktop.office.fees import fund, invoices
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.services.sync.bundles import export_visits
from ietp_desktop.storage.models import Factory, Finding, Visit
from tests.bundle_world import SPECIALIST_PASSPHRASE, World, world, world_template
from tests.postgres import PG_URL

__all__ = ["world", "world_template"]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="IETP_TEST_PG_URL is not set"),
]
TODAY = date(2026, 12, 2)


def test_fees_and_escalations_on_postgres(world: World, tmp_path: Path, pg_url: str) -> None:
    laptop = world.laptop()
    bundle = export_visits(
        laptop, [world.visit_uuid], tmp_path / "v.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
    ).path
    laptop.dispose()
    [outcome] = import_bundles(world.office_dir, [bundle], pg_url)
    assert outcome.status == "imported", outcome.message
    db = open_office_db(world.office_dir, pg_url)
    try:
        with db.session() as session:
            session.execute(
                update(Visit).values(visit_start=date(2026, 9, 10), visit_end=date(2026, 9, 10))
            )
            [row] = invoices.list_invoices(session, invoices.InvoiceFilter(), TODAY)
            invoices.send(session, row.number, date(2026, 9, 24), "cora", TODAY)
            assert invoices.receive(
                session, row.number, date(2026, 9, 25), "cora", TODAY
            ).due_on == date(2026, 10, 22)
        with pytest.raises(UserError, match="still owed"), db.session() as session:
            invoices.pay(session, row.number, date(2026, 11, 1), Decimal("2000"), "c", TODAY)
        with db.session() as session:
            flt = invoices.InvoiceFilter(show="termination_risk", text="hongda")
            assert [r.number for r in invoices.list_invoices(session, flt, TODAY)] == [row.number]
            invoices.pay(session, row.number, date(2026, 11, 1), Decimal("1275"), "c", TODAY)
            assert fund.fund_balance(session) == Decimal("127.50")
            visit = session.scalars(select(Visit)).one()
            session.execute(
                update(Finding)
                .where(Finding.visit_id == visit.id)
                .values(classification="zero_tolerance")
            )
            money_followup.visits_received(session, [world.visit_uuid], TODAY)
            queue.decide(
                session, world.visit_uuid, "zero_tolerance", "terminate", "confirmed", "cora",
                today=TODAY,
            )  # fmt: skip
        with db.session() as session:
            ietp_id = session.scalars(select(Factory.ietp_id)).one()
            page = factory_overview.load(session, ietp_id, TODAY)
        assert page.certificate_status == "terminated"
        assert [i.status for i in page.invoices] == ["paid"]
        assert [(h.old_status, h.new_status) for h in page.history] == [("certified", "terminated")]
    finally:
        db.dispose()
