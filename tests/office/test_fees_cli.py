"""`ietp-desktop office invoice|fund|escalation …` call the same functions as the console."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ietp_desktop.cli import main
from ietp_desktop.office import money_followup
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.storage.models import Finding, Visit
from tests.bundle_world import World

from .money_fixtures import money_world

__all__ = ["money_world"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_invoice_commands(
    money_world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    office = ["--office-dir", str(money_world.office_dir)]
    code, out, err = run(capsys, "office", "invoice", "list", *office, "--json")
    assert code == 0, err
    rows = json.loads(out)
    mine = next(r for r in rows if r["visit_uuid"] == money_world.visit_uuid)
    number = mine["number"]
    assert (mine["amount_usd"], mine["status"]) == ("1275.00", "draft")

    today = date.today()
    sent, received = today - timedelta(days=2), today - timedelta(days=1)
    code, out, err = run(
        capsys, "office", "invoice", "receive", number, "--on", str(received), *office
    )
    assert code == 1 and "has not been sent; record when it was sent first" in err
    for action, day in (("send", sent), ("receive", received)):
        code, out, err = run(capsys, "office", "invoice", action, number, "--on", str(day), *office)
        assert code == 0, err
    code, out, err = run(
        capsys, "office", "invoice", "pay", number, "--on", str(today), "--amount", "2000",
        *office,
    )  # fmt: skip
    assert code == 1
    assert f"invoice {number}: 2000 USD is more than the 1275.00 USD still owed" in err
    code, out, err = run(
        capsys, "office", "invoice", "pay", number, "--on", str(today), "--amount", "1275",
        *office, "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)[0]["status"] == "paid"

    code, out, err = run(capsys, "office", "fund", *office, "--json")
    assert code == 0 and json.loads(out)["balance_usd"] == "127.50"

    pdf = tmp_path / "invoice.pdf"
    code, out, err = run(capsys, "office", "invoice", "pdf", number, "--out", str(pdf), *office)
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    code, out, err = run(capsys, "office", "invoice", "issue", *office, "--json")
    assert code == 0 and json.loads(out) == []  # every received visit has its invoice


def test_escalation_commands(money_world: World, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_office_db(money_world.office_dir)
    with db.session() as session:
        visit_id = session.scalars(
            select(Visit.id).where(Visit.uuid == money_world.visit_uuid)
        ).one()
        session.execute(
            update(Finding)
            .where(Finding.visit_id == visit_id)
            .values(classification="zero_tolerance")
        )
        money_followup.visits_received(session, [money_world.visit_uuid])
    db.dispose()
    office = ["--office-dir", str(money_world.office_dir)]
    code, out, err = run(capsys, "office", "escalation", "open-missing", *office)
    assert (code, out.strip()) == (0, "0 escalation(s) opened")  # intake queued it already
    code, out, err = run(capsys, "office", "escalation", "list", "--state", "open", *office)
    assert code == 0, err
    assert "zero_tolerance" in out and money_world.visit_uuid[:8] in out
    short = money_world.visit_uuid[:8]
    code, out, err = run(
        capsys, "office", "escalation", "decide", short, "--queue", "zero_tolerance",
        "--decision", "downgrade", "--reason", "first finding, remediated", *office, "--json",
    )  # fmt: skip
    assert code == 0, err
    row = json.loads(out)[0]
    assert (row["decision"], row["certificate_status"]) == ("downgrade", "downgraded")
    assert row["decided_by"].startswith("cli")
