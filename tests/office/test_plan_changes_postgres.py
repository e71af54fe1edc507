"""Moving, re-dating and cancelling a planned visit on PostgreSQL (IETP_TEST_PG_URL): the
migration, the history and the board queries, and the withdrawals the bundles carry."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.catalogue import register_all_installed
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.planning import assigning, board, changes
from ietp_desktop.office.planning.history import plan_histories
from ietp_desktop.services.catalogue.definitions import install_shipped_definitions
from ietp_desktop.storage.models import Factory
from ietp_desktop.storage.office_plan_change_models import OfficePlanEvent
from tests.bundle_world import World, world, world_template
from tests.postgres import PG_URL

from .plan_change_world import LIN, SEAL, TODAY, ZHANG, enrol_zhang, fetch, fetch_all

__all__ = ["world", "world_template"]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="IETP_TEST_PG_URL is not set"),
]


def test_plan_changes_on_postgres(world: World, tmp_path: Path, pg_url: str) -> None:
    two = enrol_zhang(world, tmp_path)
    db = open_office_db(world.office_dir, pg_url)
    try:
        install_shipped_definitions(db)  # what `office init --db` does
        with db.session() as session:
            register_all_installed(session, "office init")
            for ietp_id in ("PG-1", "PG-2"):
                session.add(
                    Factory(
                        ietp_id=ietp_id, name_en=ietp_id, region="Guangdong", seal_issued_on=SEAL
                    )
                )
        day = TODAY + timedelta(days=10)
        first = assigning.plan_visit(
            world.office_dir, db, "PG-1", LIN, day, actor="cora", db_url=pg_url
        ).uuid
        second = assigning.plan_visit(
            world.office_dir, db, "PG-2", LIN, day, actor="cora", db_url=pg_url
        ).uuid
        assert fetch_all(two, LIN)[-1].visits_added == [second]
        moved = changes.move_plan(
            world.office_dir, db, first, ZHANG, reason="leave", actor="cora", db_url=pg_url
        )
        changes.redate_plan(
            world.office_dir, db, moved.uuid, day + timedelta(days=2), actor="cora", db_url=pg_url
        )
        changes.cancel_plan(world.office_dir, db, second, "closed", actor="cora", db_url=pg_url)
        with pytest.raises(UserError, match="PG-2 was cancelled on"):
            changes.move_plan(world.office_dir, db, second, ZHANG, actor="cora", db_url=pg_url)
        with db.session() as session:
            view = board.build_board(session, TODAY)
            rows = {r.factory.ietp_id: r for _, region in view.regions for r in region}
            assert (rows["PG-1"].plan_state, rows["PG-1"].plan and rows["PG-1"].plan.uuid) == (
                "planned",
                moved.uuid,
            )
            assert rows["PG-2"].plan_state == "unplanned"
            assert rows["PG-2"].cancelled is not None
            history = plan_histories(session, [moved.plan_id])[moved.plan_id]
            assert [h.kind for h in history] == ["assign", "move", "redate"]
            assert session.scalars(
                select(OfficePlanEvent.withdrawn_uuid).order_by(OfficePlanEvent.id)
            ).all() == [first, "", second]
    finally:
        db.dispose()
    assert sorted(fetch(two, LIN).visits_withdrawn) == sorted([first, second])
    assert [r.visits_added for r in fetch_all(two, ZHANG)] == [[moved.uuid], []]
