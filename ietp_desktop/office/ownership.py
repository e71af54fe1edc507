"""Who may send the office a visit, and which revision they may send.

A visit belongs to the specialist the office assigned it to (`office assign` records it), or,
for a visit the laptop created itself, to whoever signed its first import. Another enrolled
specialist's bundle for that visit is refused with both names. Revisions move forward by at most
REVISION_WINDOW at a time, so nobody can push a visit to revision 2**62 and freeze it.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ietp_desktop.i18n import tr
from ietp_desktop.storage.models import Visit, VisitOwner, VisitRevision
from ietp_desktop.sync.bundle import BundleRefused, VerifiedBundle

REVISION_WINDOW = 20  # a laptop may reopen a signed visit a few times before it exports again


def _same_person(email: str, other: str) -> bool:
    return email.strip().casefold() == other.strip().casefold()


def check_sender(session: Session, bundle: VerifiedBundle, visit_uuid: str, revision: int) -> None:
    """Refuse the bundle unless its signer owns the visit and the revision is within reach."""
    signer = bundle.signer
    owner = session.get(VisitOwner, visit_uuid)
    existing = session.scalars(select(Visit).where(Visit.uuid == visit_uuid)).first()
    if owner is not None:
        owner_email, owner_name = owner.specialist_email, owner.specialist_name
    elif existing is not None and existing.specialist_email:
        # imported before owners were recorded: the visit's own specialist stands in
        owner_email, owner_name = existing.specialist_email, existing.specialist_name
    else:
        owner_email = owner_name = ""
    if owner_email and not _same_person(owner_email, signer.email):
        raise BundleRefused(
            bundle.path,
            tr(
                "visit {id} belongs to {owner}; this bundle is signed by {signer}",
                id=visit_uuid[:8],
                owner=f"{owner_name} <{owner_email}>",
                signer=f"{signer.name} <{signer.email}>",
            ),
        )
    highest = 0
    if existing is not None:
        stored = session.scalar(
            select(func.max(VisitRevision.revision)).where(VisitRevision.visit_id == existing.id)
        )
        highest = int(stored or existing.revision or 0)
    if revision > highest + REVISION_WINDOW:
        raise BundleRefused(
            bundle.path,
            tr(
                "visit {id} revision {revision} is too far ahead: the office holds revision "
                "{highest} and accepts up to {limit}",
                id=visit_uuid[:8],
                revision=revision,
                highest=highest,
                limit=highest + REVISION_WINDOW,
            ),
        )


def record_first_sender(session: Session, bundle: VerifiedBundle, visit_uuid: str) -> None:
    if session.get(VisitOwner, visit_uuid) is None:
        session.add(
            VisitOwner(
                visit_uuid=visit_uuid,
                specialist_email=bundle.signer.email,
                specialist_name=bundle.signer.name,
                cert_sha256=bundle.signer.fingerprint,
                origin="first-import",
            )
        )
