"""The office database on PostgreSQL (IETP_TEST_PG_URL; .ci/run starts a throwaway server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ietp_desktop.office.intake import import_bundles
from ietp_desktop.office.listings import office_visits
from ietp_desktop.services.sync.bundles import export_visits
from tests.bundle_world import SPECIALIST_PASSPHRASE, World, office_state, world, world_template
from tests.office.test_office_refusals import FORGERIES, assert_refused
from tests.postgres import PG_URL

__all__ = ["world", "world_template"]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="IETP_TEST_PG_URL is not set"),
]


def _export(world: World, out: Path) -> Path:
    db = world.laptop()
    try:
        return export_visits(db, [world.visit_uuid], out, passphrase=SPECIALIST_PASSPHRASE).path
    finally:
        db.dispose()


def test_import_re_import_and_listing_on_postgres(
    world: World, tmp_path: Path, pg_url: str
) -> None:
    bundle = _export(world, tmp_path / "v.ietpbundle")
    [outcome] = import_bundles(world.office_dir, [bundle], pg_url)
    assert outcome.status == "imported", outcome.message
    before = office_state(world.office_dir, pg_url)
    [again] = import_bundles(world.office_dir, [bundle], pg_url)
    assert again.status == "already-imported"
    assert office_state(world.office_dir, pg_url) == before
    [listed] = office_visits(world.office_dir, pg_url)
    assert listed.uuid == world.visit_uuid and listed.cap_lines > 0


@pytest.mark.parametrize("case", ["flipped byte in a payload", "edited manifest", "missing entry"])
def test_bad_bundles_leave_postgres_unchanged(
    case: str, world: World, tmp_path: Path, pg_url: str
) -> None:
    good = _export(world, tmp_path / "good.ietpbundle")
    forge, pattern = FORGERIES[case]
    bad = forge(good, tmp_path / "bad.ietpbundle", world)
    assert_refused(world, bad, pattern, pg_url)


def test_conflicting_revision_rolls_back_on_postgres(
    world: World, tmp_path: Path, pg_url: str
) -> None:
    from tests.bundle_world import sign_visit, signed_report

    first = _export(world, tmp_path / "a.ietpbundle")
    import_bundles(world.office_dir, [first], pg_url)
    db = world.laptop()
    sign_visit(db, world.visit_uuid, signed_report(world.data_dir, "other"))
    db.dispose()
    other = _export(world, tmp_path / "b.ietpbundle")
    before = office_state(world.office_dir, pg_url)
    [outcome] = import_bundles(world.office_dir, [other], pg_url)
    assert outcome.status == "refused" and "conflicts" in outcome.message
    assert office_state(world.office_dir, pg_url) == before
