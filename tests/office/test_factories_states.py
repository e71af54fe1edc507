"""The factory list's PV window and state on given days, computed by hand."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from ietp_desktop.cli import main
from ietp_desktop.office.factories.states import FactoryState, factory_state, window_of
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.storage.models import Factory, FormDefinition, Visit

from ..bundle_world import World

SEAL = date(2026, 1, 31)  # window: 31 Mar (2 months) to 31 May 2026 (4 months)


@pytest.mark.parametrize(
    ("today", "last_visit", "expected"),
    [
        (date(2026, 3, 30), None, FactoryState.NOT_YET_DUE),
        (date(2026, 3, 31), None, FactoryState.DUE),
        (date(2026, 5, 31), None, FactoryState.DUE),
        (date(2026, 6, 1), None, FactoryState.OVERDUE),
        (date(2026, 6, 1), date(2026, 4, 15), FactoryState.VISITED),
        (date(2026, 6, 1), date(2025, 11, 2), FactoryState.OVERDUE),  # before this seal
    ],
)
def test_window_state_on_a_given_day(
    today: date, last_visit: date | None, expected: FactoryState
) -> None:
    assert factory_state(SEAL, last_visit, today) is expected


def test_the_window_is_the_domain_window_clamped_to_month_ends() -> None:
    window = window_of(date(2025, 12, 31))
    assert window is not None
    assert (window.opens, window.closes) == (date(2026, 2, 28), date(2026, 4, 30))
    assert window_of(None) is None
    assert factory_state(None, None, SEAL) is FactoryState.NO_SEAL


def _factory(ietp_id: str, seal: date | None, region: str) -> Factory:
    return Factory(
        ietp_id=ietp_id, name_en=f"Factory {ietp_id}", region=region, seal_issued_on=seal
    )


def test_cli_lists_states_and_filters(
    office: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = open_office_db(office.office_dir)
    with db.session() as session:
        session.add_all(
            [
                _factory("T-DUE", date(2026, 7, 1), "Guangdong"),  # 1 Sep – 1 Nov
                _factory("T-LATE", date(2026, 3, 1), "Guangdong"),  # 1 May – 1 Jul
                _factory("T-EARLY", date(2026, 9, 20), "Jiangsu"),  # 20 Nov – 20 Jan
            ]
        )
    db.dispose()
    base = ["office", "factory", "list", "--office-dir", str(office.office_dir)]
    assert main([*base, "--today", "2026-10-01", "--json"]) == 0
    rows = {r["ietp_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["T-DUE"]["state"] == "due"
    assert rows["T-DUE"]["window_opens"] == "2026-09-01"
    assert rows["T-DUE"]["window_closes"] == "2026-11-01"
    assert rows["T-LATE"]["state"] == "overdue"
    assert rows["T-EARLY"]["state"] == "not_yet_due"
    assert main([*base, "--today", "2026-10-01", "--state", "overdue", "--json"]) == 0
    assert [r["ietp_id"] for r in json.loads(capsys.readouterr().out)] == ["T-LATE"]
    assert main([*base, "--today", "2026-10-01", "--region", "Jiangsu"]) == 0
    out = capsys.readouterr().out
    assert "T-EARLY" in out and "T-DUE" not in out


def test_a_received_visit_after_the_seal_makes_the_factory_visited(
    office: World, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_office_db(office.office_dir)
    with db.session() as session:
        factory = _factory("T-VISITED", date(2026, 7, 1), "Guangdong")
        session.add(factory)
        session.flush()
        form = session.scalars(select(FormDefinition.sha256)).first()
        assert form is not None  # the office installs the shipped form at init
        session.add(
            Visit(
                uuid="11111111-2222-3333-4444-555555555555",
                factory_id=factory.id,
                form_sha256=form,
                status="received",
                visit_start=date(2026, 9, 15),
                received_at=datetime(2026, 9, 20, tzinfo=UTC),
            )
        )
    db.dispose()
    assert main(
        ["office", "factory", "list", "--office-dir", str(office.office_dir),
         "--today", "2026-12-01", "--json", "--search", "T-VISITED"]
    ) == 0  # fmt: skip
    (row,) = json.loads(capsys.readouterr().out)
    assert row["state"] == "visited" and row["last_visit_on"] == "2026-09-15"
