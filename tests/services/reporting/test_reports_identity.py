"""First run on a laptop: no identity, importing the office's enrolment file, remembering."""

from __future__ import annotations

from pathlib import Path

import pytest

from ietp_desktop.domain.errors import UserError
from ietp_desktop.security.enrolment import write_enrolment
from ietp_desktop.security.office_ca import create_office, load_office
from ietp_desktop.services.identity import keys
from ietp_desktop.services.reporting import reports
from ietp_desktop.storage.db import Database


@pytest.fixture(scope="module")
def enrolment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("office")
    create_office(folder / "office", "Test Office", None)
    out = folder / "wang.ietp-enrol"
    write_enrolment(load_office(folder / "office", None), "Wang Fang", "w@example.org", "pw-1", out)
    return out


def test_without_identity_signing_says_what_to_do(db: Database, started_visit: str) -> None:
    assert keys.current_identity(db) is None
    assert keys.office_ca_pem(db) is None
    with pytest.raises(UserError, match="identity import"):
        reports.unlock_signer(db, "anything")


def test_import_checks_the_passphrase_then_sets_up_the_identity(
    db: Database, data_dir: Path, enrolment: Path
) -> None:
    with pytest.raises(UserError, match="wrong passphrase"):
        keys.import_identity(data_dir, enrolment, "nope")
    assert keys.current_identity(db) is None
    view = keys.import_identity(data_dir, enrolment, "pw-1")
    assert (view.name, view.email, view.office_name) == (
        "Wang Fang",
        "w@example.org",
        "Test Office",
    )
    assert view.directory == data_dir / "identity"
    assert b"BEGIN CERTIFICATE" in (keys.office_ca_pem(db) or b"")
    with pytest.raises(UserError, match="already holds"):
        keys.import_identity(data_dir, enrolment, "pw-1")
    p12 = (data_dir / "identity" / "specialist.p12").read_bytes()
    assert b"PRIVATE KEY" not in p12  # stays encrypted on disk
    with pytest.raises(UserError, match="wrong passphrase"):
        reports.unlock_signer(db, "nope")
    assert reports.unlock_signer(db, "pw-1").name == "Wang Fang"
