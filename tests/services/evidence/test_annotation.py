"""An annotated photo is a new photo with the same links and the camera original's hash; the
blurred rectangle really hides what was there; the photo drawn on is unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from ietp_desktop.domain.errors import ValidationFailed
from ietp_desktop.services.evidence import attachments
from ietp_desktop.services.evidence.annotation import Mark, Shape, annotate_photo
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database


def _checkerboard(tmp_path: Path) -> Path:
    image = Image.new("RGB", (800, 600), (255, 255, 255))
    for x in range(0, 800, 20):
        for y in range(0, 600, 20):
            if (x // 20 + y // 20) % 2:
                image.paste((0, 0, 0), (x, y, x + 20, y + 20))
    path = tmp_path / "worker.png"
    image.save(path, "PNG")
    return path


def test_annotated_copy_keeps_links_and_original_hash(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    source = _checkerboard(tmp_path)
    photo = attachments.add_photo(db, started_visit, source, caption="Dorm", item_ids=("EH-02",))
    before = Path(photo.path).read_bytes()
    shapes = [
        Shape(Mark.BLUR, 100, 100, 300, 300),
        Shape(Mark.ARROW, 500, 500, 650, 350),
        Shape(Mark.CIRCLE, 400, 50, 520, 170),
        Shape(Mark.TEXT, 420, 560, 0, 0, "exit blocked"),
    ]
    copy = annotate_photo(db, started_visit, photo.id, shapes)
    assert copy.id != photo.id and copy.sha256 != photo.sha256
    assert copy.original_sha256 == photo.original_sha256
    assert copy.original_sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert copy.item_ids == ("EH-02",) and copy.caption == "Dorm (annotated)"
    assert Path(photo.path).read_bytes() == before  # the photo drawn on is unchanged
    assert len(load_detail(db, started_visit).attachments) == 2

    with Image.open(copy.path) as annotated:
        blurred = ImageStat.Stat(annotated.convert("L").crop((140, 140, 260, 260)))
        untouched = ImageStat.Stat(annotated.convert("L").crop((600, 100, 720, 220)))
        red = annotated.convert("RGB").getpixel((575, 425))
    assert blurred.stddev[0] < 30 < untouched.stddev[0]  # the squares are gone under the blur
    assert red[0] > 150 and red[1] < 100  # the arrow is drawn


def test_nothing_drawn_is_refused(db: Database, started_visit: str, tmp_path: Path) -> None:
    photo = attachments.add_photo(db, started_visit, _checkerboard(tmp_path), item_ids=("EH-02",))
    with pytest.raises(ValidationFailed, match="at least one mark"):
        annotate_photo(db, started_visit, photo.id, [])


def test_chinese_text_is_written(db: Database, started_visit: str, tmp_path: Path) -> None:
    plain = tmp_path / "plain.png"
    Image.new("RGB", (800, 600), (255, 255, 255)).save(plain)
    photo = attachments.add_photo(db, started_visit, plain, item_ids=("EH-02",))
    copy = annotate_photo(
        db, started_visit, photo.id, [Shape(Mark.TEXT, 100, 100, 0, 0, "安全出口堵塞")]
    )
    with Image.open(copy.path) as annotated:
        red = [annotated.getpixel((x, y)) for x in range(100, 400, 2) for y in range(100, 140, 2)]
    assert sum(1 for r, g, _b in red if r > 150 and g < 120) > 40  # glyphs, not empty boxes
