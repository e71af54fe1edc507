"""Issue 17 problem 6 on the laptop: a swapped office CA file and a stale assignments bundle
are refused, and the laptop's database is unchanged row for row."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.assignments import AssignedVisit, assign
from ietp_desktop.office.intake import import_bundles
from ietp_desktop.paths import DataFolder
from ietp_desktop.security.office_ca import create_office
from ietp_desktop.services.sync.bundles import export_visits, import_assignments
from ietp_desktop.sync.bundle import BundleRefused
from tests.bundle_world import SPECIALIST_PASSPHRASE, World, database_state, world, world_template

__all__ = ["world", "world_template"]


def _factory_known_at_the_office(world: World, tmp_path: Path) -> str:
    db = world.laptop()
    try:
        export = export_visits(
            db, [world.visit_uuid], tmp_path / "v.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
        )
    finally:
        db.dispose()
    [outcome] = import_bundles(world.office_dir, [export.path])
    assert outcome.status == "imported"
    return _ietp_id(world)


def _ietp_id(world: World) -> str:
    from sqlalchemy import select

    from ietp_desktop.storage.models import Visit

    db = world.laptop()
    try:
        with db.session() as session:
            visit = session.scalars(select(Visit).where(Visit.uuid == world.visit_uuid)).one()
            return visit.factory.ietp_id
    finally:
        db.dispose()


def _assignments(world: World, tmp_path: Path, name: str, ietp_id: str) -> Path:
    return assign(
        world.office_dir,
        "lin.mei@example.org",
        [],
        [AssignedVisit(ietp_id, date(2027, 3, 1))],
        [],
        [],
        tmp_path / name,
    ).path


def test_6_an_older_assignments_bundle_is_refused_as_stale(world: World, tmp_path: Path) -> None:
    ietp_id = _factory_known_at_the_office(world, tmp_path)
    older = _assignments(world, tmp_path, "older.ietpbundle", ietp_id)
    newer = _assignments(world, tmp_path, "newer.ietpbundle", ietp_id)
    db = world.laptop()
    try:
        import_assignments(db, newer, passphrase=SPECIALIST_PASSPHRASE)
        before = database_state(db)
        with pytest.raises(BundleRefused, match="older than assignments this laptop already"):
            import_assignments(db, older, passphrase=SPECIALIST_PASSPHRASE)
        assert database_state(db) == before
    finally:
        db.dispose()


def test_6_a_swapped_office_ca_file_is_refused(world: World, tmp_path: Path) -> None:
    ietp_id = _factory_known_at_the_office(world, tmp_path)
    bundle = _assignments(world, tmp_path, "a.ietpbundle", ietp_id)
    other = tmp_path / "other-office"
    create_office(other, "Shenzhen Office", None)  # same name, another CA
    identity = DataFolder(world.data_dir).identity
    for mine, theirs in (
        ("office-ca.pem", "ca.pem"),
        ("office-signing.pem", "signing.pem"),
        ("office-encryption.pem", "encryption.pem"),
    ):
        shutil.copyfile(other / theirs, identity / mine)
    db = world.laptop()
    try:
        before = database_state(db)
        with pytest.raises(UserError, match="is not the office CA this laptop enrolled with"):
            import_assignments(db, bundle, passphrase=SPECIALIST_PASSPHRASE)
        with pytest.raises(UserError, match="is not the office CA this laptop enrolled with"):
            export_visits(
                db, [world.visit_uuid], tmp_path / "x.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
            )
        assert database_state(db) == before
        assert not (tmp_path / "x.ietpbundle").exists()
    finally:
        db.dispose()


def test_6_an_expired_certificate_signs_and_exports_nothing(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from ietp_desktop.security import certificates
    from ietp_desktop.security.enrolment import load_identity
    from ietp_desktop.security.expiry import expiry_warning

    identity = load_identity(DataFolder(world.data_dir).identity)
    assert identity is not None
    ends = identity.certificate.not_valid_after_utc
    assert expiry_warning(identity.certificate, ends - dt.timedelta(days=60)) is None
    soon = expiry_warning(identity.certificate, ends - dt.timedelta(days=10))
    assert soon is not None and "expires on" in soon and "identity import FILE --replace" in soon
    monkeypatch.setattr(certificates, "utcnow", lambda: ends + dt.timedelta(days=1))
    db = world.laptop()
    try:
        before = database_state(db)
        with pytest.raises(UserError, match=r"certificate expired on .* new enrolment file"):
            export_visits(
                db, [world.visit_uuid], tmp_path / "x.ietpbundle", passphrase=SPECIALIST_PASSPHRASE
            )
        assert database_state(db) == before
        assert not (tmp_path / "x.ietpbundle").exists()
    finally:
        db.dispose()


def test_6_a_laptop_told_of_its_revocation_signs_and_exports_nothing(
    world: World, tmp_path: Path
) -> None:
    from ietp_desktop.cli import main
    from ietp_desktop.services.identity import keys

    ietp_id = _factory_known_at_the_office(world, tmp_path)
    args = ["office", "revoke", "--office-dir", str(world.office_dir)]
    assert main([*args, "--specialist", "lin.mei@example.org", "--reason", "laptop stolen"]) == 0
    bundle = _assignments(world, tmp_path, "with-list.ietpbundle", ietp_id)
    kept = DataFolder(world.data_dir).identity / "revocations.ietp-crl"
    db = world.laptop()
    try:
        export_visits(  # not told yet: the laptop still signs (the office refuses it)
            db, [world.second_uuid], tmp_path / "before.ietpbundle",
            passphrase=SPECIALIST_PASSPHRASE,
        )  # fmt: skip
        import_assignments(db, bundle, passphrase=SPECIALIST_PASSPHRASE)
        assert kept.is_file()
        with pytest.raises(UserError, match=r"revoked this laptop's signing certificate on .*"
                           r"\(laptop stolen\).*enrol you again"):  # fmt: skip
            export_visits(
                db, [world.visit_uuid], tmp_path / "after.ietpbundle",
                passphrase=SPECIALIST_PASSPHRASE,
            )  # fmt: skip
        assert not (tmp_path / "after.ietpbundle").exists()
        with pytest.raises(UserError, match="revoked"):  # the report's signing path
            keys.unlock(keys.require_identity(db), SPECIALIST_PASSPHRASE)
    finally:
        db.dispose()


def test_6_a_forged_list_in_an_assignments_bundle_is_refused(world: World, tmp_path: Path) -> None:
    from ietp_desktop.sync import revocation_list

    folder = DataFolder(world.data_dir).identity
    with pytest.raises(UserError, match="the revocation list is damaged"):
        revocation_list.keep_newer(folder, "not base64!", world.office().ca_cert, "a.ietpbundle")
    assert not (folder / "revocations.ietp-crl").exists()
