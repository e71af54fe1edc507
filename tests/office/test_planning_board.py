"""The planning board: warnings, load, assignment sent to the laptop, planned → confirmed →
visited, the preparation letter — as a coordinator and the other roles see them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from ietp_desktop.domain.pv_window import add_months
from ietp_desktop.office.console.outbox import outbox_dir
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.planning import board, calendar
from ietp_desktop.office.planning.calendar import Period
from ietp_desktop.services.sync.bundles import import_assignments
from ietp_desktop.storage.models import Factory, FormDefinition, Visit
from ietp_desktop.storage.office_planning_models import OfficePlannedVisit

from ..bundle_world import SPECIALIST_PASSPHRASE, World, row_count
from .conftest import csrf_of, signed_in_clients

TODAY = date.today()
SEAL = add_months(TODAY, -2) - timedelta(days=10)  # the window opened 10 days ago
LIN = "lin.mei@example.org"


def test_a_date_in_a_blackout_or_outside_the_window_warns() -> None:
    new_year = [Period(1, date(2027, 2, 1), date(2027, 2, 20), "Chinese New Year", year=2027)]
    closed = [Period(2, date(2027, 3, 8), date(2027, 3, 9), "brand audit")]
    seal = date(2026, 12, 5)  # window 5 Feb – 5 Apr 2027
    assert calendar.date_warnings(date(2027, 3, 1), seal, new_year, closed) == []
    texts = [w.text("en") for w in calendar.date_warnings(date(2027, 2, 10), seal, new_year, [])]
    assert texts == [
        "2027-02-10 falls in the blackout period Chinese New Year (2027-02-01 to 2027-02-20)"
    ]
    texts = [w.text("en") for w in calendar.date_warnings(date(2027, 2, 3), seal, new_year, [])]
    assert texts == [
        "2027-02-03 is before the PV window (2027-02-05 to 2027-04-05)",
        "2027-02-03 falls in the blackout period Chinese New Year (2027-02-01 to 2027-02-20)",
    ]
    texts = [w.text("en") for w in calendar.date_warnings(date(2027, 3, 9), seal, [], closed)]
    assert texts == [
        "2027-03-09: the factory is unavailable from 2027-03-08 to 2027-03-09 (brand audit)"
    ]
    zh = calendar.date_warnings(date(2027, 2, 10), seal, new_year, [])[0].text("zh")
    assert zh == "2027-02-10 在暂停期 Chinese New Year（2027-02-01 至 2027-02-20）内"


def _add_factory(world: World, ietp_id: str, region: str = "Guangdong", seal: date = SEAL) -> int:
    db = open_office_db(world.office_dir)
    with db.session() as session:
        factory = Factory(
            ietp_id=ietp_id,
            name_en=f"Toys {ietp_id}",
            name_zh="玩具厂",
            city="Dongguan",
            region=region,
            headcount=420,
            seal_issued_on=seal,
            contact_name="Mr Lee",
        )
        session.add(factory)
        session.flush()
        factory_id = factory.id
    db.dispose()
    return factory_id


def test_a_specialists_load_counts_open_visits_per_week(office: World) -> None:
    first = board.monday_of(TODAY)
    ids = [_add_factory(office, f"L-{n}") for n in range(4)]
    db = open_office_db(office.office_dir)
    with db.session() as session:
        for n, (factory_id, day) in enumerate(
            zip(
                ids,
                [
                    first,
                    first + timedelta(days=2),
                    first + timedelta(weeks=2),
                    first + timedelta(weeks=9),
                ],
                strict=True,
            )
        ):
            session.add(
                OfficePlannedVisit(
                    visit_uuid=f"00000000-0000-0000-0000-00000000000{n}",
                    factory_id=factory_id,
                    specialist_email=LIN,
                    specialist_name="Lin Mei",
                    proposed_date=day,
                )
            )
        loads = board.specialist_loads(
            session, [(LIN, "Lin Mei"), ("zhang.wei@example.org", "Zhang Wei")], TODAY
        )
    db.dispose()
    # two this week, one in the third week, the one nine weeks out is beyond the 8 shown
    assert loads[0].weeks == [2, 0, 1, 0, 0, 0, 0, 0] and loads[0].total == 3
    assert loads[1].weeks == [0] * 8


@pytest.fixture
def clients(office: World) -> Iterator[dict[str, TestClient]]:
    with signed_in_clients(office.office_dir, ("coordinator", "read-only")) as made:
        yield made


def _post(client: TestClient, path: str, **data: str) -> object:
    page = client.get("/planning")
    return client.post(path, data={"csrf": csrf_of(page.text), **data}, follow_redirects=False)


def test_an_assignment_on_the_board_reaches_the_laptop_and_comes_back_visited(
    office: World, clients: dict[str, TestClient], tmp_path: Path
) -> None:
    _add_factory(office, "CN-P1")
    coordinator = clients["coordinator"]
    page = coordinator.get("/planning").text
    assert "CN-P1" in page and "Guangdong" in page and "Not planned" in page
    assert "Lin Mei" in page  # the enrolled specialist is offered, with this week's load
    day = TODAY + timedelta(days=14)
    response = _post(
        coordinator,
        "/planning/assign",
        ietp_id="CN-P1",
        specialist=LIN,
        date=str(day),
        man_days="2",
    )
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    page = coordinator.get("/planning?state=planned").text
    assert "CN-P1" in page and '<span class="badge planned">Planned</span>' in page
    published = sorted(outbox_dir(office.office_dir, LIN).glob("*.ietpbundle"))
    assert len(published) == 1
    db = office.laptop()
    try:
        result = import_assignments(db, published[0], passphrase=SPECIALIST_PASSPHRASE)
        with db.session() as session:
            visit = session.scalars(select(Visit).where(Visit.uuid == result.visits_added[0])).one()
            assert (visit.planned_date, visit.factory.ietp_id, visit.status) == (
                day,
                "CN-P1",
                "planned",
            )
    finally:
        db.dispose()
    uuid = result.visits_added[0]
    # the coordinator moves the date: sent again under the same uuid, the laptop updates it
    later = day + timedelta(days=1)
    assert (
        _post(
            coordinator, "/planning/assign", ietp_id="CN-P1", specialist=LIN, date=str(later)
        ).status_code
        == 303
    )  # type: ignore[attr-defined]
    # bundle names are random: the new one is the one that was not there before
    [newest] = set(outbox_dir(office.office_dir, LIN).glob("*.ietpbundle")) - set(published)
    db = office.laptop()
    try:
        moved = import_assignments(db, newest, passphrase=SPECIALIST_PASSPHRASE)
    finally:
        db.dispose()
    assert moved.visits_updated == [uuid] and moved.visits_added == []
    # confirmed (told by the specialist) → the board says so
    assert (
        _post(coordinator, f"/planning/visits/{uuid}/confirm", date=str(later)).status_code == 303
    )  # type: ignore[attr-defined]
    assert '<span class="badge confirmed">Confirmed</span>' in coordinator.get("/planning").text
    # the visit reaches the office under the same uuid → visited
    office_db = open_office_db(office.office_dir)
    with office_db.session() as session:
        factory = session.scalars(select(Factory).where(Factory.ietp_id == "CN-P1")).one()
        session.add(
            Visit(
                uuid=uuid,
                factory_id=factory.id,
                form_sha256=session.scalars(select(FormDefinition.sha256)).first(),
                status="received",
                visit_start=later,
                received_at=datetime.now(UTC),
            )
        )
    office_db.dispose()
    page = coordinator.get("/planning").text
    assert '<span class="badge visited">Visited</span>' in page
    rows = list(
        csv.reader(io.StringIO(coordinator.get("/planning.csv").content.decode("utf-8-sig")))
    )
    row = dict(zip(rows[0], next(r for r in rows if "CN-P1" in r), strict=True))
    assert (row["plan"], row["specialist"], row["visit"]) == ("visited", "Lin Mei", uuid)
    audit = coordinator.get("/audit?action=planning.assign").text
    assert "CN-P1" in audit


def test_a_date_in_a_blackout_asks_before_assigning(
    office: World, clients: dict[str, TestClient]
) -> None:
    _add_factory(office, "CN-P2")
    coordinator = clients["coordinator"]
    day = TODAY + timedelta(days=20)
    assert _post(
        coordinator, "/planning/blackouts", name="Dragon Boat Festival",
        starts=str(day - timedelta(days=1)), ends=str(day + timedelta(days=1)),
    ).status_code == 303  # type: ignore[attr-defined]  # fmt: skip
    calendar_page = coordinator.get("/planning/calendar").text
    assert "Dragon Boat Festival" in calendar_page
    response = _post(
        coordinator, "/planning/assign", ietp_id="CN-P2", specialist=LIN, date=str(day)
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert f"{day} falls in the blackout period Dragon Boat Festival" in response.text  # type: ignore[attr-defined]
    assert "Assign anyway" in response.text  # type: ignore[attr-defined]
    db = open_office_db(office.office_dir)
    assert row_count(db, OfficePlannedVisit) == 0  # nothing planned until confirmed
    db.dispose()
    anyway = _post(
        coordinator, "/planning/assign", ietp_id="CN-P2", specialist=LIN, date=str(day), anyway="1"
    )
    assert anyway.status_code == 303  # type: ignore[attr-defined]
    page = coordinator.get("/planning").text
    assert "falls in the blackout period Dragon Boat Festival" in page  # still shown on the row


def test_read_only_sees_the_board_and_the_letter_but_cannot_assign(
    office: World, clients: dict[str, TestClient]
) -> None:
    _add_factory(office, "CN-P3")
    coordinator, reader = clients["coordinator"], clients["read-only"]
    _post(
        coordinator,
        "/planning/assign",
        ietp_id="CN-P3",
        specialist=LIN,
        date=str(TODAY + timedelta(days=7)),
    )
    page = reader.get("/planning?assign=CN-P3")
    assert page.status_code == 200 and "CN-P3" in page.text
    assert "Send to the laptop" not in page.text and "Change date" not in page.text
    assert "Send to the laptop" in coordinator.get("/planning?assign=CN-P3").text
    refused = reader.post(
        "/planning/assign",
        data={
            "csrf": csrf_of(page.text),
            "ietp_id": "CN-P3",
            "specialist": LIN,
            "date": str(TODAY),
        },
    )
    assert refused.status_code == 403
    forged = coordinator.post(
        "/planning/assign",
        data={"csrf": "forged", "ietp_id": "CN-P3", "specialist": LIN, "date": str(TODAY)},
    )
    assert forged.status_code == 403
    db = open_office_db(office.office_dir)
    with db.session() as session:
        uuid = session.scalars(select(OfficePlannedVisit.visit_uuid)).one()
    db.dispose()
    pdf = reader.get(f"/planning/visits/{uuid}/letter.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        reader.get("/planning/visits/00000000-0000-0000-0000-000000000000/letter.pdf").status_code
        == 404
    )


def test_the_least_loaded_specialist_of_the_factorys_region_is_offered_first() -> None:
    from ietp_desktop.office.console.planning_pages import _suggested
    from ietp_desktop.office.factories.register import FactoryRow
    from ietp_desktop.office.factories.states import FactoryState

    factory = FactoryRow(
        1, "CN-X", "X", "", "", "", "江苏", None, SEAL, "", "", None, FactoryState.DUE, None
    )
    loads = [
        board.SpecialistLoad("a@example.org", "A", "广东", [0] * 8, 0),
        board.SpecialistLoad("b@example.org", "B", "江苏", [3] + [0] * 7, 3),
        board.SpecialistLoad("c@example.org", "C", "江苏", [1] + [0] * 7, 4),
    ]
    row = board.BoardRow(factory, None, [], [])
    assert _suggested(row, loads) == "c@example.org"  # in the region, fewer this week
    elsewhere = board.BoardRow(
        FactoryRow(2, "CN-Y", "Y", "", "", "", "福建", None, SEAL, "", "", None,
                   FactoryState.DUE, None),
        None, [], [],
    )  # fmt: skip
    assert _suggested(elsewhere, loads) == "a@example.org"  # nobody there: least loaded
