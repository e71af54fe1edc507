from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from asn1crypto import cms, pkcs12
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from ietp_desktop.domain.errors import UserError
from ietp_desktop.security.certificates import (
    CertificateRejected,
    Role,
    check_issued_by,
    new_ec_key,
    roles_of,
    self_signed_ca,
)
from ietp_desktop.security.enrolment import (
    EnrolmentInfo,
    import_enrolment,
    load_identity,
)
from ietp_desktop.security.office_ca import Office, create_office, load_office, read_office_info
from ietp_desktop.security.pkcs12 import KDF_ROUNDS, dump_pkcs12

from .conftest import OFFICE_PASSPHRASE, SPECIALIST_PASSPHRASE


def test_office_directory_holds_ca_and_role_certificates(office_dir: Path, office: Office) -> None:
    info = read_office_info(office_dir)
    assert info.name == "Shenzhen Office"
    assert info.keys_encrypted
    ca = office.ca_cert
    assert ca.issuer == ca.subject
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert isinstance(office.encryption_key, rsa.RSAPrivateKey)
    assert office.encryption_key.key_size >= 3072
    check_issued_by(office.encryption_cert, ca, Role.OFFICE_ENCRYPTION, what="test")
    check_issued_by(office.signing.certificate, ca, Role.OFFICE_SIGNING, what="test")
    assert not any(b"PRIVATE KEY" in p.read_bytes() for p in office_dir.rglob("*"))


def test_second_office_in_same_folder_is_refused(office_dir: Path) -> None:
    with pytest.raises(UserError, match="already holds an office"):
        create_office(office_dir, "Again", b"x")


def test_wrong_office_passphrase_names_the_key_file(office_dir: Path) -> None:
    with pytest.raises(UserError, match=r"wrong passphrase for .*ca\.p12"):
        load_office(office_dir, b"not it")


def test_specialist_certificate_marks_role_and_usage(office: Office) -> None:
    identity = office.issue_specialist("Chen Jing", "chen@example.org")
    cert = identity.certificate
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in eku
    assert roles_of(cert) == {Role.SPECIALIST}
    assert isinstance(identity.private_key, rsa.RSAPrivateKey)
    assert (office.info.directory / "issued" / f"{cert.serial_number:x}.pem").is_file()


def test_office_signing_certificate_is_not_a_specialist(office: Office) -> None:
    with pytest.raises(CertificateRejected, match="not a Progress Visit Specialist certificate"):
        check_issued_by(office.signing.certificate, office.ca_cert, Role.SPECIALIST, what="signer")


def test_certificate_from_another_ca_is_rejected(office: Office) -> None:
    other_key = new_ec_key()
    other_ca = self_signed_ca(other_key, "Shenzhen Office")  # same name, different key
    with pytest.raises(CertificateRejected, match="not issued by this office's CA"):
        check_issued_by(office.signing.certificate, other_ca, Role.OFFICE_SIGNING, what="signer")


def test_pkcs12_uses_pbes2_aes256_and_sha256_mac(office: Office) -> None:
    identity = office.issue_specialist("Zhao Min", "zhao@example.org")
    data = dump_pkcs12("Zhao Min", identity.private_key, identity.certificate, [], b"pw")
    pfx = pkcs12.Pfx.load(data)
    mac = pfx["mac_data"]
    assert mac["mac"]["digest_algorithm"]["algorithm"].native == "sha256"
    assert mac["iterations"].native >= KDF_ROUNDS
    safe_contents = pfx.authenticated_safe
    algorithms: list[tuple[str, str, int]] = []
    for content_info in safe_contents:
        if content_info["content_type"].native == "encrypted_data":
            algo = content_info["content"]["encrypted_content_info"]["content_encryption_algorithm"]
        else:
            bags = pkcs12.SafeContents.load(content_info["content"].native)
            algo = bags[0]["bag_value"]["encryption_algorithm"]
        assert algo["algorithm"].native == "pbes2"
        params = algo["parameters"]
        kdf = params["key_derivation_func"]["parameters"]
        algorithms.append(
            (
                params["encryption_scheme"]["algorithm"].native,
                kdf["prf"]["algorithm"].native,
                kdf["iteration_count"].native,
            )
        )
    assert algorithms, "no encrypted content found"
    assert all(a == ("aes256_cbc", "sha256", KDF_ROUNDS) for a in algorithms)
    assert KDF_ROUNDS >= 600_000
    assert cms  # asn1crypto's cms module is what parses the content types above


def test_empty_passphrase_is_refused(office: Office) -> None:
    identity = office.signing
    with pytest.raises(UserError, match="must not be empty"):
        dump_pkcs12("x", identity.private_key, identity.certificate, [], b"")


