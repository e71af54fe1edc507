"""A killed export leaves nothing; assignments reach the laptop; started visits keep their form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from ietp_desktop.domain.checklist import form_sha256
from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.assignments import AssignedVisit, assign
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.paths import forms_dir
from ietp_desktop.services.sync.bundles import export_visits, import_assignments
from ietp_desktop.services.visits.read import attachment_path
from ietp_desktop.storage.models import Attachment, Export, Visit
from ietp_desktop.sync.bundle import BundleRefused
from tests.bundle_world import SPECIALIST_PASSPHRASE, World, world, world_template

__all__ = ["world", "world_template"]


class Killed(Exception):
    pass


def test_interrupted_export_leaves_no_file_and_visits_signed(world: World, tmp_path: Path) -> None:
    out = tmp_path / "out.ietpbundle"

    def die(fraction: float) -> None:
        if fraction > 0:
            raise Killed

    db = world.laptop()
    with pytest.raises(Killed):
        export_visits(db, [world.visit_uuid], out, die, passphrase=SPECIALIST_PASSPHRASE)
    assert sorted(tmp_path.iterdir()) == [tmp_path / "laptop", tmp_path / "office"]
    with db.session() as session:
        assert session.scalars(
            select(Visit.status).where(Visit.uuid == world.visit_uuid)
        ).one() == ("signed")
        assert (
            session.scalars(select(Export).where(Export.path.contains("out.ietpbundle"))).all()
            == []
        )
    db.dispose()


def test_photo_changed_on_disk_stops_the_export(world: World, tmp_path: Path) -> None:
    """The photo's sha256 is checked in the one encrypting pass: a changed file is never sent."""
    out = tmp_path / "out.ietpbundle"
    db = world.laptop()
    with db.session() as session:
        visit = session.scalars(select(Visit).where(Visit.uuid == world.visit_uuid)).one()
        [attachment] = session.scalars(select(Attachment).where(Attachment.visit_id == visit.id))
        photo = Path(attachment_path(db, attachment.sha256))
        filename = attachment.filename
    photo.write_bytes(photo.read_bytes() + b"edited")
    with pytest.raises(UserError, match=f"photo {filename} of visit .* has changed on disk"):
        export_visits(db, [world.visit_uuid], out, passphrase=SPECIALIST_PASSPHRASE)
    assert sorted(tmp_path.iterdir()) == [tmp_path / "laptop", tmp_path / "office"]
    with db.session() as session:
        assert session.scalars(
            select(Visit.status).where(Visit.uuid == world.visit_uuid)
        ).one() == ("signed")
    db.dispose()


def _edited_form(tmp_path: Path) -> Path:
    import json

    source = sorted((forms_dir() / "checklists").glob("*.json"))[-1]
    document = json.loads(source.read_text(encoding="utf-8"))
    document["version"] = "99.0"
    out = tmp_path / "pv-checklist-99.json"
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return out


def test_assignments_add_visits_and_keep_started_forms(world: World, tmp_path: Path) -> None:
    db = world.laptop()
    export = export_visits(
        db, [world.visit_uuid], tmp_path / "v.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
    )
    import_bundles(world.office_dir, [export.path])  # the office learns the factory
    with db.session() as session:
        started = session.scalars(select(Visit).where(Visit.uuid == world.in_progress_uuid)).one()
        started_form = started.form_sha256
        factory_id = session.scalars(select(Visit).where(Visit.uuid == world.visit_uuid)).one()
        ietp_id = factory_id.factory.ietp_id
    new_form = _edited_form(tmp_path)
    result = assign(
        world.office_dir,
        "lin.mei@example.org",
        [],
        [AssignedVisit(ietp_id, date(2027, 3, 1))],
        [new_form],
        [],
        tmp_path / "assign.ietpbundle",
    )
    imported = import_assignments(db, result.path, passphrase=SPECIALIST_PASSPHRASE)
    assert imported.visits_added == result.visits
    assert imported.definitions[0].endswith("99.0")
    with db.session() as session:
        new_visit = session.scalars(select(Visit).where(Visit.uuid == result.visits[0])).one()
        assert new_visit.status == "planned" and new_visit.planned_date == date(2027, 3, 1)
        assert new_visit.form_sha256 == form_sha256(new_form.read_text(encoding="utf-8"))
        started = session.scalars(select(Visit).where(Visit.uuid == world.in_progress_uuid)).one()
        assert started.form_sha256 == started_form
    assert import_assignments(db, result.path, passphrase=SPECIALIST_PASSPHRASE).already_imported
    db.dispose()


def test_results_bundle_is_not_accepted_as_assignments(world: World, tmp_path: Path) -> None:
    db = world.laptop()
    export = export_visits(
        db, [world.visit_uuid], tmp_path / "v.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
    )
    with pytest.raises(BundleRefused, match="it is a visit-results bundle, not assignments"):
        import_assignments(db, export.path, passphrase=SPECIALIST_PASSPHRASE)
    db.dispose()
