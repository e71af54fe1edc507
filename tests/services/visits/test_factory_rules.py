"""The rules a factory's details keep, for the window, the CLI and scripts alike."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.services.visits import factories
from ietp_desktop.services.visits.factories import FactoryInput, factory_problems
from ietp_desktop.services.workspace import open_workspace

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize("ietp_id", ["IETP-GD-10231", "IETP-T-1", "IETP-CN-00417", "IETP-GD-T0001"])
def test_ietp_ids_of_the_programme_are_accepted(ietp_id: str) -> None:
    assert factory_problems(FactoryInput(ietp_id, "Toys"), TODAY) == []


@pytest.mark.parametrize("ietp_id", ["GD-10231", "ietp-gd-10231", "IETP GD 10231", "IETP-", "IETP"])
def test_other_ids_are_refused_with_the_expected_form(ietp_id: str) -> None:
    problems = factory_problems(FactoryInput(ietp_id, "Toys"), TODAY)
    assert [p.field for p in problems] == ["ietp_id"]
    assert "is not of the form IETP-GD-10231" in str(problems[0].error)


def test_seal_date_in_the_future_is_refused_today_is_fine() -> None:
    future = factory_problems(
        FactoryInput("IETP-T-1", "T", seal_issued_on=TODAY + timedelta(days=1)), TODAY
    )
    assert [p.field for p in future] == ["seal_issued_on"]
    assert "2026-12-03 is in the future" in str(future[0].error)
    assert factory_problems(FactoryInput("IETP-T-1", "T", seal_issued_on=TODAY), TODAY) == []


def test_every_problem_at_once_and_in_chinese(tmp_path: Path) -> None:
    db = open_workspace(tmp_path)
    data = FactoryInput("GD 1", "", headcount=-3, seal_issued_on=date.today() + timedelta(days=5))
    with pytest.raises(ValidationFailed) as caught:
        factories.add_factory(db, data)
    english = str(caught.value)
    for part in ("not of the form", "English name is empty", "cannot be negative", "future"):
        assert part in english
    chinese = caught.value.text("zh")
    assert "工厂" in chinese and "未来" in chinese
    assert factories.list_factories(db) == []
    db.dispose()


def test_update_keeps_the_rules(tmp_path: Path) -> None:
    db = open_workspace(tmp_path)
    factories.add_factory(db, FactoryInput(" IETP-GD-10231 ", "Toys"))
    assert factories.get_factory(db, "IETP-GD-10231").name_en == "Toys"  # spaces trimmed
    with pytest.raises(ValidationFailed, match="in the future"):
        factories.update_factory(
            db, "IETP-GD-10231", seal_issued_on=date.today() + timedelta(days=1)
        )
    db.dispose()
