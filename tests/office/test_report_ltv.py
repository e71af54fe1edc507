"""Issue 17, revocation and time: the office seals every report it accepts (validation data and
its own document timestamp, PAdES B-LTA), so the report still verifies after the specialist's
certificate expires; `report verify` says which level it checked."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation.dss import DocumentSecurityStore
from sqlalchemy import delete, select
from starlette.testclient import TestClient

from ietp_desktop.cli import main
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.office.intake import ImportOutcome, import_bundles
from ietp_desktop.office.report_seal import office_timestamper
from ietp_desktop.office.revocation import read_revocations, revoke
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.reports.signing import verify_pdf
from ietp_desktop.security import certificates as certs
from ietp_desktop.security.certificates import Role, SigningIdentity
from ietp_desktop.security.office_ca import create_office, load_office
from ietp_desktop.services.sync.office_link import send_to_office
from ietp_desktop.storage.models import Visit
from ietp_desktop.storage.office_ltv_models import OfficeReportSeal
from ietp_desktop.storage.office_models import OfficeRevocation
from tests.bundle_world import SPECIALIST_PASSPHRASE, World, signed_pdf
from tests.office.conftest import Server, sign_in
from tests.office.trust_attacks import exported, replace_report, rewritten


def _short_lived_lin_mei(world: World, days: int = 2) -> SigningIdentity:
    """Lin Mei with a certificate the office CA issued for a couple of days only."""
    office = world.office()
    key = certs.new_rsa_key()
    now = certs.utcnow()
    cert = office.issue_certificate(
        key.public_key(),
        role=Role.SPECIALIST,
        name="Lin Mei",
        email="lin.mei@example.org",
        not_before=now - dt.timedelta(minutes=5),
        not_after=now + dt.timedelta(days=days),
    )
    return SigningIdentity(key, cert, [office.ca_cert])


def _send_short_lived(
    world: World, tmp_path: Path, db_url: str | None = None
) -> tuple[SigningIdentity, bytes, ImportOutcome]:
    """A bundle whose report (and bundle signature) come from the short-lived certificate,
    imported by the office; the report as it was sent."""
    signer = _short_lived_lin_mei(world)
    original = signed_pdf(signer, "Lin Mei", "report signed with a two-day certificate")

    def swap(document: dict[str, Any], entries: dict[str, bytes]) -> None:
        replace_report(document, entries, original)

    bundle = rewritten(world, tmp_path, swap, signer=signer, name="short.ietpbundle")
    [outcome] = import_bundles(world.office_dir, [bundle], db_url)
    assert outcome.status == "imported", outcome.message
    return signer, original, outcome


def _stored(world: World, outcome: ImportOutcome) -> Path:
    [visit] = outcome.visits
    return OfficeFolder(world.office_dir).report(visit.uuid, visit.revision)


def _ca(world: World) -> bytes:
    return (world.office_dir / "ca.pem").read_bytes()


def _after_expiry(signer: SigningIdentity) -> dt.datetime:
    return signer.certificate.not_valid_after_utc + dt.timedelta(days=30)


def _day(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def test_office_setup_issues_a_timestamping_certificate_from_its_ca(world: World) -> None:
    office = world.office()
    cert = office.timestamping.certificate
    usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usage.critical and list(usage.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    cert.verify_directly_issued_by(office.ca_cert)
    assert (world.office_dir / "timestamping.p12").is_file()
    pem = x509.load_pem_x509_certificate((world.office_dir / "timestamping.pem").read_bytes())
    assert pem == cert


def test_an_office_folder_made_before_gets_its_timestamping_key_on_first_use(
    world: World, tmp_path: Path
) -> None:
    for name in ("timestamping.p12", "timestamping.pem"):
        (world.office_dir / name).unlink()
    first = load_office(world.office_dir, None).timestamping.certificate
    assert (world.office_dir / "timestamping.p12").is_file()
    assert load_office(world.office_dir, None).timestamping.certificate == first
    [outcome] = import_bundles(world.office_dir, [exported(world, tmp_path)])
    assert outcome.status == "imported", outcome.message
    assert verify_pdf(_stored(world, outcome), _ca(world)).level == "B-LTA"


def test_a_timestamping_key_of_another_ca_is_refused(world: World, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(world.office_dir, other)
    for name in ("timestamping.p12", "timestamping.pem"):
        (other / name).unlink()

    create_office(tmp_path / "stranger", "Stranger Office", None)
    shutil.copy(tmp_path / "stranger" / "timestamping.p12", other / "timestamping.p12")
    with pytest.raises(Exception, match="does not belong to this office"):
        load_office(other, None)


def test_an_accepted_report_verifies_after_its_certificate_expired(
    world: World, tmp_path: Path, db_url: str | None
) -> None:
    signer, original, outcome = _send_short_lived(world, tmp_path, db_url)
    stored = _stored(world, outcome)
    sealed = stored.read_bytes()
    assert sealed.startswith(original) and len(sealed) > len(original)
    later = _after_expiry(signer)

    verdict = verify_pdf(stored, _ca(world), at=later)
    assert verdict.ok, verdict.lines()
    assert verdict.level == "B-LTA"
    assert verdict.timestamped_at is not None
    assert verdict.timestamped_at < signer.certificate.not_valid_after_utc
    lines = "\n".join(verdict.lines("en"))
    assert "Level: B-LTA" in lines
    assert "timestamped by Shenzhen Office timestamping" in lines
    expiry = _day(signer.certificate.not_valid_after_utc)
    assert re.search(rf"The signer's certificate expired on {expiry} \d\d:\d\d UTC", lines)

    # the office keeps what arrived: its hash and size, the original being the file's start
    db = open_office_db(world.office_dir, db_url)
    try:
        with db.session() as session:
            [seal] = session.scalars(select(OfficeReportSeal)).all()
            visit = session.get(Visit, seal.visit_id)
            assert visit is not None
            assert seal.original_sha256 == hashlib.sha256(original).hexdigest()
            assert seal.original_size == len(original)
            assert seal.sealed_sha256 == hashlib.sha256(sealed).hexdigest()
            assert seal.level == "B-LTA"
            assert visit.report_sha256 == seal.original_sha256
    finally:
        db.dispose()


def test_the_same_report_without_the_office_seal_is_refused_after_expiry(
    world: World, tmp_path: Path
) -> None:
    signer, original, _ = _send_short_lived(world, tmp_path)
    plain = tmp_path / "as-signed.pdf"
    plain.write_bytes(original)
    assert verify_pdf(plain, _ca(world)).ok  # today it is fine
    verdict = verify_pdf(plain, _ca(world), at=_after_expiry(signer))
    assert not verdict.ok
    assert verdict.level == "B-B"
    assert verdict.problem is not None
    message = verdict.problem.text("en")
    expiry = _day(signer.certificate.not_valid_after_utc)
    assert f"the signer's certificate expired on {expiry}" in message
    assert "carries no office timestamp (level B-B)" in message


def test_a_byte_changed_after_the_seal_is_refused(world: World, tmp_path: Path) -> None:
    signer, original, outcome = _send_short_lived(world, tmp_path)
    sealed = _stored(world, outcome).read_bytes()
    for offset in (len(original) // 2, len(original) + 200, len(sealed) - 3000):
        changed = bytearray(sealed)
        changed[offset] ^= 0x01
        path = tmp_path / f"changed-{offset}.pdf"
        path.write_bytes(bytes(changed))
        verdict = verify_pdf(path, _ca(world), at=_after_expiry(signer))
        assert not verdict.ok, offset
        assert not verdict.intact, offset


def test_pdfsig_lists_the_signature_and_the_office_timestamp(world: World, tmp_path: Path) -> None:
    pdfsig = shutil.which("pdfsig")
    if pdfsig is None:
        pytest.skip("pdfsig (poppler-utils) is not installed")
    _, _, outcome = _send_short_lived(world, tmp_path)
    listing = subprocess.run(
        [pdfsig, str(_stored(world, outcome))], capture_output=True, text=True, check=False
    ).stdout
    assert listing.count("Signature #") == 2, listing
    assert "Signature Field Name: SpecialistSignature" in listing
    assert "Signature Field Name: OfficeTimestamp" in listing
    assert "Signer Certificate Common Name: Shenzhen Office timestamping" in listing
    assert "Total document signed" in listing


def test_report_verify_names_the_level_it_checked(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signer, original, outcome = _send_short_lived(world, tmp_path)
    ca = world.office_dir / "ca.pem"
    later = _after_expiry(signer).strftime("%Y-%m-%dT%H:%M")
    code = main(["report", "verify", str(_stored(world, outcome)), "--ca", str(ca), "--at", later])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Level: B-LTA — checked at" in out
    assert "Valid at " in out and "timestamped by Shenzhen Office timestamping" in out
    expiry = _day(signer.certificate.not_valid_after_utc)
    assert f"The signer's certificate expired on {expiry}" in out
    assert "Trusted: yes" in out

    plain = tmp_path / "as-signed.pdf"
    plain.write_bytes(original)
    code = main(["report", "verify", str(plain), "--ca", str(ca)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Level: B-B — signature only" in out

    code = main(["report", "verify", str(plain), "--ca", str(ca), "--at", later])
    captured = capsys.readouterr()
    assert code == 2
    assert "Trusted: NO — the signer's certificate expired on" in captured.out
    assert "NOT a valid signed report" in captured.err
    assert "Traceback" not in captured.err

    changed = bytearray(_stored(world, outcome).read_bytes())
    changed[len(original) + 200] ^= 0x01
    broken = tmp_path / "changed.pdf"
    broken.write_bytes(bytes(changed))
    code = main(["report", "verify", str(broken), "--ca", str(ca)])
    captured = capsys.readouterr()
    assert code == 2
    assert "The file is damaged or was changed" in captured.out
    assert "Intact: NO" in captured.out
    assert "Traceback" not in captured.err + captured.out


def test_a_report_timestamped_before_its_signer_was_revoked_stays_valid(
    world: World, tmp_path: Path
) -> None:
    signer, _, outcome = _send_short_lived(world, tmp_path)
    time.sleep(1.1)  # revocation times are kept to the second
    office = world.office()
    revoke(office, signer.certificate, "left the programme")
    revoked = {
        r.cert_sha256: r.revoked_at for r in read_revocations(world.office_dir, office.ca_cert)
    }
    assert certs.fingerprint(signer.certificate) in revoked
    verdict = verify_pdf(_stored(world, outcome), _ca(world), revocations=revoked)
    assert verdict.ok, verdict.lines()
    assert verdict.revoked_at is not None
    lines = "\n".join(verdict.lines("en"))
    assert "was revoked on" in lines
    assert "after the office's timestamp: the report stays valid" in lines


def test_a_report_timestamped_after_its_signer_was_revoked_is_not_valid(
    world: World, tmp_path: Path
) -> None:
    _, _, outcome = _send_short_lived(world, tmp_path)
    stored = _stored(world, outcome)
    stamped = verify_pdf(stored, _ca(world)).timestamped_at
    assert stamped is not None
    [fingerprint] = [verify_pdf(stored, _ca(world)).signer_sha256]
    verdict = verify_pdf(
        stored, _ca(world), revocations={fingerprint: stamped - dt.timedelta(hours=1)}
    )
    assert not verdict.ok
    assert verdict.problem is not None
    assert "revoked on" in verdict.problem.text("en")
    assert "before the office's timestamp" in verdict.problem.text("en")


def test_the_same_revision_sent_again_keeps_the_first_seal(world: World, tmp_path: Path) -> None:
    [first] = import_bundles(world.office_dir, [exported(world, tmp_path, "one.ietpbundle")])
    assert first.status == "imported", first.message
    stored = _stored(world, first)
    kept = stored.read_bytes()
    [again] = import_bundles(world.office_dir, [exported(world, tmp_path, "two.ietpbundle")])
    assert again.status == "imported", again.message
    assert [v.result for v in again.visits] == ["unchanged"]
    assert stored.read_bytes() == kept


def test_the_visit_page_says_the_level_and_gives_the_original(
    office: World, console: TestClient, tmp_path: Path
) -> None:
    _, original, outcome = _send_short_lived(office, tmp_path)
    [visit] = outcome.visits
    sign_in(console, "reviewer")
    page = console.get(f"/visits/{visit.uuid}")
    assert page.status_code == 200
    assert "level B-LTA: validation data and the office&#39;s timestamp of" in page.text
    assert f"original as signed: sha256 {hashlib.sha256(original).hexdigest()}" in page.text
    assert f"the first {len(original)} bytes of the stored file" in page.text
    sealed = console.get(f"/visits/{visit.uuid}/report/{visit.revision}")
    assert sealed.status_code == 200 and sealed.content.startswith(original)
    assert len(sealed.content) > len(original)
    got = console.get(f"/visits/{visit.uuid}/report/{visit.revision}/original")
    assert got.status_code == 200
    assert got.content == original
    assert "original.pdf" in got.headers["content-disposition"]

    console.get("/lang/zh")
    page = console.get(f"/visits/{visit.uuid}")
    assert "B-LTA 级" in page.text


def test_a_report_sent_over_https_is_stored_sealed(
    office: World, server: Server, tmp_path: Path
) -> None:
    db = office.laptop()
    try:
        result = send_to_office(db, server.url, passphrase=SPECIALIST_PASSPHRASE)
    finally:
        db.dispose()
    assert result is not None
    revision = _revision_at_office(office, office.visit_uuid)
    stored = OfficeFolder(office.office_dir).report(office.visit_uuid, revision)
    verdict = verify_pdf(stored, _ca(office))
    assert verdict.ok, verdict.lines()
    assert verdict.level == "B-LTA"
    sent = [p.read_bytes() for p in (office.data_dir / "reports").glob("*.pdf")]
    assert sent, "the laptop keeps the reports it signed"
    assert any(stored.read_bytes().startswith(original) for original in sent)


def _revision_at_office(world: World, visit_uuid: str) -> int:
    db = open_office_db(world.office_dir)
    try:
        with db.session() as session:
            seal = session.scalars(
                select(OfficeReportSeal)
                .join(Visit, Visit.id == OfficeReportSeal.visit_id)
                .where(Visit.uuid == visit_uuid)
            ).one()
            return seal.revision
    finally:
        db.dispose()


def _forget_seal(world: World, outcome: ImportOutcome, report: bytes) -> Path:
    """The office as it was before it sealed reports: the report as it arrived, no seal row."""
    stored = _stored(world, outcome)
    stored.write_bytes(report)
    db = open_office_db(world.office_dir)
    try:
        with db.session() as session:
            session.execute(delete(OfficeReportSeal))
    finally:
        db.dispose()
    return stored


def test_office_seal_reports_seals_what_an_older_office_stored(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signer, original, outcome = _send_short_lived(world, tmp_path)
    stored = _forget_seal(world, outcome, original)
    assert verify_pdf(stored, _ca(world)).level == "B-B"
    code = main(["office", "seal-reports", "--office-dir", str(world.office_dir)])
    out = capsys.readouterr().out
    assert code == 0
    [visit] = outcome.visits
    assert f"{visit.uuid[:8]} r{visit.revision}  sealed" in out
    assert "1 report(s) sealed, 0 kept as they were" in out
    verdict = verify_pdf(stored, _ca(world), at=_after_expiry(signer))
    assert verdict.ok and verdict.level == "B-LTA"
    assert stored.read_bytes().startswith(original)
    db = open_office_db(world.office_dir)
    try:
        with db.session() as session:
            [seal] = session.scalars(select(OfficeReportSeal)).all()
            assert seal.original_sha256 == hashlib.sha256(original).hexdigest()
            assert seal.original_size == len(original)
    finally:
        db.dispose()
    code = main(["office", "seal-reports", "--office-dir", str(world.office_dir)])
    assert "0 report(s) sealed, 0 kept as they were" in capsys.readouterr().out


def test_office_seal_reports_keeps_a_report_whose_certificate_already_expired(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, outcome = _send_short_lived(world, tmp_path)
    office = world.office()
    key = certs.new_rsa_key()
    now = certs.utcnow()
    expired = office.issue_certificate(
        key.public_key(),
        role=Role.SPECIALIST,
        name="Lin Mei",
        email="lin.mei@example.org",
        not_before=now - dt.timedelta(days=10),
        not_after=now - dt.timedelta(days=1),
    )
    old = signed_pdf(SigningIdentity(key, expired, [office.ca_cert]), "Lin Mei", "old report")
    stored = _forget_seal(world, outcome, old)
    code = main(["office", "seal-reports", "--office-dir", str(world.office_dir)])
    out = capsys.readouterr().out
    assert code == 0
    assert "kept: the signer's certificate expired on" in out
    assert "0 report(s) sealed, 1 kept as they were" in out
    assert stored.read_bytes() == old


def test_a_timestamp_from_a_tsa_the_office_did_not_certify_does_not_count(
    world: World, tmp_path: Path
) -> None:
    """A specialist who stamps their own report (here with another office's TSA, back-dated)
    gets no B-LTA from it; the office's own seal on top is what counts."""

    create_office(tmp_path / "stranger", "Stranger Office", None)
    stranger = load_office(tmp_path / "stranger", None)
    signer = _short_lived_lin_mei(world)
    plain = signed_pdf(signer, "Lin Mei", "self-stamped")
    out = io.BytesIO()
    signers.PdfTimeStamper(
        office_timestamper(stranger, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    ).timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(plain), strict=False), "sha256", output=out)
    stamped = tmp_path / "self-stamped.pdf"
    stamped.write_bytes(out.getvalue())
    verdict = verify_pdf(stamped, _ca(world), at=_after_expiry(signer))
    assert verdict.level == "B-B"
    assert not verdict.ok
    assert verdict.problem is not None and "expired on" in verdict.problem.text("en")

    def swap(document: dict[str, Any], entries: dict[str, bytes]) -> None:
        replace_report(document, entries, out.getvalue())

    bundle = rewritten(world, tmp_path, swap, signer=signer, name="stamped.ietpbundle")
    [outcome] = import_bundles(world.office_dir, [bundle])
    assert outcome.status == "imported", outcome.message
    sealed = verify_pdf(_stored(world, outcome), _ca(world), at=_after_expiry(signer))
    assert sealed.ok and sealed.level == "B-LTA"
    assert sealed.timestamped_by == "Shenzhen Office timestamping"


