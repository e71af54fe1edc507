"""Planned on the board → fetched by the laptop → confirmed there → the confirmation and then
the visit come back with the next syncs: planned → confirmed → visited."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from ietp_desktop.domain.pv_window import add_months
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.office.planning import assigning
from ietp_desktop.office.planning.plans import PlanState, get_plan
from ietp_desktop.services.sync.bundles import export_visits, import_assignments
from ietp_desktop.services.sync.office_link import fetch_from_office
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.storage.models import Factory, Visit
from ietp_desktop.storage.office_planning_models import OfficePlannedVisit

from ..bundle_world import SPECIALIST_PASSPHRASE, World
from .conftest import Server

TODAY = date.today()
LIN = "lin.mei@example.org"


def _plan(world: World, ietp_id: str, day: date) -> str:
    db = open_office_db(world.office_dir)
    try:
        with db.session() as session:
            if session.scalars(select(Factory).where(Factory.ietp_id == ietp_id)).first() is None:
                session.add(
                    Factory(
                        ietp_id=ietp_id,
                        name_en="Lotus Toys",
                        region="Guangdong",
                        seal_issued_on=add_months(TODAY, -2),
                    )
                )
        return assigning.plan_visit(world.office_dir, db, ietp_id, LIN, day, actor="cora").uuid
    finally:
        db.dispose()


def _state(world: World, uuid: str) -> tuple[PlanState, date | None]:
    db = open_office_db(world.office_dir)
    try:
        with db.session() as session:
            plan = get_plan(session, uuid)
            return plan.state, plan.confirmed_date
    finally:
        db.dispose()


def _send(world: World, tmp_path: Path, uuid: str, name: str) -> None:
    laptop = world.laptop()
    try:
        bundle = tmp_path / name
        export_visits(laptop, [uuid], bundle, passphrase=SPECIALIST_PASSPHRASE)
    finally:
        laptop.dispose()
    (outcome,) = import_bundles(world.office_dir, [bundle])
    assert outcome.status == "imported", outcome.message


def test_the_laptops_confirmation_and_visit_come_back_with_the_next_syncs(
    office: World, tmp_path: Path
) -> None:
    day = TODAY + timedelta(days=10)
    uuid = _plan(office, "CN-S1", day)
    published = sorted((office.office_dir / "outbox").rglob("*.ietpbundle"))
    laptop = office.laptop()
    try:
        result = import_assignments(laptop, published[-1], passphrase=SPECIALIST_PASSPHRASE)
        assert result.visits_added == [uuid]
        lifecycle.confirm_visit(laptop, uuid, day + timedelta(days=2), TODAY)
    finally:
        laptop.dispose()
    assert _state(office, uuid) == (PlanState.PLANNED, None)
    # the next results bundle (a signed visit) carries the confirmation beside it
    _send(office, tmp_path, office.visit_uuid, "first.ietpbundle")
    assert _state(office, uuid) == (PlanState.CONFIRMED, day + timedelta(days=2))
    # a visit planned on the board under the uuid the laptop sends back becomes visited
    laptop = office.laptop()
    with laptop.session() as session:
        second = session.scalars(select(Visit).where(Visit.uuid == office.second_uuid)).one()
        ietp_id = second.factory.ietp_id
    laptop.dispose()
    db = open_office_db(office.office_dir)
    with db.session() as session:
        factory = session.scalars(select(Factory).where(Factory.ietp_id == ietp_id)).first()
        if factory is None:  # the office registered it before planning its visit
            factory = Factory(ietp_id=ietp_id, name_en="Second factory")
            session.add(factory)
            session.flush()
        factory_id = factory.id
        session.add(
            OfficePlannedVisit(
                visit_uuid=office.second_uuid,
                factory_id=factory_id,
                specialist_email=LIN,
                specialist_name="Lin Mei",
                proposed_date=TODAY,
            )
        )
    db.dispose()
    assert _state(office, office.second_uuid)[0] is PlanState.PLANNED
    _send(office, tmp_path, office.second_uuid, "second.ietpbundle")
    assert _state(office, office.second_uuid)[0] is PlanState.VISITED


def test_a_confirmation_for_another_specialists_plan_is_ignored(
    office: World, tmp_path: Path
) -> None:
    day = TODAY + timedelta(days=10)
    uuid = _plan(office, "CN-S2", day)
    laptop = office.laptop()
    try:
        published = sorted((office.office_dir / "outbox").rglob("*.ietpbundle"))
        import_assignments(laptop, published[-1], passphrase=SPECIALIST_PASSPHRASE)
        lifecycle.confirm_visit(laptop, uuid, day, None)
    finally:
        laptop.dispose()
    db = open_office_db(office.office_dir)
    with db.session() as session:
        plan = session.scalars(
            select(OfficePlannedVisit).where(OfficePlannedVisit.visit_uuid == uuid)
        ).one()
        plan.specialist_email = "zhang.wei@example.org"  # reassigned at the office meanwhile
    db.dispose()
    _send(office, tmp_path, office.visit_uuid, "b.ietpbundle")
    assert _state(office, uuid) == (PlanState.PLANNED, None)


@pytest.mark.usefixtures("server")
def test_the_laptop_fetches_the_boards_assignment_over_https(
    office: World, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IETP_OFFICE_PASSPHRASE", raising=False)
    day = TODAY + timedelta(days=21)
    uuid = _plan(office, "CN-S3", day)
    laptop = office.laptop()
    try:
        fetched = fetch_from_office(laptop, server.url, passphrase=SPECIALIST_PASSPHRASE)
        with laptop.session() as session:
            visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).one()
            assert (visit.planned_date, visit.factory.ietp_id) == (day, "CN-S3")
    finally:
        laptop.dispose()
    assert [f.result.visits_added for f in fetched] == [[uuid]]


def test_a_date_agreed_with_nothing_signed_travels_on_its_own(
    office: World, tmp_path: Path
) -> None:
    from ietp_desktop.domain.errors import UserError
    from ietp_desktop.services.sync.bundles import apply_receipt

    laptop = office.laptop()
    try:
        export_visits(
            laptop, None, tmp_path / "signed.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
        )
    finally:
        laptop.dispose()
    day = TODAY + timedelta(days=9)
    uuid = _plan(office, "CN-S4", day)
    published = sorted((office.office_dir / "outbox").rglob("*.ietpbundle"))
    laptop = office.laptop()
    try:
        import_assignments(laptop, published[-1], passphrase=SPECIALIST_PASSPHRASE)
        lifecycle.confirm_visit(laptop, uuid, day, TODAY)
        result = export_visits(
            laptop, None, tmp_path / "dates.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
        )
        assert result.visits == []  # no visit, only the agreed date
    finally:
        laptop.dispose()
    (outcome,) = import_bundles(office.office_dir, [tmp_path / "dates.ietpbundle"])
    assert outcome.status == "imported", outcome.message
    assert _state(office, uuid) == (PlanState.CONFIRMED, day)
    laptop = office.laptop()
    try:
        assert outcome.receipt is not None
        receipt = apply_receipt(laptop, outcome.receipt)
        assert (receipt.status, receipt.received) == ("imported", [])
        with pytest.raises(UserError, match="no signed visit waiting"):  # sent already
            export_visits(
                laptop, None, tmp_path / "again.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
            )
    finally:
        laptop.dispose()
