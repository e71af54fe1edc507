"""Moving, re-dating and cancelling a planned visit at the office, and what each laptop sees
at its next fetch: the visit withdrawn (typed data kept, read-only), the new assignment, the
new date."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.office.planning import assigning, board, changes
from ietp_desktop.office.planning.calendar import add_blackout
from ietp_desktop.office.planning.history import plan_histories
from ietp_desktop.office.planning.plans import PlanState, get_plan
from ietp_desktop.services.catalogue import definitions
from ietp_desktop.services.sync.bundles import export_visits
from ietp_desktop.services.sync.office_link import fetch_from_office
from ietp_desktop.services.visits import answers, lifecycle
from ietp_desktop.services.visits.read import list_visits, load_detail
from ietp_desktop.storage.models import Answer, Visit
from ietp_desktop.storage.office_models import OfficeAuditEntry
from ietp_desktop.storage.office_plan_change_models import OfficePlanEvent, VisitWithdrawal
from ietp_desktop.storage.office_planning_models import OfficePlannedVisit
from ietp_desktop.sync.bundle import BundleRefused

from ..bundle_world import SPECIALIST_PASSPHRASE, World
from .conftest import Server
from .plan_change_world import (
    LIN,
    TODAY,
    ZHANG,
    ZHANG_PASSPHRASE,
    TwoLaptops,
    add_factory,
    enrol_zhang,
    fetch,
    laptop_visit,
    newest_bundle,
    plan,
)


@pytest.fixture
def two(office: World, tmp_path: Path) -> TwoLaptops:
    return enrol_zhang(office, tmp_path)


def _start_on_laptop(two: TwoLaptops, uuid: str, day: object) -> str:
    """Lin confirms the date and types a note and an answer: the visit is in progress."""
    laptop = two.laptop(LIN)
    try:
        lifecycle.confirm_visit(laptop, uuid, day, TODAY)  # type: ignore[arg-type]
        detail = load_detail(laptop, uuid)
        item = definitions.form_definition(laptop, detail.form_sha256).sections[0].items[0].id
        answers.record_answer(laptop, uuid, item, "", note="Typed at the factory gate 门口记录")
        return item
    finally:
        laptop.dispose()


def test_a_moved_visit_is_withdrawn_from_the_old_laptop_with_its_typing_kept_and_sent_to_the_new(
    two: TwoLaptops,
) -> None:
    add_factory(two.office_dir, "CN-M1")
    day = TODAY + timedelta(days=12)
    old = plan(two.office_dir, "CN-M1", LIN, day)
    assert fetch(two, LIN).visits_added == [old]
    item = _start_on_laptop(two, old, day)

    db = two.office_db()
    try:
        result = changes.move_plan(
            two.office_dir,
            db,
            old,
            ZHANG,
            day + timedelta(days=2),
            reason="Lin is on leave",
            actor="cora",
        )
        with db.session() as session:
            view = get_plan(session, result.uuid)
            events = list(session.scalars(select(OfficePlanEvent)))
            audit = [
                e.action
                for e in session.scalars(select(OfficeAuditEntry))
                if e.action.startswith("planning.")
            ]
            history = plan_histories(session, [view.plan_id])[view.plan_id]
    finally:
        db.dispose()
    assert result.uuid != old and result.withdrawn_uuid == old
    assert (view.specialist_email, view.proposed_date, view.state) == (
        ZHANG,
        day + timedelta(days=2),
        PlanState.PLANNED,
    )
    assert [(e.kind, e.previous_email, e.withdrawn_uuid, e.reason) for e in events] == [
        ("move", LIN, old, "Lin is on leave")
    ]
    assert audit == ["planning.assign", "planning.move"]
    assert [h.text("en").split(" on ")[0] for h in history] == [
        f"Assigned to Lin Mei for {day} by cora",
        f"Moved from Lin Mei to Zhang Wei for {day + timedelta(days=2)} by cora",
    ]
    assert history[1].reason == "Lin is on leave"

    # Lin's laptop: the visit is withdrawn, everything typed is still there, nothing changes
    fetched = fetch(two, LIN)
    assert fetched.visits_withdrawn == [old] and fetched.visits_added == []
    laptop = two.laptop(LIN)
    try:
        with laptop.session() as session:
            visit = session.scalars(select(Visit).where(Visit.uuid == old)).one()
            assert visit.status == "withdrawn"
            assert (
                session.scalars(
                    select(Answer.note).where(Answer.visit_id == visit.id, Answer.item_id == item)
                ).one()
                == "Typed at the factory gate 门口记录"
            )
            withdrawal = session.scalars(select(VisitWithdrawal)).one()
            assert (withdrawal.kind, withdrawal.reason, withdrawal.previous_status) == (
                "moved",
                "Lin is on leave",
                "in_progress",
            )
        with pytest.raises(UserError, match="withdrawn by the office"):
            answers.set_note(laptop, old, item, "changed later")
        with pytest.raises(UserError, match="is withdrawn by the office; it cannot become"):
            lifecycle.confirm_visit(laptop, old, day, TODAY)
        [summary] = [s for s in list_visits(laptop) if s.uuid == old]
        assert (summary.status_label, summary.withdrawn_reason) == (
            "Withdrawn by the office",
            "Lin is on leave",
        )
    finally:
        laptop.dispose()
    assert fetch(two, LIN, newest_bundle(two.office_dir, LIN)).already_imported

    # Zhang's laptop: the visit arrives under the new uuid, on the new date
    assert fetch(two, ZHANG).visits_added == [result.uuid]
    visit = laptop_visit(two, ZHANG, result.uuid)
    assert visit is not None
    assert (visit.status, visit.planned_date) == ("planned", day + timedelta(days=2))
    assert laptop_visit(two, ZHANG, old) is None


def test_a_redated_visit_changes_its_date_on_the_laptop_and_must_be_agreed_again(
    two: TwoLaptops,
) -> None:
    add_factory(two.office_dir, "CN-R1")
    day = TODAY + timedelta(days=15)
    uuid = plan(two.office_dir, "CN-R1", LIN, day)
    fetch(two, LIN)
    laptop = two.laptop(LIN)
    lifecycle.confirm_visit(laptop, uuid, day, TODAY)
    laptop.dispose()
    db = two.office_db()
    try:
        assigning.record_confirmation(db, uuid, day, actor="cora", via="coordinator")
        result = changes.redate_plan(
            two.office_dir, db, uuid, day + timedelta(days=7), reason="factory asked", actor="cora"
        )
        with db.session() as session:
            view = get_plan(session, uuid)
            history = plan_histories(session, [view.plan_id])[view.plan_id]
    finally:
        db.dispose()
    assert result.uuid == uuid and result.withdrawn_uuid == ""
    assert (view.state, view.proposed_date, view.confirmed_date) == (
        PlanState.PLANNED,
        day + timedelta(days=7),
        None,
    )
    assert (
        history[-1]
        .text("en")
        .startswith(f"Date changed from {day} to {day + timedelta(days=7)} by cora")
    )
    fetched = fetch(two, LIN)
    assert fetched.visits_redated == [uuid]
    visit = laptop_visit(two, LIN, uuid)
    assert visit is not None
    assert (visit.status, visit.planned_date, visit.confirmed_date) == (
        "planned",
        day + timedelta(days=7),
        None,
    )


def test_a_cancelled_plan_is_withdrawn_and_the_factory_is_due_again(two: TwoLaptops) -> None:
    add_factory(two.office_dir, "CN-C1")
    day = TODAY + timedelta(days=9)
    uuid = plan(two.office_dir, "CN-C1", LIN, day)
    fetch(two, LIN)
    db = two.office_db()
    try:
        changes.cancel_plan(two.office_dir, db, uuid, "factory closed for renovation", actor="cora")
        with db.session() as session:
            view = board.build_board(session, TODAY)
            loads = board.specialist_loads(session, [(LIN, "Lin Mei")], TODAY)
        [row] = [r for _, rows in view.regions for r in rows if r.factory.ietp_id == "CN-C1"]
        assert (row.plan_state, row.factory.state.value) == ("unplanned", "due")
        assert row.cancelled is not None
        assert row.cancelled.cancel_reason == "factory closed for renovation"
        assert loads[0].total == 0
        # planned again: a new plan, a new uuid; the board shows it and no longer the cancellation
        again = assigning.plan_visit(
            two.office_dir, db, "CN-C1", ZHANG, day + timedelta(days=3), actor="cora"
        )
        assert again.new and again.uuid != uuid
        with db.session() as session:
            view = board.build_board(session, TODAY)
        [row] = [r for _, rows in view.regions for r in rows if r.factory.ietp_id == "CN-C1"]
        assert (row.plan_state, row.cancelled) == ("planned", None)
    finally:
        db.dispose()
    fetched = fetch(two, LIN)
    assert fetched.visits_withdrawn == [uuid]
    visit = laptop_visit(two, LIN, uuid)
    assert visit is not None and visit.status == "withdrawn"


def test_a_withdrawal_missed_in_a_stale_bundle_arrives_with_the_next(two: TwoLaptops) -> None:
    add_factory(two.office_dir, "CN-S1")
    add_factory(two.office_dir, "CN-S2")
    first = plan(two.office_dir, "CN-S1", LIN, TODAY + timedelta(days=8))
    fetch(two, LIN)
    db = two.office_db()
    try:
        cancelled = changes.cancel_plan(two.office_dir, db, first, "duplicate plan", actor="cora")
    finally:
        db.dispose()
    [withdrawal_bundle] = cancelled.published
    second = plan(two.office_dir, "CN-S2", LIN, TODAY + timedelta(days=20))
    fetched = fetch(two, LIN)  # the newest one first: it carries the withdrawal again
    assert (fetched.visits_added, fetched.visits_withdrawn) == ([second], [first])
    with pytest.raises(BundleRefused, match="older than assignments this laptop already applied"):
        fetch(two, LIN, withdrawal_bundle)
    visit = laptop_visit(two, LIN, first)
    assert visit is not None and visit.status == "withdrawn"


def test_changes_are_refused_with_a_reason_a_coordinator_understands(two: TwoLaptops) -> None:
    add_factory(two.office_dir, "CN-X1")
    day = TODAY + timedelta(days=10)
    uuid = plan(two.office_dir, "CN-X1", LIN, day)
    db = two.office_db()
    try:
        with pytest.raises(UserError, match="say why the visit is cancelled"):
            changes.cancel_plan(two.office_dir, db, uuid, "  ", actor="cora")
        with pytest.raises(UserError, match="Lin Mei already has the PV of CN-X1"):
            changes.move_plan(two.office_dir, db, uuid, LIN, actor="cora")
        with pytest.raises(NotFound, match="no specialist with a valid certificate"):
            changes.move_plan(two.office_dir, db, uuid, "nobody@example.org", actor="cora")
        with pytest.raises(UserError, match=f"already proposed for {day}"):
            changes.redate_plan(two.office_dir, db, uuid, day, actor="cora")
        with pytest.raises(NotFound, match="no planned visit"):
            changes.cancel_plan(
                two.office_dir, db, "00000000-0000-4000-8000-000000000000", "x", actor="cora"
            )
        with pytest.raises(UserError, match="longer than 500"):
            changes.cancel_plan(two.office_dir, db, uuid, "x" * 501, actor="cora")
        changes.cancel_plan(two.office_dir, db, uuid, "no longer needed", actor="cora")
        for attempt in (
            lambda: changes.move_plan(two.office_dir, db, uuid, ZHANG, actor="cora"),
            lambda: changes.redate_plan(two.office_dir, db, uuid, day + timedelta(1), actor="c"),
            lambda: changes.cancel_plan(two.office_dir, db, uuid, "again", actor="cora"),
            lambda: assigning.record_confirmation(db, uuid, day, actor="cora", via="coordinator"),
        ):
            with pytest.raises(UserError, match=r"CN-X1 was cancelled on .*plan the factory again"):
                attempt()
        with db.session() as session:
            assert session.scalars(select(OfficePlanEvent.kind)).all() == ["cancel"]
    finally:
        db.dispose()


def test_a_visit_that_reached_the_office_cannot_be_changed(two: TwoLaptops, tmp_path: Path) -> None:
    world = two.world
    laptop = world.laptop()
    with laptop.session() as session:
        factory_id = session.scalars(
            select(Visit.factory_id).where(Visit.uuid == world.second_uuid)
        ).one()
    laptop.dispose()
    bundle = tmp_path / "second.ietpbundle"
    laptop = world.laptop()
    export_visits(laptop, [world.second_uuid], bundle, passphrase=SPECIALIST_PASSPHRASE)
    laptop.dispose()
    (outcome,) = import_bundles(world.office_dir, [bundle])
    assert outcome.status == "imported", outcome.message
    db = open_office_db(world.office_dir)
    try:
        with db.session() as session:
            office_factory = session.scalars(
                select(Visit.factory_id).where(Visit.uuid == world.second_uuid)
            ).one()
            session.add(
                OfficePlannedVisit(
                    visit_uuid=world.second_uuid,
                    factory_id=office_factory,
                    specialist_email=LIN,
                    specialist_name="Lin Mei",
                    proposed_date=TODAY,
                )
            )
        assert factory_id
        with pytest.raises(UserError, match="has already reached the office"):
            changes.cancel_plan(world.office_dir, db, world.second_uuid, "late", actor="cora")
        with pytest.raises(UserError, match="has already reached the office"):
            changes.move_plan(world.office_dir, db, world.second_uuid, ZHANG, actor="cora")
    finally:
        db.dispose()


def test_a_new_date_in_a_blackout_warns(two: TwoLaptops) -> None:
    add_factory(two.office_dir, "CN-W1")
    day = TODAY + timedelta(days=10)
    uuid = plan(two.office_dir, "CN-W1", LIN, day)
    db = two.office_db()
    try:
        add_blackout(db, "Golden Week", day + timedelta(5), day + timedelta(9), actor="cora")
        warnings = changes.change_warnings(db, uuid, day + timedelta(days=6))
        result = changes.redate_plan(two.office_dir, db, uuid, day + timedelta(6), actor="cora")
    finally:
        db.dispose()
    assert [w.text("en") for w in warnings] == [w.text("en") for w in result.warnings]
    assert "falls in the blackout period Golden Week" in warnings[0].text("en")


@pytest.mark.usefixtures("server")
def test_both_laptops_hear_of_a_move_over_https(
    two: TwoLaptops, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IETP_OFFICE_PASSPHRASE", raising=False)
    add_factory(two.office_dir, "CN-H1")
    day = TODAY + timedelta(days=16)
    old = plan(two.office_dir, "CN-H1", LIN, day)
    laptop = two.laptop(LIN)
    try:
        fetched = fetch_from_office(laptop, server.url, passphrase=SPECIALIST_PASSPHRASE)
        assert [f.result.visits_added for f in fetched] == [[old]]
    finally:
        laptop.dispose()
    db = two.office_db()
    try:
        moved = changes.move_plan(two.office_dir, db, old, ZHANG, reason="leave", actor="cora")
        changes.redate_plan(two.office_dir, db, moved.uuid, day + timedelta(days=1), actor="cora")
    finally:
        db.dispose()
    laptop = two.laptop(LIN)
    try:
        fetched = fetch_from_office(laptop, server.url, passphrase=SPECIALIST_PASSPHRASE)
        assert [f.result.visits_withdrawn for f in fetched if not f.result.already_imported] == [
            [old]
        ]
    finally:
        laptop.dispose()
    laptop = two.laptop(ZHANG)
    try:
        fetched = fetch_from_office(laptop, server.url, passphrase=ZHANG_PASSPHRASE)
        assert [(f.result.visits_added, f.result.visits_redated) for f in fetched] == [
            ([moved.uuid], []),
            ([], [moved.uuid]),
        ]
    finally:
        laptop.dispose()
    visit = laptop_visit(two, ZHANG, moved.uuid)
    assert visit is not None and visit.planned_date == day + timedelta(days=1)
    visit = laptop_visit(two, LIN, old)
    assert visit is not None and visit.status == "withdrawn"
