"""`office plan move|redate|cancel|history`: the plan page's functions from a shell."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from ietp_desktop.cli import main

from ..bundle_world import World
from .plan_change_world import LIN, TODAY, ZHANG, add_factory, enrol_zhang, fetch, plan


def test_move_redate_cancel_and_history_from_the_command_line(
    office: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two = enrol_zhang(office, tmp_path)
    add_factory(office.office_dir, "CN-K1")
    day = TODAY + timedelta(days=11)
    uuid = plan(office.office_dir, "CN-K1", LIN, day)
    where = ["--office-dir", str(office.office_dir)]
    capsys.readouterr()

    assert main(["office", "plan", "move", uuid, "--to", ZHANG, "--reason", "Lin on leave",
                 "--json", *where]) == 0  # fmt: skip
    moved = json.loads(capsys.readouterr().out)
    assert (moved["action"], moved["withdrawn_uuid"], moved["specialist"], moved["date"]) == (
        "move", uuid, ZHANG, str(day),
    )  # fmt: skip
    assert len(moved["published"]) == 2  # the assignment for Zhang, the withdrawal for Lin
    new_uuid = moved["visit_uuid"]

    later = day + timedelta(days=3)
    assert main(["office", "plan", "redate", new_uuid, "--date", str(later), *where]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"re-dated the PV of CN-K1 ({ZHANG}, {later}, visit {new_uuid})")

    assert main(["office", "plan", "cancel", new_uuid, "--reason", " ", *where]) != 0
    assert "say why the visit is cancelled" in capsys.readouterr().err
    assert main(["office", "plan", "cancel", new_uuid, "--reason", "factory closed", "--json",
                 *where]) == 0  # fmt: skip
    cancelled = json.loads(capsys.readouterr().out)
    assert (cancelled["action"], cancelled["withdrawn_uuid"]) == ("cancel", new_uuid)
    assert main(["office", "plan", "cancel", new_uuid, "--reason", "again", *where]) != 0
    assert "was cancelled on" in capsys.readouterr().err

    assert main(["office", "plan", "history", uuid, "--json", *where]) == 0  # the old uuid too
    history = json.loads(capsys.readouterr().out)
    assert (history["state"], history["cancel_reason"]) == ("cancelled", "factory closed")
    assert [(h["action"], h["reason"]) for h in history["history"]] == [
        ("assign", ""), ("move", "Lin on leave"), ("redate", ""), ("cancel", "factory closed"),
    ]  # fmt: skip
    assert history["history"][1]["text"].startswith(
        f"Moved from Lin Mei to Zhang Wei for {day} by "
    )
    assert main(["office", "plan", "board", "--json", *where]) == 0
    (row,) = [r for r in json.loads(capsys.readouterr().out) if r["ietp_id"] == "CN-K1"]
    assert (row["plan"], row["visit_uuid"], row["state"]) == ("unplanned", None, "due")
    assert fetch(two, LIN).visits_withdrawn == []  # never fetched the visit: nothing to withdraw
