"""The office with the laptop's two signed visits received, for the review and CAP tests."""

from __future__ import annotations

from pathlib import Path

from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.services.sync.bundles import export_visits
from ietp_desktop.storage.db import Database

from ..bundle_world import SPECIALIST_PASSPHRASE, World


def receive(world: World, tmp_path: Path) -> World:
    db = world.laptop()
    bundle = tmp_path / "v.ietpbundle"
    export_visits(
        db, [world.visit_uuid, world.second_uuid], bundle, passphrase=SPECIALIST_PASSPHRASE
    )
    db.dispose()
    outcomes = import_bundles(world.office_dir, [bundle])
    assert outcomes[0].status == "imported", outcomes[0].message
    return world


def office_db(world: World) -> Database:
    return open_office_db(world.office_dir)
