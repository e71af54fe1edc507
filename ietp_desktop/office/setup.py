"""Setting up an office and enrolling its specialists."""

from __future__ import annotations

from pathlib import Path

from ietp_desktop.office.catalogue import register_all_installed
from ietp_desktop.office.folder import (
    open_office_db,
)
from ietp_desktop.security.enrolment import EnrolmentInfo, write_enrolment
from ietp_desktop.security.office_ca import (
    OfficeInfo,
    create_office,
    load_office,
)
from ietp_desktop.security.passphrase_policy import check_passphrase
from ietp_desktop.services.catalogue.definitions import (
    install_shipped_definitions,
)


def init_office(
    office_dir: Path,
    name: str = "IETP Office",
    passphrase: bytes | str | None = None,
    db_url: str | None = None,
) -> OfficeInfo:
    """Create the office CA and certificates in `office_dir`, and the office database.

    Without a passphrase the office keys are stored unencrypted (a demo, or an office whose
    folder is itself encrypted); a passphrase given must pass the passphrase policy."""
    if passphrase is not None:
        check_passphrase(passphrase, "the office keys'")
    info = create_office(Path(office_dir), name, passphrase)
    database = open_office_db(office_dir, db_url)
    try:
        install_shipped_definitions(database)
        with database.session() as session:
            register_all_installed(session, "office init")
    finally:
        database.dispose()
    return info


def enroll(
    office_dir: Path,
    name: str,
    email: str,
    out: Path,
    *,
    specialist_passphrase: bytes | str,
    office_passphrase: bytes | str | None = None,
) -> EnrolmentInfo:
    """Issue a specialist key and certificate; write them with the office certificates to `out`."""
    check_passphrase(specialist_passphrase, "the specialist's")
    office = load_office(Path(office_dir), office_passphrase)
    return write_enrolment(office, name, email, specialist_passphrase, Path(out))
