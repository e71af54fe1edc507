"""The specialist's signing identity on this device.

First run: the specialist imports the enrolment file (`*.ietp-enrol`) the office issued; it is
checked and set up in `<data dir>/identity/` (the key stays encrypted there). The passphrase is
asked at signing; "remember on this device" keeps it in the OS keyring where one exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from ietp_desktop.domain.errors import UserError
from ietp_desktop.paths import DataFolder
from ietp_desktop.security import passphrase_store
from ietp_desktop.security.certificates import SigningIdentity
from ietp_desktop.security.enrolment import SpecialistIdentity, import_enrolment, load_identity
from ietp_desktop.security.expiry import check_can_sign, expiry_warning
from ietp_desktop.storage.db import Database
from ietp_desktop.sync import revocation_list

OFFICE_CA_FILE = "office-ca.pem"


@dataclass(frozen=True)
class IdentityView:
    name: str
    email: str
    office_name: str
    fingerprint: str  # SHA-256 of the specialist certificate
    ca_fingerprint: str  # compare with the office out of band
    valid_until: datetime
    directory: Path
    passphrase_remembered: bool
    expiry_warning: str | None = None  # weeks before the certificate ends, and after


def identity_dir(data_dir: Path | None) -> Path:
    if data_dir is None:
        raise UserError("this database has no data folder, so it cannot hold a signing identity")
    return DataFolder(Path(data_dir)).identity


def current_identity(db: Database) -> SpecialistIdentity | None:
    """The enrolled specialist, or None when nobody has been enrolled on this device."""
    return load_identity(identity_dir(db.data_dir))


def require_identity(db: Database) -> SpecialistIdentity:
    identity = current_identity(db)
    if identity is None:
        raise UserError(
            "no specialist identity is set up on this device; import the enrolment file from "
            "your office first (ietp-desktop identity import FILE.ietp-enrol)"
        )
    return identity


def view(identity: SpecialistIdentity) -> IdentityView:
    return IdentityView(
        name=identity.name,
        email=identity.email,
        office_name=identity.office_name,
        fingerprint=identity.fingerprint,
        ca_fingerprint=identity.ca_fingerprint,
        valid_until=identity.certificate.not_valid_after_utc,
        directory=identity.directory,
        passphrase_remembered=recall_passphrase(identity) is not None,
        expiry_warning=expiry_warning(identity.certificate),
    )


def identity_view(db: Database) -> IdentityView | None:
    identity = current_identity(db)
    return view(identity) if identity else None


def import_identity(
    data_dir: Path, enrolment_file: Path, passphrase: str, *, replace: bool = False
) -> IdentityView:
    """Check the enrolment file (chain, passphrase) and set up the identity in the data folder."""
    identity = import_enrolment(
        Path(enrolment_file), identity_dir(data_dir), passphrase, replace=replace
    )
    return view(identity)


def unlock(identity: SpecialistIdentity, passphrase: str) -> SigningIdentity:
    """The key, unlocked in memory; a wrong passphrase raises UserError naming the key file."""
    if not passphrase:
        raise UserError("type the passphrase of {pkcs12_path}", pkcs12_path=identity.pkcs12_path)
    check_can_sign(identity.certificate)
    revocation_list.check_not_revoked(identity.directory, identity.office_ca, identity.certificate)
    return identity.unlock(passphrase)


def _key_id(identity: SpecialistIdentity) -> str:
    return f"specialist:{identity.fingerprint}"


def recall_passphrase(identity: SpecialistIdentity) -> str | None:
    return passphrase_store.recall(_key_id(identity))


def remember_passphrase(identity: SpecialistIdentity, passphrase: str) -> bool:
    """Keep the passphrase in the OS keyring; False when this device has none."""
    return passphrase_store.remember(_key_id(identity), passphrase)


def forget_passphrase(identity: SpecialistIdentity) -> None:
    passphrase_store.forget(_key_id(identity))


def known_revocations(db: Database) -> dict[str, datetime]:
    """Certificate sha256 → revocation time, from the office's signed list this laptop last
    received (empty before the first one)."""
    identity = current_identity(db)
    if identity is None:
        return {}
    kept = revocation_list.read_list(identity.directory, identity.office_ca)
    return {r.cert_sha256: r.revoked_at for r in kept.revoked} if kept is not None else {}


def office_ca_pem(db: Database) -> bytes | None:
    """The enrolled office's CA certificate (PEM): what a report must chain to by default."""
    identity = current_identity(db)
    if identity is None:
        return None
    return identity.office_ca.public_bytes(serialization.Encoding.PEM)