def test_the_embedded_crl_lists_the_office_s_revocations(world: World, tmp_path: Path) -> None:

    office = world.office()
    gone = _short_lived_lin_mei(world)
    revoke(office, gone.certificate, "left the programme")
    (world.office_dir / "issued" / f"{gone.certificate.serial_number:x}.pem").write_bytes(
        gone.certificate.public_bytes(serialization.Encoding.PEM)
    )
    _, _, outcome = _send_short_lived(world, tmp_path)

    reader = PdfFileReader(io.BytesIO(_stored(world, outcome).read_bytes()), strict=False)
    store = DocumentSecurityStore.read_dss(reader)
    [crl_ref] = store.crls
    crl = x509.load_der_x509_crl(crl_ref.get_object().data)
    assert crl.is_signature_valid(office.ca_cert.public_key())  # type: ignore[arg-type]
    assert crl.issuer == office.ca_cert.subject
    entry = crl.get_revoked_certificate_by_serial_number(gone.certificate.serial_number)
    assert entry is not None
    assert len(list(store.load_certs())) == 3  # signer, office TSA, office CA


def test_office_import_stores_the_report_sealed(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = exported(world, tmp_path)
    code = main(["office", "import", str(bundle), "--office-dir", str(world.office_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    revision = _revision_at_office(world, world.visit_uuid)
    stored = OfficeFolder(world.office_dir).report(world.visit_uuid, revision)
    code = main(["report", "verify", str(stored), "--ca", str(world.office_dir / "ca.pem")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Level: B-LTA — checked at" in out


def test_the_visit_page_says_a_later_revocation_leaves_the_report_valid(
    office: World, console: TestClient, tmp_path: Path
) -> None:
    signer, _, outcome = _send_short_lived(office, tmp_path)
    [visit] = outcome.visits
    db = open_office_db(office.office_dir)
    try:
        with db.session() as session:
            session.add(
                OfficeRevocation(
                    fingerprint=certs.fingerprint(signer.certificate),
                    serial_hex=f"{signer.certificate.serial_number:x}",
                    name="Lin Mei",
                    email="lin.mei@example.org",
                    reason="left the programme",
                    revoked_at=certs.utcnow() + dt.timedelta(hours=1),
                    revoked_by="test",
                )
            )
    finally:
        db.dispose()
    sign_in(console, "reviewer")
    page = console.get(f"/visits/{visit.uuid}").text
    assert "after the office&#39;s timestamp: the report stays valid" in page
    assert '<span class="badge valid">' in page