def test_enrolment_round_trip(enrolment: EnrolmentInfo, office: Office, tmp_path: Path) -> None:
    laptop = tmp_path / "identity"
    identity = import_enrolment(enrolment.path, laptop, SPECIALIST_PASSPHRASE)
    assert (identity.name, identity.email) == ("Li Wei", "li.wei@example.org")
    assert identity.fingerprint == enrolment.fingerprint
    assert identity.office_name == "Shenzhen Office"
    assert identity.office_ca == office.ca_cert
    assert identity.office_encryption_cert == office.encryption_cert
    assert identity.office_signing_cert == office.signing.certificate

    reloaded = load_identity(laptop)
    assert reloaded is not None and reloaded.fingerprint == enrolment.fingerprint
    signing = reloaded.unlock(SPECIALIST_PASSPHRASE)
    assert signing.certificate.public_key() == signing.private_key.public_key()
    assert signing.chain == [office.ca_cert]
    assert not any(b"PRIVATE KEY" in p.read_bytes() for p in laptop.iterdir())
    assert not isinstance(signing.private_key, ec.EllipticCurvePrivateKey)


def test_no_identity_yet(tmp_path: Path) -> None:
    assert load_identity(tmp_path) is None


def test_enrolment_wrong_passphrase(enrolment: EnrolmentInfo, tmp_path: Path) -> None:
    laptop = tmp_path / "identity"
    with pytest.raises(UserError, match=f"wrong passphrase for .*{enrolment.path.name}"):
        import_enrolment(enrolment.path, laptop, "guess")
    assert load_identity(laptop) is None


def test_unlock_with_wrong_passphrase(enrolment: EnrolmentInfo, tmp_path: Path) -> None:
    identity = import_enrolment(enrolment.path, tmp_path, SPECIALIST_PASSPHRASE)
    with pytest.raises(UserError, match=r"wrong passphrase for .*specialist\.p12"):
        identity.unlock("guess")


def test_enrolment_twice_is_refused(enrolment: EnrolmentInfo, tmp_path: Path) -> None:
    import_enrolment(enrolment.path, tmp_path, SPECIALIST_PASSPHRASE)
    with pytest.raises(UserError, match="already holds an enrolled specialist"):
        import_enrolment(enrolment.path, tmp_path, SPECIALIST_PASSPHRASE)


def test_enrolment_with_foreign_office_certificate_is_refused(
    enrolment: EnrolmentInfo, tmp_path: Path
) -> None:
    other_dir = tmp_path / "other-office"
    create_office(other_dir, "Other Office", None)
    other = load_office(other_dir, None)
    document = json.loads(enrolment.path.read_text())
    document["office_encryption"] = (other_dir / "encryption.pem").read_text()
    forged = tmp_path / "forged.ietp-enrol"
    forged.write_text(json.dumps(document))
    with pytest.raises(UserError, match="not issued by this office's CA"):
        import_enrolment(forged, tmp_path / "identity", SPECIALIST_PASSPHRASE)
    assert other.name == "Other Office"


def test_damaged_enrolment_file(enrolment: EnrolmentInfo, tmp_path: Path) -> None:
    document = json.loads(enrolment.path.read_text())
    document["pkcs12"] = base64.b64encode(b"garbage").decode()
    damaged = tmp_path / "damaged.ietp-enrol"
    damaged.write_text(json.dumps(document))
    with pytest.raises(UserError, match=r"damaged\.ietp-enrol is not a PKCS#12 key file"):
        import_enrolment(damaged, tmp_path / "identity", SPECIALIST_PASSPHRASE)
    not_json = tmp_path / "x.ietp-enrol"
    not_json.write_bytes(b"PK\x03\x04")
    with pytest.raises(UserError, match="is not an enrolment file"):
        import_enrolment(not_json, tmp_path / "identity", SPECIALIST_PASSPHRASE)


def test_unencrypted_demo_office(tmp_path: Path) -> None:
    info = create_office(tmp_path, "Demo Office", None)
    assert not info.keys_encrypted
    assert load_office(tmp_path, None).name == "Demo Office"
    assert OFFICE_PASSPHRASE  # the session office, by contrast, is encrypted


def test_an_enrolment_file_changed_after_signing_is_refused(
    enrolment: EnrolmentInfo, tmp_path: Path
) -> None:
    document = json.loads(enrolment.path.read_text())
    document["office_name"] = "Shenzhen Office (fake)"  # everything else still chains to the CA
    changed = tmp_path / "changed.ietp-enrol"
    changed.write_text(json.dumps(document))
    with pytest.raises(UserError, match="was changed after the office signed it"):
        import_enrolment(changed, tmp_path / "identity", SPECIALIST_PASSPHRASE)
    del document["signature"]
    unsigned = tmp_path / "unsigned.ietp-enrol"
    unsigned.write_text(json.dumps(document))
    with pytest.raises(UserError, match="is not signed by the office"):
        import_enrolment(unsigned, tmp_path / "identity", SPECIALIST_PASSPHRASE)
    assert not (tmp_path / "identity").exists()
