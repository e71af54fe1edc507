"""Evidence photos: downscaled on import, stored content-addressed, linked to items/findings.

Files live under <data dir>/attachments/<first two hex digits>/<sha256>; the original's hash
is kept so the specialist can prove which camera file a stored photo came from.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ietp_desktop.domain.errors import NotFound, UserError, ValidationFailed
from ietp_desktop.security.atomic import atomic_write_bytes
from ietp_desktop.services.dto import AttachmentView
from ietp_desktop.services.outcome.findings import resolve_finding
from ietp_desktop.services.visits.read import _attachment_views, attachment_path
from ietp_desktop.services.visits.refs import require_editable, resolve_visit
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Attachment, AttachmentLink, Visit

MAX_LONG_SIDE = 2048
MAX_FILE_BYTES = 80 * 1024 * 1024
Image.MAX_IMAGE_PIXELS = 120_000_000  # refuses decompression bombs, allows 100 MP cameras


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    sha256: str
    original_sha256: str
    media_type: str
    width: int
    height: int


def prepare_image(source: Path) -> PreparedImage:
    """Read a photo, apply its EXIF rotation and downscale it to 2048 px on the long side."""
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise UserError(
            "cannot read {source}: {reason}", source=source, reason=exc.strerror
        ) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise ValidationFailed(
            "{source} is larger than {limit} MB", source=source.name, limit=MAX_FILE_BYTES // 2**20
        )
    original_sha = hashlib.sha256(raw).hexdigest()
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            image = ImageOps.exif_transpose(opened)
            fmt = opened.format
            needs_resize = max(image.size) > MAX_LONG_SIDE
            if not needs_resize and fmt in ("JPEG", "PNG") and image is opened:
                data, media = raw, f"image/{fmt.lower()}"
                width, height = image.size
            else:
                image.thumbnail((MAX_LONG_SIDE, MAX_LONG_SIDE), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                if image.mode in ("RGBA", "LA", "P") and fmt == "PNG":
                    image.save(out, "PNG", optimize=True)
                    media = "image/png"
                else:
                    image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
                    media = "image/jpeg"
                data = out.getvalue()
                width, height = image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise ValidationFailed(
            "{source} is not a photo this program can read ({reason})",
            source=source.name,
            reason=exc,
        ) from exc
    return PreparedImage(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        original_sha256=original_sha,
        media_type=media,
        width=width,
        height=height,
    )


def _store_file(db: Database, prepared: PreparedImage) -> None:
    target = Path(attachment_path(db, prepared.sha256))
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            atomic_write_bytes(target, prepared.data)
        except OSError as exc:
            raise UserError(
                "could not store the photo in {parent}: {reason}",
                parent=target.parent,
                reason=exc.strerror,
            ) from exc


def _link(
    session: Session,
    visit: Visit,
    attachment: Attachment,
    item_ids: tuple[str, ...],
    finding_refs: tuple[str | int, ...],
) -> None:
    existing = {
        (link.item_id, link.finding_id)
        for link in session.scalars(
            select(AttachmentLink).where(AttachmentLink.attachment_id == attachment.id)
        )
    }
    wanted = [(item_id, None) for item_id in item_ids] + [
        (None, resolve_finding(session, visit, ref).id) for ref in finding_refs
    ]
    for item_id, finding_id in wanted:
        if (item_id, finding_id) not in existing:
            session.add(
                AttachmentLink(
                    attachment_id=attachment.id,
                    visit_id=visit.id,
                    item_id=item_id,
                    finding_id=finding_id,
                )
            )


def add_photo(
    db: Database,
    visit_ref: str | int,
    source: Path,
    *,
    caption: str = "",
    item_ids: tuple[str, ...] = (),
    finding_refs: tuple[str | int, ...] = (),
) -> AttachmentView:
    """Attach a photo; the same photo attached again only gains the new links."""
    prepared = prepare_image(Path(source))
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
    _store_file(db, prepared)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        attachment = session.scalars(
            select(Attachment).where(
                Attachment.visit_id == visit.id, Attachment.sha256 == prepared.sha256
            )
        ).first()
        if attachment is None:
            attachment = Attachment(
                visit_id=visit.id,
                sha256=prepared.sha256,
                original_sha256=prepared.original_sha256,
                filename=Path(source).name,
                media_type=prepared.media_type,
                width=prepared.width,
                height=prepared.height,
                size_bytes=len(prepared.data),
                caption=caption,
            )
            session.add(attachment)
            session.flush()
        elif caption and not attachment.caption:
            attachment.caption = caption
        _link(session, visit, attachment, item_ids, finding_refs)
        session.flush()
        return next(v for v in _attachment_views(db, session, visit.id) if v.id == attachment.id)


def _attachment(session: Session, visit: Visit, attachment_id: int) -> Attachment:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.visit_id != visit.id:
        raise NotFound("no photo {attachment_id} in this visit", attachment_id=attachment_id)
    return attachment


def link_photo(
    db: Database,
    visit_ref: str | int,
    attachment_id: int,
    *,
    item_ids: tuple[str, ...] = (),
    finding_refs: tuple[str | int, ...] = (),
) -> None:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        _link(session, visit, _attachment(session, visit, attachment_id), item_ids, finding_refs)


def set_caption(db: Database, visit_ref: str | int, attachment_id: int, caption: str) -> None:
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        _attachment(session, visit, attachment_id).caption = caption


def unlink_photo(
    db: Database,
    visit_ref: str | int,
    attachment_id: int,
    *,
    item_id: str | None = None,
    finding_id: int | None = None,
) -> None:
    """Remove one link; a photo left with no link is removed from the visit."""
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        attachment = _attachment(session, visit, attachment_id)
        for link in session.scalars(
            select(AttachmentLink).where(AttachmentLink.attachment_id == attachment.id)
        ):
            if (item_id and link.item_id == item_id) or (
                finding_id and link.finding_id == finding_id
            ):
                session.delete(link)
        session.flush()
        remaining = session.scalars(
            select(AttachmentLink).where(AttachmentLink.attachment_id == attachment.id)
        ).first()
        if remaining is None:
            session.delete(attachment)
