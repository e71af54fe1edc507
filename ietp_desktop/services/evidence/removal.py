"""Deleting a photo from a visit, and undoing it.

The stored file is content-addressed and shared, so deleting removes the photo's record and
links only; the file stays, and `restore_photo` brings the photo back exactly as it was
(same file, hash of the camera original, caption and links) for as long as the window
offers Undo, or later from the returned `DeletedPhoto`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ietp_desktop.domain.errors import NotFound
from ietp_desktop.services.dto import AttachmentView
from ietp_desktop.services.visits.read import _attachment_views, attachment_path
from ietp_desktop.services.visits.refs import require_editable, resolve_visit
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Attachment, AttachmentLink


@dataclass(frozen=True)
class DeletedPhoto:
    visit_uuid: str
    sha256: str
    original_sha256: str
    filename: str
    media_type: str
    width: int | None
    height: int | None
    size_bytes: int
    caption: str
    links: tuple[tuple[str | None, int | None], ...]  # (item id, finding id)


def delete_photo(db: Database, visit_ref: str | int, attachment_id: int) -> DeletedPhoto:
    """Remove the photo and all its links from the visit; what is needed to undo it."""
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        attachment = session.get(Attachment, attachment_id)
        if attachment is None or attachment.visit_id != visit.id:
            raise NotFound("no photo {attachment_id} in this visit", attachment_id=attachment_id)
        links = session.scalars(
            select(AttachmentLink).where(AttachmentLink.attachment_id == attachment.id)
        ).all()
        deleted = DeletedPhoto(
            visit_uuid=visit.uuid,
            sha256=attachment.sha256,
            original_sha256=attachment.original_sha256,
            filename=attachment.filename,
            media_type=attachment.media_type,
            width=attachment.width,
            height=attachment.height,
            size_bytes=attachment.size_bytes,
            caption=attachment.caption,
            links=tuple((link.item_id, link.finding_id) for link in links),
        )
        for link in links:
            session.delete(link)
        session.flush()
        session.delete(attachment)
    return deleted


def restore_photo(db: Database, deleted: DeletedPhoto) -> AttachmentView:
    """Undo `delete_photo`: the same file, caption and links come back."""
    if not Path(attachment_path(db, deleted.sha256)).exists():
        raise NotFound("the file of photo {file} is no longer stored", file=deleted.filename)
    with db.session() as session:
        visit = resolve_visit(session, deleted.visit_uuid)
        require_editable(visit)
        attachment = session.scalars(
            select(Attachment).where(
                Attachment.visit_id == visit.id, Attachment.sha256 == deleted.sha256
            )
        ).first()
        if attachment is None:
            attachment = Attachment(
                visit_id=visit.id,
                sha256=deleted.sha256,
                original_sha256=deleted.original_sha256,
                filename=deleted.filename,
                media_type=deleted.media_type,
                width=deleted.width,
                height=deleted.height,
                size_bytes=deleted.size_bytes,
                caption=deleted.caption,
            )
            session.add(attachment)
            session.flush()
        present = {
            (link.item_id, link.finding_id)
            for link in session.scalars(
                select(AttachmentLink).where(AttachmentLink.attachment_id == attachment.id)
            )
        }
        for item_id, finding_id in deleted.links:
            if (item_id, finding_id) not in present:
                session.add(
                    AttachmentLink(
                        attachment_id=attachment.id,
                        visit_id=visit.id,
                        item_id=item_id,
                        finding_id=finding_id,
                    )
                )
        session.flush()
        return next(v for v in _attachment_views(db, session, visit.id) if v.id == attachment.id)
