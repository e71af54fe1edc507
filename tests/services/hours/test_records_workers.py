from __future__ import annotations

from datetime import date

import pytest

from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.services.hours import workers
from ietp_desktop.storage.db import Database


@pytest.mark.parametrize(
    ("headcount", "suggested"), [(None, 0), (0, 0), (1, 1), (400, 20), (401, 21), (1150, 34)]
)
def test_suggested_sample_is_about_the_square_root(headcount: int | None, suggested: int) -> None:
    assert workers.suggest_sample_size(headcount) == suggested


def test_codes_are_numbered_and_region_defaults_to_the_factorys(
    db: Database, started_visit: str
) -> None:
    first = workers.add_worker(db, started_visit, workers.WorkerInput(name="张三", gender="女"))
    second = workers.add_worker(
        db,
        started_visit,
        workers.WorkerInput(
            region="CN-GD-Shenzhen", origin="外地", wage_type="计件", hire_date=date(2024, 3, 1)
        ),
    )
    assert (first.code, first.gender, first.region, first.region_is_factory_default) == (
        "W01",
        "female",
        "CN-GD-Dongguan",
        True,
    )
    assert (second.code, second.origin, second.wage_type, second.region) == (
        "W02",
        "migrant",
        "piece",
        "CN-GD-Shenzhen",
    )
    workers.update_worker(db, started_visit, "W01", workers.WorkerInput(department="装配"))
    assert [w.department for w in workers.list_workers(db, started_visit)] == ["装配", ""]
    workers.remove_worker(db, started_visit, "w02")
    assert [w.code for w in workers.list_workers(db, started_visit)] == ["W01"]


def test_bad_worker_input_names_the_field(db: Database, started_visit: str) -> None:
    with pytest.raises(ValidationFailed, match="region 'Atlantis' has no minimum wage"):
        workers.add_worker(db, started_visit, workers.WorkerInput(region="Atlantis"))
    with pytest.raises(ValidationFailed, match="gender 'x' is not one of"):
        workers.add_worker(db, started_visit, workers.WorkerInput(gender="x"))
    workers.add_worker(db, started_visit, workers.WorkerInput(code="W07"))
    with pytest.raises(ValidationFailed, match="already has a worker W07"):
        workers.add_worker(db, started_visit, workers.WorkerInput(code="w07"))


def test_coverage_names_what_the_sample_misses(db: Database, started_visit: str) -> None:
    for gender in ("female", "female"):
        workers.add_worker(
            db,
            started_visit,
            workers.WorkerInput(gender=gender, origin="migrant", department="装配"),
        )
    coverage = workers.sample_coverage(db, started_visit)
    assert (coverage.headcount, coverage.suggested, coverage.sampled) == (400, 20, 2)
    assert coverage.departments == {"装配": 2}
    assert [g.text for g in coverage.gaps] == [
        "2 of about 20 workers sampled (√400)",
        "No male workers sampled",
        "No local workers sampled",
        "All sampled workers are from one department",
    ]
