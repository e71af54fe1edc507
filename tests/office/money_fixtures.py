"""The office with the laptop's two signed visits received, for the fee and escalation tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ietp_desktop.office.intake import import_bundles
from ietp_desktop.services.sync.bundles import export_visits
from tests.bundle_world import SPECIALIST_PASSPHRASE, World


@pytest.fixture
def money_world(office: World, tmp_path: Path) -> World:
    db = office.laptop()
    bundle = tmp_path / "v.ietpbundle"
    export_visits(
        db, [office.visit_uuid, office.second_uuid], bundle, passphrase=SPECIALIST_PASSPHRASE
    )
    db.dispose()
    outcomes = import_bundles(office.office_dir, [bundle])
    assert outcomes[0].status == "imported", outcomes[0].message
    return office
