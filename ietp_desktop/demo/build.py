"""The whole demo: visits in every state, the signing identity, the demo office and its
administrator."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ietp_desktop.demo.identity import OFFICE_DIR, seed_demo_identity
from ietp_desktop.demo.office import seed_demo_office
from ietp_desktop.demo.office_admin import seed_demo_admin
from ietp_desktop.demo.seed import DemoResult, seed_demo_visits


def seed_demo(data_dir: Path, today: date | None = None) -> DemoResult:
    result = seed_demo_visits(data_dir, today)
    seed_demo_identity(result)
    seed_demo_office(result)
    seed_demo_admin(Path(result.data_dir) / OFFICE_DIR)
    return result
