"""Two laptops enrolled at one office (Lin Mei's from the bundle world, and Zhang Wei's, new),
and helpers to plan a visit, fetch a specialist's newest assignments and read a laptop visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from ietp_desktop.domain.pv_window import add_months
from ietp_desktop.office.console.outbox import outbox_dir
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.planning import assigning
from ietp_desktop.office.setup import enroll
from ietp_desktop.paths import DataFolder
from ietp_desktop.security.enrolment import import_enrolment
from ietp_desktop.services.sync.bundles import AssignmentsResult, import_assignments
from ietp_desktop.services.workspace import open_workspace
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory, Visit

from ..bundle_world import SPECIALIST_PASSPHRASE, World

TODAY = date.today()
LIN = "lin.mei@example.org"
ZHANG = "zhang.wei@example.org"
ZHANG_PASSPHRASE = "zhang wei's long passphrase 2026"
SEAL = add_months(TODAY, -2) - timedelta(days=10)  # the PV window opened 10 days ago


@dataclass(frozen=True)
class TwoLaptops:
    world: World
    zhang_dir: Path

    @property
    def office_dir(self) -> Path:
        return self.world.office_dir

    def laptop(self, email: str) -> Database:
        if email == LIN:
            return self.world.laptop()
        return open_workspace(self.zhang_dir, actor="Zhang Wei")

    def passphrase(self, email: str) -> str:
        return SPECIALIST_PASSPHRASE if email == LIN else ZHANG_PASSPHRASE

    def office_db(self) -> Database:
        return open_office_db(self.office_dir)


def enrol_zhang(world: World, tmp_path: Path) -> TwoLaptops:
    enrolment = tmp_path / "zhang.ietp-enrol"
    enroll(
        world.office_dir,
        "Zhang Wei",
        ZHANG,
        enrolment,
        specialist_passphrase=ZHANG_PASSPHRASE,
    )
    zhang_dir = tmp_path / "zhang-laptop"
    import_enrolment(enrolment, DataFolder(zhang_dir).identity, ZHANG_PASSPHRASE)
    return TwoLaptops(world, zhang_dir)


def add_factory(office_dir: Path, ietp_id: str, seal: date = SEAL) -> None:
    db = open_office_db(office_dir)
    try:
        with db.session() as session:
            session.add(
                Factory(
                    ietp_id=ietp_id,
                    name_en=f"Toys {ietp_id}",
                    name_zh="玩具厂",
                    city="Dongguan",
                    region="Guangdong",
                    headcount=300,
                    seal_issued_on=seal,
                )
            )
    finally:
        db.dispose()


def plan(office_dir: Path, ietp_id: str, email: str, day: date) -> str:
    db = open_office_db(office_dir)
    try:
        return assigning.plan_visit(office_dir, db, ietp_id, email, day, actor="cora").uuid
    finally:
        db.dispose()


def newest_bundle(office_dir: Path, email: str) -> Path:
    return max(
        outbox_dir(office_dir, email).glob("*.ietpbundle"), key=lambda p: p.stat().st_mtime_ns
    )


def fetch(two: TwoLaptops, email: str, bundle: Path | None = None) -> AssignmentsResult:
    """What `bundle fetch` does with the newest bundle in the specialist's outbox."""
    laptop = two.laptop(email)
    try:
        return import_assignments(
            laptop, bundle or newest_bundle(two.office_dir, email), passphrase=two.passphrase(email)
        )
    finally:
        laptop.dispose()


def laptop_visit(two: TwoLaptops, email: str, uuid: str) -> Visit | None:
    laptop = two.laptop(email)
    try:
        with laptop.session() as session:
            visit = session.scalars(select(Visit).where(Visit.uuid == uuid)).first()
            if visit is not None:
                session.expunge(visit)
            return visit
    finally:
        laptop.dispose()


def fetch_all(two: TwoLaptops, email: str) -> list[AssignmentsResult]:
    """Every bundle in the specialist's outbox, oldest first (as `bundle fetch` takes them)."""
    bundles = sorted(
        outbox_dir(two.office_dir, email).glob("*.ietpbundle"), key=lambda p: p.stat().st_mtime_ns
    )
    return [fetch(two, email, bundle) for bundle in bundles]
