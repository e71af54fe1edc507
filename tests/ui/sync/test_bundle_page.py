"""The "Export for office" dialog and the receipt import, as a specialist uses them."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ietp_desktop.office.intake import import_bundles
from ietp_desktop.storage.models import Visit
from ietp_desktop.ui.sync.bundle_page import ExportDialog, import_file
from tests.bundle_world import SPECIALIST_PASSPHRASE, World, world, world_template

__all__ = ["world", "world_template"]


def test_export_dialog_exports_checked_visits_and_receipt_marks_them(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    db = world.laptop()
    dialog = ExportDialog(db)
    qtbot.addWidget(dialog)
    assert world.visit_uuid in dialog.chosen() and world.second_uuid in dialog.chosen()
    assert world.in_progress_uuid not in dialog.chosen()
    dialog.file_edit.setText(str(tmp_path / "for-office"))
    dialog.passphrase_edit.setText(SPECIALIST_PASSPHRASE)
    dialog.show()
    dialog.grab().save(str(tmp_path / "export-dialog.png"))
    dialog.start_export()
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=60_000)
    assert dialog.result_path == tmp_path / "for-office.ietpbundle"
    assert "Send it to the office" in dialog.last_message

    [outcome] = import_bundles(world.office_dir, [dialog.result_path])
    assert outcome.receipt is not None
    message = import_file(db, outcome.receipt, None)
    assert message.endswith("visits marked received by the office.")
    with db.session() as session:
        status = session.scalars(select(Visit.status).where(Visit.uuid == world.visit_uuid)).one()
    assert status == "received"
    db.dispose()


def test_wrong_passphrase_is_shown_in_the_dialog(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    db = world.laptop()
    dialog = ExportDialog(db)
    qtbot.addWidget(dialog)
    dialog.file_edit.setText(str(tmp_path / "x.ietpbundle"))
    dialog.passphrase_edit.setText("not the passphrase")
    dialog.start_export()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=60_000)
    assert "passphrase" in dialog.last_message.lower()
    assert not (tmp_path / "x.ietpbundle").exists()
    db.dispose()
