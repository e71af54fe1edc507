"""Annotating a photo: arrows, circles, text and blurred rectangles (faces, names) drawn on a
copy. The copy is a new photo of the visit with the same links; it keeps the camera
original's hash, and the photo it was drawn on stays as it was."""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from sqlalchemy import select

from ietp_desktop.domain.errors import NotFound, ValidationFailed
from ietp_desktop.paths import resources_dir
from ietp_desktop.services.dto import AttachmentView
from ietp_desktop.services.evidence.attachments import PreparedImage, _store_file
from ietp_desktop.services.visits.read import _attachment_views, attachment_path
from ietp_desktop.services.visits.refs import require_editable, resolve_visit
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Attachment, AttachmentLink

CJK_FONT = resources_dir() / "fonts" / "wqy-microhei.ttc"  # shipped; writes 出口 and exit
MARK_COLOUR = (230, 20, 20)
BLUR_RADIUS = 24


class Mark(StrEnum):
    ARROW = "arrow"
    CIRCLE = "circle"
    TEXT = "text"
    BLUR = "blur"


@dataclass(frozen=True)
class Shape:
    """A mark in the photo's own pixels: from (x0, y0) to (x1, y1); text at (x0, y0)."""

    mark: Mark
    x0: int
    y0: int
    x1: int
    y1: int
    text: str = ""


def _box(shape: Shape) -> tuple[int, int, int, int]:
    return (
        min(shape.x0, shape.x1),
        min(shape.y0, shape.y1),
        max(shape.x0, shape.x1),
        max(shape.y0, shape.y1),
    )


def _arrow(draw: ImageDraw.ImageDraw, shape: Shape, width: int) -> None:
    draw.line((shape.x0, shape.y0, shape.x1, shape.y1), fill=MARK_COLOUR, width=width)
    angle = math.atan2(shape.y1 - shape.y0, shape.x1 - shape.x0)
    head = width * 5
    for side in (-0.5, 0.5):
        draw.line(
            (
                shape.x1,
                shape.y1,
                shape.x1 - head * math.cos(angle + side),
                shape.y1 - head * math.sin(angle + side),
            ),
            fill=MARK_COLOUR,
            width=width,
        )


def draw_marks(image: Image.Image, shapes: list[Shape]) -> Image.Image:
    """A copy of `image` with the marks; blurs first, so a mark is never blurred away."""
    out = image.convert("RGB")
    for shape in shapes:
        if shape.mark is Mark.BLUR:
            box = _box(shape)
            if box[2] > box[0] and box[3] > box[1]:
                region = out.crop(box).filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
                out.paste(region, box[:2])
    draw = ImageDraw.Draw(out)
    width = max(3, max(out.size) // 300)
    for shape in shapes:
        if shape.mark is Mark.ARROW:
            _arrow(draw, shape, width)
        elif shape.mark is Mark.CIRCLE:
            draw.ellipse(_box(shape), outline=MARK_COLOUR, width=width)
        elif shape.mark is Mark.TEXT and shape.text.strip():
            font = ImageFont.truetype(str(CJK_FONT), size=max(18, max(out.size) // 40))
            draw.text((shape.x0, shape.y0), shape.text, fill=MARK_COLOUR, font=font)
    return out


def annotate_photo(
    db: Database, visit_ref: str | int, attachment_id: int, shapes: list[Shape]
) -> AttachmentView:
    """Store the annotated copy as a new photo with the same links; returns it."""
    if not shapes:
        raise ValidationFailed("draw at least one mark before saving the annotated photo")
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        require_editable(visit)
        source = session.get(Attachment, attachment_id)
        if source is None or source.visit_id != visit.id:
            raise NotFound("no photo {attachment_id} in this visit", attachment_id=attachment_id)
        path = Path(attachment_path(db, source.sha256))
        original_sha, name, caption = source.original_sha256, source.filename, source.caption
        links = [
            (link.item_id, link.finding_id)
            for link in session.scalars(
                select(AttachmentLink).where(AttachmentLink.attachment_id == source.id)
            )
        ]
    with Image.open(path) as opened:
        marked = draw_marks(opened, shapes)
    buffer = io.BytesIO()
    marked.save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    prepared = PreparedImage(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        original_sha256=original_sha,  # still proves which camera file it came from
        media_type="image/jpeg",
        width=marked.width,
        height=marked.height,
    )
    _store_file(db, prepared)
    with db.session() as session:
        visit = resolve_visit(session, visit_ref)
        copy = Attachment(
            visit_id=visit.id,
            sha256=prepared.sha256,
            original_sha256=prepared.original_sha256,
            filename=f"{Path(name).stem}-annotated.jpg",
            media_type=prepared.media_type,
            width=prepared.width,
            height=prepared.height,
            size_bytes=len(data),
            caption=f"{caption or name} (annotated)",
        )
        session.add(copy)
        session.flush()
        for item_id, finding_id in links:
            session.add(
                AttachmentLink(
                    attachment_id=copy.id,
                    visit_id=visit.id,
                    item_id=item_id,
                    finding_id=finding_id,
                )
            )
        session.flush()
        return next(v for v in _attachment_views(db, session, visit.id) if v.id == copy.id)
