"""Review and CAP follow-up on PostgreSQL (IETP_TEST_PG_URL; .ci/run starts a server)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.cap_followup import decisions as cap_decisions
from ietp_desktop.office.cap_followup import line_view, tracker
from ietp_desktop.office.cap_followup.factory_returns import import_cap
from ietp_desktop.office.console.inbox import InboxFilter, query_inbox
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.office.review import decisions
from ietp_desktop.office.review.returns import open_returns
from tests.bundle_world import World, office_state, world, world_template
from tests.office.test_cap_followup import PDF, factory_workbook, jpeg
from tests.office.test_office_postgres import _export
from tests.postgres import PG_URL

__all__ = ["world", "world_template"]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="IETP_TEST_PG_URL is not set"),
]
WHO = {"actor": "rex", "role": "reviewer"}


def test_review_and_cap_follow_up_on_postgres(world: World, tmp_path: Path, pg_url: str) -> None:
    [outcome] = import_bundles(
        world.office_dir, [_export(world, tmp_path / "v.ietpbundle")], pg_url
    )
    assert outcome.status == "imported", outcome.message
    db = open_office_db(world.office_dir, pg_url)
    uuid = world.visit_uuid
    try:
        decisions.start_review(db, uuid, **WHO)
        decisions.return_visit(db, uuid, "Add the exit photo", **WHO)
        with db.session() as session:
            rows, total = query_inbox(session, 0, InboxFilter(review="returned"))
            assert (total, rows[0].review) == (1, "returned")
            assert [r["visit_uuid"] for r in open_returns(session, "lin.mei@example.org")] == [uuid]
            codes = [
                r.finding_code for r in tracker.query_lines(session, tracker.CapFilter(visit=uuid))
            ]
        result = import_cap(
            db,
            world.office_dir,
            uuid,
            factory_workbook(world, tmp_path),
            [(codes[0], "payroll.pdf", PDF), (codes[1], "old.jpg", jpeg("2001:01:01 00:00:00"))],
            **WHO,
        )
        assert result.changes and len(result.evidence) == 2
        before = office_state(world.office_dir, pg_url)
        with pytest.raises(UserError, match="is not one of the evidence types"):
            import_cap(db, world.office_dir, uuid, None, [(codes[0], "x.exe", b"MZ\0")], **WHO)
        assert office_state(world.office_dir, pg_url) == before
        cap_decisions.decide_line(
            db, uuid, codes[0], "accepted", "Payroll seen", without_records=True, **WHO
        )
        flags = line_view.load_line(db, uuid, codes[1]).evidence[0].flags
        assert [f.kind for f in flags] == ["photo-before-finding"]
        later = date.today() + timedelta(days=400)
        with db.session() as session:
            overdue = tracker.query_lines(session, tracker.CapFilter(overdue=True), today=later)
            closed = tracker.query_lines(session, tracker.CapFilter(status="closed"))
        assert codes[0] not in [r.finding_code for r in overdue] and len(overdue) >= 1
        assert [r.finding_code for r in closed] == [codes[0]]
    finally:
        db.dispose()
