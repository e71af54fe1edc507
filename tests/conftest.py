"""Shared fixtures: every test gets its own data folder; Qt runs offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ietp_desktop.services.dto import FactoryView
from ietp_desktop.services.visits import factories, lifecycle
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never touch the user's real data folder, even by accident."""
    monkeypatch.setenv("IETP_DATA_DIR", str(tmp_path_factory.mktemp("default-data")))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_workspace(data_dir, actor="tester")
    yield database
    database.dispose()


@pytest.fixture
def factory(db: Database) -> FactoryView:
    return factories.add_factory(
        db,
        factories.FactoryInput(
            ietp_id="IETP-GD-T0001",
            name_en="Dongguan Test Toys Co., Ltd.",
            name_zh="东莞市测试玩具有限公司",
            city="Dongguan",
            region="CN-GD-Dongguan",
            headcount=400,
            seal_issued_on=date(2026, 8, 1),
        ),
    )


@pytest.fixture
def started_visit(db: Database, factory: FactoryView) -> str:
    """A visit confirmed and started on 2026-10-12; returns its uuid."""
    planned = lifecycle.plan_visit(
        db, factory.ietp_id, date(2026, 10, 12), specialist_name="Tester"
    )
    lifecycle.confirm_visit(db, planned.uuid, date(2026, 10, 12), date(2026, 9, 28))
    lifecycle.start_visit(db, planned.uuid, date(2026, 10, 12))
    return planned.uuid
