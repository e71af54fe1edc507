"""Property: a results bundle mutated at random is refused cleanly by the office (nothing in
the database changes) or imports exactly the original visit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from ietp_desktop.office.intake import import_bundles
from ietp_desktop.services.sync.bundles import export_visits
from tests.bundle_world import SPECIALIST_PASSPHRASE, World, office_state, world, world_template
from tests.sync.test_bundle_mutations import Mutation, mutate, mutations

__all__ = ["world", "world_template"]


@pytest.fixture
def exported(world: World, tmp_path: Path) -> tuple[Path, dict[str, list[tuple[object, ...]]]]:
    """A good bundle and the office database after importing it (into a scratch copy)."""
    db = world.laptop()
    good = export_visits(
        db, [world.visit_uuid], tmp_path / "good.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
    ).path
    db.dispose()
    scratch = tmp_path / "scratch-office"
    shutil.copytree(world.office_dir, scratch)
    import_bundles(scratch, [good])
    return good, office_state(scratch)


def _without_times(state: dict[str, list[tuple[object, ...]]]) -> dict[str, int]:
    return {table: len(rows) for table, rows in state.items()}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=mutations)
def test_mutants_are_refused_or_import_the_original(
    steps: list[Mutation],
    world: World,
    exported: tuple[Path, dict[str, list[tuple[object, ...]]]],
    tmp_path: Path,
) -> None:
    good, imported_state = exported
    mutant = tmp_path / "mutant.ietpbundle"
    mutant.write_bytes(mutate(good.read_bytes(), steps))
    office = tmp_path / "office-under-test"
    shutil.rmtree(office, ignore_errors=True)
    shutil.copytree(world.office_dir, office)
    before = office_state(office)
    [outcome] = import_bundles(office, [mutant])
    if outcome.status == "refused":
        assert outcome.message.startswith("bundle mutant.ietpbundle refused: ")
        assert office_state(office) == before
    else:
        # accepted: the same rows as the genuine import (times of import aside)
        after = office_state(office)
        assert _without_times(after) == _without_times(imported_state)
        # revision, reason, the visit JSON exactly as imported, report hash
        assert [r[2:6] for r in after["visit_revisions"]] == [
            r[2:6] for r in imported_state["visit_revisions"]
        ]
