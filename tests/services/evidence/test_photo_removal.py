"""Deleting a photo removes it and its links from the visit; Undo brings back the same file,
hash of the original, caption and links. The stored file is never lost in between."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ietp_desktop.domain.errors import UserError
from ietp_desktop.services import settings
from ietp_desktop.services.evidence import attachments
from ietp_desktop.services.evidence.removal import delete_photo, restore_photo
from ietp_desktop.services.visits import lifecycle
from ietp_desktop.services.visits.read import load_detail
from ietp_desktop.storage.db import Database


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "exit.jpg"
    Image.new("RGB", (640, 480), (10, 120, 200)).save(path, "JPEG")
    return path


def test_delete_then_undo_restores_everything(
    db: Database, started_visit: str, tmp_path: Path
) -> None:
    view = attachments.add_photo(
        db, started_visit, _photo(tmp_path), caption="Blocked exit", item_ids=("EH-02", "EH-05")
    )
    deleted = delete_photo(db, started_visit, view.id)
    assert load_detail(db, started_visit).attachments == ()
    assert Path(view.path).exists()  # the file stays for Undo

    restored = restore_photo(db, deleted)
    assert (restored.sha256, restored.original_sha256) == (view.sha256, view.original_sha256)
    assert restored.caption == "Blocked exit"
    assert set(restored.item_ids) == {"EH-02", "EH-05"}
    assert [a.id for a in load_detail(db, started_visit).attachments] == [restored.id]


def test_a_closed_visit_keeps_its_photos(db: Database, started_visit: str, tmp_path: Path) -> None:
    view = attachments.add_photo(db, started_visit, _photo(tmp_path), item_ids=("EH-02",))
    lifecycle.refuse_visit(db, started_visit, "Factory closed the gate.")
    with pytest.raises(UserError):
        delete_photo(db, started_visit, view.id)
    assert len(load_detail(db, started_visit).attachments) == 1


def test_last_photo_folder_is_a_typed_setting(db: Database, tmp_path: Path) -> None:
    assert settings.read(db, settings.LAST_PHOTO_FOLDER) is None
    settings.write(db, (settings.LAST_PHOTO_FOLDER, tmp_path))
    assert settings.read(db, settings.LAST_PHOTO_FOLDER) == tmp_path
