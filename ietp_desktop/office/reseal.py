"""Seal the reports an office stored before it sealed reports at import (`office seal-reports`).

A stored report is sealed only if its signature verifies now, at B-B, with a signer that is not
revoked: the office's timestamp then proves it was valid today. One whose certificate already
expired cannot be helped and stays as it is, listed with the reason. The file is sealed first
and recorded after; a run stopped in between is completed by the next one (the original's size
is where the specialist's signature ends).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ietp_desktop.i18n import tr
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.report_seal import (
    ReportSealer,
    Seal,
    console_revocations,
    record_seals,
    seal_of,
    signed_size,
)
from ietp_desktop.office.revocation import read_revocations
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.reports.signing import verify_pdf
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.security.office_ca import Office
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit, VisitRevision
from ietp_desktop.storage.office_ltv_models import OfficeReportSeal
from ietp_desktop.storage.office_models import OfficeReportCheck, OfficeRevocation


@dataclass(frozen=True)
class ResealOutcome:
    uuid: str
    revision: int
    result: str  # sealed | kept
    message: str = ""

    @property
    def sealed(self) -> bool:
        return self.result == "sealed"


@dataclass(frozen=True)
class _Stored:
    uuid: str
    revision: int
    result: str = "imported"  # what record_seals reads


def _unsealed(database: Database) -> list[tuple[int, str, int]]:
    with database.session() as session:
        rows = session.execute(
            select(Visit.id, Visit.uuid, VisitRevision.revision)
            .join(VisitRevision, VisitRevision.visit_id == Visit.id)
            .outerjoin(
                OfficeReportSeal,
                (OfficeReportSeal.visit_id == Visit.id)
                & (OfficeReportSeal.revision == VisitRevision.revision),
            )
            .where(OfficeReportSeal.visit_id.is_(None))
            .order_by(Visit.uuid, VisitRevision.revision)
        ).all()
    return [(int(r[0]), str(r[1]), int(r[2])) for r in rows]


def seal_stored_reports(office: Office, database: Database, actor: str) -> list[ResealOutcome]:
    """Seal every stored report without a seal that still verifies; each one is written and
    recorded on its own (a report sealed stays sealed if a later one fails)."""
    folder = OfficeFolder(office.info.directory)
    ca_pem = (Path(office.info.directory) / "ca.pem").read_bytes()
    revoked = {
        r.cert_sha256: r.revoked_at for r in read_revocations(office.info.directory, office.ca_cert)
    }
    with database.session() as session:
        revoked.update(
            {r.fingerprint: r.revoked_at for r in session.scalars(select(OfficeRevocation))}
        )
    sealer = ReportSealer(office, console_revoked=console_revocations(database))
    outcomes: list[ResealOutcome] = []
    for visit_id, uuid, revision in _unsealed(database):
        path = folder.report(uuid, revision)
        if not path.is_file():
            continue
        verdict = verify_pdf(path, ca_pem, revocations=revoked)
        data = path.read_bytes()
        if verdict.ok and verdict.level == "B-LTA" and verdict.timestamped_at is not None:
            # sealed by an earlier run that stopped before recording it
            original = data[: signed_size(data)]
            sealed, stamped = data, verdict.timestamped_at
        elif verdict.ok and verdict.level == "B-B":
            original = data
            sealed = sealer.seal(original)
            atomic_write_bytes(path, sealed)
            after = verify_pdf(path, ca_pem)
            if not after.ok or after.timestamped_at is None:
                atomic_write_bytes(path, original)
                outcomes.append(ResealOutcome(uuid, revision, "kept", after.level))
                continue
            stamped = after.timestamped_at
        else:
            reason = (
                verdict.problem.text()
                if verdict.problem
                else verdict.damage or tr("the report does not verify now")
            )
            outcomes.append(ResealOutcome(uuid, revision, "kept", reason))
            continue
        seal = Seal(
            hashlib.sha256(original).hexdigest(),
            len(original),
            hashlib.sha256(sealed).hexdigest(),
            "B-LTA",
            stamped,
            sealer.tsa_fingerprint,
        )
        with database.session() as session:
            if seal_of(session, visit_id, revision) is None:
                record_seals(session, {(uuid, revision): seal}, [_Stored(uuid, revision)])
                check = session.get(OfficeReportCheck, (visit_id, revision))
                if check is not None:
                    session.delete(check)  # verified again, as sealed, when next shown
                audit.record(session, actor, "report.seal", f"{uuid} r{revision}", "B-LTA")
        outcomes.append(ResealOutcome(uuid, revision, "sealed"))
    return outcomes
