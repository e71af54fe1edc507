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


def test_the_specialist_answers_with_a_revision_and_the_visit_is_new_again(
    received: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ietp_desktop.office.intake import import_bundles
    from ietp_desktop.office.review.returns import open_returns, send_returns
    from ietp_desktop.services.sync.bundles import export_visits
    from ietp_desktop.services.visits import lifecycle

    from ..bundle_world import sign_visit, signed_report

    uuid = received.visit_uuid
    db = office_db(received)
    try:
        decisions.start_review(db, uuid, actor="rex", role="reviewer")
        decisions.return_visit(db, uuid, "Add the exit photo", actor="rex", role="reviewer")
    finally:
        db.dispose()
    bundle = send_returns(received.office_dir, uuid)
    laptop = received.laptop()
    try:
        import_assignments(laptop, bundle, passphrase=SPECIALIST_PASSPHRASE)
        lifecycle.open_new_revision(laptop, uuid, "Exit photo added as the office asked")
        assert not review_returns(laptop, uuid)[0].answered  # shown while the revision is open
        lifecycle.complete_visit(laptop, uuid)
        sign_visit(laptop, uuid, signed_report(received.data_dir, "r2"))
        assert review_returns(laptop, uuid)[0].answered
        export_visits(laptop, [uuid], tmp_path / "r2.ietpbundle", passphrase=SPECIALIST_PASSPHRASE)
    finally:
        laptop.dispose()
    [outcome] = import_bundles(received.office_dir, [tmp_path / "r2.ietpbundle"])
    assert outcome.status == "imported", outcome.message
    db = office_db(received)
    try:
        status = decisions.review_status(db, uuid)
        assert (status.revision, status.state, status.comment) == (2, "new", "")
        with db.session() as session:
            assert open_returns(session, "lin.mei@example.org") == []
    finally:
        db.dispose()
