"""Laptop → office → receipt → laptop, with everything a visit has."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.office.listings import office_visits
from ietp_desktop.services.sync.bundles import apply_receipt, export_visits
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.storage.models import (
    Attachment,
    AuditEvent,
    CorrectiveAction,
    Export,
    Finding,
    PayRecord,
    Signature,
    TimeRecord,
    Visit,
    VisitRevision,
    Worker,
)
from tests.bundle_world import (
    SPECIALIST_PASSPHRASE,
    World,
    office_state,
    sign_visit,
    signed_report,
    world,
    world_template,
)

__all__ = ["world", "world_template"]


def export(world: World, out: Path, refs: list[str] | None = None):  # type: ignore[no-untyped-def]
    db = world.laptop()
    try:
        return export_visits(db, refs, out, passphrase=SPECIALIST_PASSPHRASE)
    finally:
        db.dispose()


def status_of(world: World, uuid: str) -> str:
    db = world.laptop()
    try:
        with db.session() as session:
            return session.scalars(select(Visit.status).where(Visit.uuid == uuid)).one()
    finally:
        db.dispose()


def test_full_round_trip(world: World, tmp_path: Path) -> None:
    progress: list[float] = []
    db = world.laptop()
    result = export_visits(
        db,
        [world.visit_uuid],
        tmp_path / "out.ietpbundle",
        progress.append,
        passphrase=SPECIALIST_PASSPHRASE,
    )
    db.dispose()
    assert [v.uuid for v in result.visits] == [world.visit_uuid]
    assert progress and progress[-1] == pytest.approx(1.0)
    assert status_of(world, world.visit_uuid) == "exported"

    [outcome] = import_bundles(world.office_dir, [result.path])
    assert outcome.status == "imported", outcome.message
    assert [(v.uuid, v.result) for v in outcome.visits] == [(world.visit_uuid, "imported")]
    assert outcome.receipt is not None and outcome.receipt.is_file()

    laptop = world.laptop()
    office = open_office_db(world.office_dir)
    with laptop.session() as ls, office.session() as os_:
        mine = ls.scalars(select(Visit).where(Visit.uuid == world.visit_uuid)).one()
        theirs = os_.scalars(select(Visit).where(Visit.uuid == world.visit_uuid)).one()
        for column in (
            "revision",
            "outcome_recommended",
            "visit_start",
            "report_sha256",
            "specialist_name",
            "form_sha256",
            "man_days",
        ):
            assert getattr(theirs, column) == getattr(mine, column), column
        assert theirs.factory.ietp_id == mine.factory.ietp_id
        for model in (Finding, CorrectiveAction, Attachment, Signature, Worker):
            mine_n = len(ls.scalars(select(model).where(model.visit_id == mine.id)).all())
            theirs_n = len(os_.scalars(select(model).where(model.visit_id == theirs.id)).all())
            assert mine_n == theirs_n, model.__name__
        assert os_.scalars(select(Worker.name).where(Worker.visit_id == theirs.id)).one() == (
            "Wang Fang 王芳"
        )
        assert len(os_.scalars(select(TimeRecord)).all()) == 1
        assert str(os_.scalars(select(PayRecord.net_pay)).one()) == "2810.55"
        pngs = os_.scalars(select(Signature.png).where(Signature.visit_id == theirs.id)).all()
        assert pngs and all(png.startswith(b"\x89PNG") for png in pngs)
        trail = os_.scalars(select(AuditEvent.field).where(AuditEvent.visit_id == theirs.id)).all()
        assert "imported" in trail and "status" in trail  # the laptop trail, then the import
        photo_sha = os_.scalars(select(Attachment.sha256)).one()
    laptop.dispose()
    office.dispose()
    assert (world.office_dir / "attachments" / photo_sha[:2] / photo_sha).is_file()
    report = world.office_dir / "reports" / f"{world.visit_uuid}-r1.pdf"
    assert report.read_bytes().startswith(b"%PDF")

    [listed] = office_visits(world.office_dir)
    assert listed.uuid == world.visit_uuid and listed.revisions == [1]
    # The demo closed the fire-exit line; the others are still open or in progress.
    assert listed.cap_lines == 4 and listed.open_cap_lines == 3
    assert listed.outcome

    db = world.laptop()
    received = apply_receipt(db, outcome.receipt)
    assert received.received == [world.visit_uuid]
    with db.session() as session:
        export_row = session.scalars(
            select(Export).where(Export.bundle_id == result.bundle_id)
        ).one()
        assert export_row.received_at is not None
        assert json.loads(export_row.receipt_json or "{}")["bundle_id"] == result.bundle_id
    db.dispose()
    assert status_of(world, world.visit_uuid) == "received"


def test_export_without_refs_takes_every_signed_visit(world: World, tmp_path: Path) -> None:
    db = world.laptop()
    with db.session() as session:
        signed = set(session.scalars(select(Visit.uuid).where(Visit.status == "signed")))
    db.dispose()
    assert {world.visit_uuid, world.second_uuid} <= signed
    result = export(world, tmp_path / "all.ietpbundle")
    assert {v.uuid for v in result.visits} == signed
    with pytest.raises(UserError, match="no signed visit waiting"):
        export(world, tmp_path / "again.ietpbundle")


def test_unsigned_visit_is_not_exported(world: World, tmp_path: Path) -> None:
    out = tmp_path / "x.ietpbundle"
    with pytest.raises(UserError, match=r"in progress; only signed visits can be exported"):
        export(world, out, [world.in_progress_uuid])
    assert not out.exists()
    assert status_of(world, world.visit_uuid) == "signed"


def test_re_import_is_a_no_op(world: World, tmp_path: Path) -> None:
    result = export(world, tmp_path / "a.ietpbundle", [world.visit_uuid])
    import_bundles(world.office_dir, [result.path])
    before = office_state(world.office_dir)
    [again] = import_bundles(world.office_dir, [result.path])
    assert again.status == "already-imported"
    assert "already imported; nothing changed" in again.message
    assert office_state(world.office_dir) == before


def test_same_revision_exported_twice_is_unchanged(world: World, tmp_path: Path) -> None:
    first = export(world, tmp_path / "a.ietpbundle", [world.visit_uuid])
    second = export(world, tmp_path / "b.ietpbundle", [world.visit_uuid])
    assert first.bundle_id != second.bundle_id
    import_bundles(world.office_dir, [first.path])
    [outcome] = import_bundles(world.office_dir, [second.path])
    assert outcome.status == "imported"
    assert [v.result for v in outcome.visits] == ["unchanged"]


def _new_revision(world: World, reason: str, report: bytes) -> None:
    db = world.laptop()
    lifecycle.open_new_revision(db, world.visit_uuid, reason)
    lifecycle.complete_visit(db, world.visit_uuid)
    sign_visit(db, world.visit_uuid, report)
    db.dispose()


def test_higher_revision_is_stored_beside(world: World, tmp_path: Path) -> None:
    first = export(world, tmp_path / "r1.ietpbundle", [world.visit_uuid])
    import_bundles(world.office_dir, [first.path])
    _new_revision(world, "corrected the headcount", signed_report(world.data_dir, "revision 2"))
    second = export(world, tmp_path / "r2.ietpbundle", [world.visit_uuid])
    [outcome] = import_bundles(world.office_dir, [second.path])
    assert [(v.revision, v.result) for v in outcome.visits] == [(2, "stored-beside")]
    [listed] = office_visits(world.office_dir)
    assert listed.revision == 2 and listed.revisions == [1, 2]
    office = open_office_db(world.office_dir)
    with office.session() as session:
        snapshots = session.scalars(select(VisitRevision).order_by(VisitRevision.revision)).all()
        assert [json.loads(s.snapshot_json)["visit"]["revision"] for s in snapshots] == [1, 2]
        assert session.scalars(select(Visit.revision_reason)).one() == "corrected the headcount"
    office.dispose()
    assert (world.office_dir / "reports" / f"{world.visit_uuid}-r1.pdf").is_file()
    assert (world.office_dir / "reports" / f"{world.visit_uuid}-r2.pdf").is_file()

    # ...and the revision-1 bundle again is a no-op by its bundle id (another bundle of
    # revision 1 is refused: test_office_refusals.test_replayed_older_revision)
    before = office_state(world.office_dir)
    [again] = import_bundles(world.office_dir, [first.path])
    assert again.status == "already-imported"
    assert office_state(world.office_dir) == before


def test_receipt_before_and_after(world: World, tmp_path: Path) -> None:
    result = export(world, tmp_path / "a.ietpbundle", [world.visit_uuid])
    db = world.laptop()
    with db.session() as session:
        assert session.scalars(select(Visit).where(Visit.uuid == world.visit_uuid)).one()
    db.dispose()
    [outcome] = import_bundles(world.office_dir, [result.path])
    assert outcome.receipt is not None
    db = world.laptop()
    apply_receipt(db, outcome.receipt)
    again = apply_receipt(db, outcome.receipt)  # applying twice changes nothing more
    assert again.received == [world.visit_uuid]
    with db.session() as session:  # nothing is deleted after a receipt either
        assert session.scalars(select(Visit).where(Visit.uuid == world.visit_uuid)).one()
    db.dispose()
