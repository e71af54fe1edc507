"""A visit the office returned shows the reviewer's comments above the workspace, in the
window's language, until the specialist answers with a new revision."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ietp_desktop.services.visits.review_returns import apply_review_returns
from ietp_desktop.storage.db import Database
from tests.ui.driver import open_in_window, visit_in_progress

COMMENT = "Photo P01 does not show the exit sign. 请补充出口照片。"


def test_the_returned_comments_show_in_both_languages(
    qtbot: QtBot, db: Database, shots: Path
) -> None:
    uuid = visit_in_progress(db)
    window, workspace = open_in_window(qtbot, db, uuid)
    assert not workspace.review_banner.isVisible()
    with db.session() as session:
        stored, unknown = apply_review_returns(
            session,
            [
                {
                    "visit_uuid": uuid,
                    "revision": 1,
                    "comment": COMMENT,
                    "reviewer": "rex",
                    "returned_at": "2026-11-30T08:15:00+00:00",
                },
                {
                    "visit_uuid": "00000000-0000-4000-8000-000000000000",
                    "revision": 1,
                    "comment": "not ours",
                    "returned_at": "2026-11-30T08:15:00+00:00",
                },
            ],
            "Shenzhen Office",
        )
    assert (stored, unknown) == ([uuid], ["00000000-0000-4000-8000-000000000000"])
    workspace.refresh()
    banner = workspace.review_banner
    assert banner.isVisible()
    assert banner.title.text() == (
        "↩ The office returned revision 1 on 2026-11-30 (rex). Answer with a new revision:"
    )
    assert banner.comment.text() == COMMENT
    window.grab().save(str(shots / "review_returned.png"))
    window.language_actions["zh"].trigger()
    assert banner.title.text().startswith("↩ 办公室于 2026-11-30 退回了第 1 版")
    assert banner.comment.text() == COMMENT
    window.language_actions["en"].trigger()
