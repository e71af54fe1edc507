"""UI tests run offscreen, each on its own data folder; screenshots go to a tmp folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from ietp_desktop.i18n import set_language
from ietp_desktop.services.visits import factories
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database

SEAL_DAYS_AGO = 90  # today falls inside the PV window (2 to 4 months after the seal)


@pytest.fixture(autouse=True)
def _english_and_own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("IETP_DATA_DIR", str(tmp_path / "never-used"))
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_workspace(data_dir)
    factories.add_factory(
        database,
        factories.FactoryInput(
            ietp_id="IETP-GD-77001",
            name_en="Dongguan Test Toys Ltd.",
            name_zh="东莞测试玩具有限公司",
            city="Dongguan",
            region="CN-GD-Dongguan",
            headcount=300,
            seal_issued_on=date.today() - timedelta(days=SEAL_DAYS_AGO),
        ),
    )
    yield database
    database.dispose()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("IETP_UI_SHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
