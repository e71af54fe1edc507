"""Review of a received visit: new → in review → accepted / returned, who may act, the audit
trail, the `office review` commands, and the returned comments reaching the laptop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ietp_desktop.cli import main
from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.console.outbox import outbox_dir
from ietp_desktop.office.review import decisions
from ietp_desktop.services.sync.bundles import import_assignments
from ietp_desktop.services.visits.review_returns import review_returns

from ..bundle_world import SPECIALIST_PASSPHRASE, World
from .review_world import office_db, receive


@pytest.fixture
def received(office: World, tmp_path: Path) -> World:
    return receive(office, tmp_path)


def test_states_move_only_forward_and_read_only_may_not_act(received: World) -> None:
    db = office_db(received)
    uuid = received.visit_uuid
    try:
        assert decisions.review_status(db, uuid).state == "new"
        with pytest.raises(UserError, match="a read-only user may not review visits"):
            decisions.start_review(db, uuid, actor="rory", role="read-only")
        with pytest.raises(UserError, match="is New; it cannot become Accepted"):
            decisions.accept_visit(db, uuid, actor="rex", role="reviewer")
        assert decisions.start_review(db, uuid, actor="rex", role="reviewer").state == "in_review"
        with pytest.raises(UserError, match="a returned visit needs a comment"):
            decisions.return_visit(db, uuid, "   ", actor="rex", role="reviewer")
        accepted = decisions.accept_visit(db, uuid, actor="rex", role="reviewer", comment="fine")
        assert (accepted.state, accepted.decided_by, accepted.comment) == (
            "accepted",
            "rex",
            "fine",
        )
        with pytest.raises(UserError, match="is Accepted; it cannot become Returned"):
            decisions.return_visit(db, uuid, "late", actor="rex", role="reviewer")
        states = {r.uuid: r.state for r in decisions.list_reviews(db)}
        assert states == {uuid: "accepted", received.second_uuid: "new"}
        assert [r.uuid for r in decisions.list_reviews(db, "new")] == [received.second_uuid]
        trail = [(e.actor, e.action, e.detail) for e in audit.entries(db, text=uuid)]
        assert trail == [("rex", "review.accepted", "fine"), ("rex", "review.in_review", "")]
    finally:
        db.dispose()


def test_review_commands(received: World, capsys: pytest.CaptureFixture[str]) -> None:
    office = str(received.office_dir)
    uuid = received.second_uuid
    assert main(["office", "review", "start", uuid, "--office-dir", office]) == 0
    assert main(["office", "review", "accept", uuid, "--office-dir", office]) == 0
    capsys.readouterr()
    assert main(["office", "review", "list", "--office-dir", office, "--json"]) == 0
    rows = {r["uuid"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[uuid]["state"] == "accepted"
    assert rows[uuid]["decided_by"].startswith("cli")
    assert rows[received.visit_uuid]["state"] == "new"
    code = main(["office", "review", "return", uuid, "--office-dir", office, "--comment", "x"])
    assert code == 1
    assert "is Accepted; it cannot become Returned" in capsys.readouterr().err


def test_returned_comments_reach_the_laptop(
    received: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IETP_OFFICE_PASSPHRASE", raising=False)
    office = str(received.office_dir)
    uuid = received.visit_uuid
    comment = "Photo P01 does not show the exit sign. 请补充照片。"
    assert main(["office", "review", "start", uuid, "--office-dir", office]) == 0
    code = main(["office", "review", "return", uuid, "--office-dir", office, "--comment", comment])
    assert code == 0, capsys.readouterr().err
    assert "the comments wait for the specialist's laptop" in capsys.readouterr().out
    bundles = sorted(outbox_dir(received.office_dir, "lin.mei@example.org").glob("*.ietpbundle"))
    assert len(bundles) == 1

    laptop = received.laptop()
    try:
        assert review_returns(laptop, uuid) == []
        result = import_assignments(laptop, bundles[0], passphrase=SPECIALIST_PASSPHRASE)
        assert result.reviews_returned == [uuid]
        returns = review_returns(laptop, uuid)
        assert [(r.revision, r.comment, r.reviewer.startswith("cli")) for r in returns] == [
            (1, comment, True)
        ]
        assert not returns[0].answered
        assert review_returns(laptop, received.second_uuid) == []
    finally:
        laptop.dispose()
