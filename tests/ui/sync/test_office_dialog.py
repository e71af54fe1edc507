"""The "Send to office…" and "Fetch from office…" dialogs against a real office server on
127.0.0.1 (TLS from the office CA), as a specialist uses them: progress, cancel, resume,
receipt, refusal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ietp_desktop.cli import main
from ietp_desktop.i18n import set_language
from ietp_desktop.office.accounts import specialists
from ietp_desktop.office.folder import open_office_db
from ietp_desktop.services import settings
from ietp_desktop.services.sync import office_link
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Visit
from ietp_desktop.sync import office_client
from ietp_desktop.ui.sync.office_dialog import FetchDialog, SendDialog
from tests.bundle_world import SPECIALIST_PASSPHRASE, World, world, world_template
from tests.office.conftest import Server, start_server

__all__ = ["world", "world_template"]

SCREEN = (1366, 768)


@pytest.fixture
def server(world: World) -> Iterator[Server]:
    running = start_server(world.office_dir)
    yield running
    running.stop()


@pytest.fixture
def laptop(world: World) -> Iterator[Database]:
    db = world.laptop()
    yield db
    db.dispose()


def _status(db: Database, uuid: str) -> str:
    with db.session() as session:
        return session.scalars(select(Visit.status).where(Visit.uuid == uuid)).one()


def _send(qtbot: QtBot, dialog: SendDialog) -> None:
    dialog.passphrase_edit.setText(SPECIALIST_PASSPHRASE)
    dialog.start()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.waitUntil(lambda: ok.isEnabled() and dialog.last_message != "", timeout=60_000)
    qtbot.waitUntil(lambda: dialog.operation is not None and dialog.operation.done, timeout=5000)


def _fits_the_screen(dialog: SendDialog | FetchDialog, png: Path) -> None:
    dialog.show()
    size = dialog.size()
    assert size.width() <= SCREEN[0] and size.height() <= SCREEN[1]
    assert dialog.grab().save(str(png))


def test_send_marks_the_visits_received_and_remembers_the_address(
    qtbot: QtBot, world: World, server: Server, laptop: Database, tmp_path: Path
) -> None:
    dialog = SendDialog(laptop)
    qtbot.addWidget(dialog)
    assert dialog.url_edit.text() == ""  # asked the first time
    assert {world.visit_uuid, world.second_uuid} <= set(dialog.chosen())
    dialog.url_edit.setText(server.url)
    _send(qtbot, dialog)
    assert not dialog.failed, dialog.last_message
    assert "Shenzhen Office received bundle" in dialog.last_message
    assert "2 visits marked received." in dialog.last_message
    assert _status(laptop, world.visit_uuid) == "received"
    assert _status(laptop, world.second_uuid) == "received"
    assert office_link.pending_bundles(laptop) == []
    _fits_the_screen(dialog, tmp_path / "send-done.png")

    again = SendDialog(laptop)
    qtbot.addWidget(again)
    assert again.url_edit.text() == server.url  # remembered, not asked again
    assert settings.read(laptop, settings.OFFICE_URL) == server.url


def test_cancel_then_send_again_resumes_where_the_office_stopped(
    qtbot: QtBot,
    world: World,
    server: Server,
    laptop: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(office_client, "CHUNK_BYTES", 16 << 10)
    original = office_link.send_waiting
    dialog = SendDialog(laptop)
    qtbot.addWidget(dialog)
    dialog.url_edit.setText(server.url)

    def cancel_a_third_of_the_way(*args, progress, **kwargs):  # type: ignore[no-untyped-def]
        def watched(bundle: Path, done: int, total: int) -> None:
            if done >= total // 3 and dialog.operation is not None:
                dialog.operation.cancel()  # as the Cancel button does
            progress(bundle, done, total)

        return original(*args, progress=watched, **kwargs)

    monkeypatch.setattr(office_link, "send_waiting", cancel_a_third_of_the_way)
    _send(qtbot, dialog)
    assert "Sending cancelled" in dialog.last_message
    assert _status(laptop, world.visit_uuid) == "exported"  # not received
    [waiting] = office_link.pending_bundles(laptop)
    assert dialog.waiting_label.isVisible() or not dialog.isVisible()
    assert "1 bundle(s)" in dialog.waiting_label.text()
    assert dialog.chosen() == []  # the visits are in the waiting bundle

    monkeypatch.setattr(office_link, "send_waiting", original)
    statuses: list[str] = []
    again = SendDialog(laptop)
    qtbot.addWidget(again)
    again.relay.sig_status.connect(statuses.append)
    assert again.chosen() == []  # the visits are in the waiting bundle already
    _send(qtbot, again)
    assert not again.failed, again.last_message
    [result] = again.results
    assert result.bundle == waiting
    assert waiting.stat().st_size // 3 <= result.resumed_from < waiting.stat().st_size
    assert "Resumed from" in again.last_message
    assert "2 visits marked received." in again.last_message
    assert any("(resumed from" in line for line in statuses)
    assert _status(laptop, world.visit_uuid) == "received"
    assert office_link.pending_bundles(laptop) == []


def test_a_refusal_is_shown_in_chinese(
    qtbot: QtBot, world: World, server: Server, laptop: Database, tmp_path: Path
) -> None:
    office_db = open_office_db(world.office_dir)
    lin = next(
        s for s in specialists.list_specialists(world.office_dir, office_db) if s.name == "Lin Mei"
    )
    specialists.revoke(world.office_dir, office_db, lin.fingerprint, "laptop stolen", actor="test")
    office_db.dispose()
    set_language("zh")
    dialog = SendDialog(laptop)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "发送到办公室"
    dialog.url_edit.setText(server.url)
    _send(qtbot, dialog)
    assert dialog.failed
    assert "办公室已吊销本笔记本的证书" in dialog.last_message
    assert "此证书已于" in dialog.last_message  # the office's reason, translated here too
    assert "revoked on" not in dialog.last_message
    assert _status(laptop, world.visit_uuid) == "exported"
    _fits_the_screen(dialog, tmp_path / "send-refused-zh.png")


def test_an_unreachable_office_is_a_message_not_a_traceback(
    qtbot: QtBot, world: World, laptop: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office_client, "RETRIES", 0)
    dialog = SendDialog(laptop)
    qtbot.addWidget(dialog)
    dialog.url_edit.setText("https://127.0.0.1:9")  # nothing listens there
    _send(qtbot, dialog)
    assert dialog.failed
    assert "could not be reached" in dialog.last_message


def test_fetch_imports_what_the_office_published(
    qtbot: QtBot, world: World, server: Server, laptop: Database, tmp_path: Path
) -> None:
    office_link.send_to_office(laptop, server.url, passphrase=SPECIALIST_PASSPHRASE)
    office_db = open_office_db(world.office_dir)
    with office_db.session() as session:
        visit = session.scalars(select(Visit).where(Visit.uuid == world.visit_uuid)).one()
        ietp_id = visit.factory.ietp_id
    office_db.dispose()
    assign = [
        "office", "assign", "--office-dir", str(world.office_dir),
        "--specialist", "lin.mei@example.org", "--visit", f"{ietp_id}:2027-01-12", "--publish",
    ]  # fmt: skip
    assert main(assign) == 0
    dialog = FetchDialog(laptop)
    qtbot.addWidget(dialog)
    assert dialog.url_edit.text() == ""
    dialog.url_edit.setText(server.url)
    dialog.passphrase_edit.setText(SPECIALIST_PASSPHRASE)
    dialog.start()
    qtbot.waitUntil(lambda: bool(dialog.results) or dialog.failed, timeout=60_000)
    assert not dialog.failed, dialog.last_message
    assert "1 new visits" in dialog.last_message
    _fits_the_screen(dialog, tmp_path / "fetch-done.png")


def test_the_export_dialog_hands_its_visits_to_send_to_office(
    qtbot: QtBot, world: World, laptop: Database
) -> None:
    from ietp_desktop.ui.sync.bundle_page import ExportDialog

    export = ExportDialog(laptop)
    qtbot.addWidget(export)
    for index in range(export.visit_list.count()):
        item = export.visit_list.item(index)
        if item.data(Qt.ItemDataRole.UserRole) == world.second_uuid:
            item.setCheckState(Qt.CheckState.Unchecked)
    export.send_button.click()
    sending = export.send_dialog
    assert isinstance(sending, SendDialog)
    qtbot.addWidget(sending)
    assert sending.chosen() == [world.visit_uuid]
    assert sending.windowTitle() == "Send to office"
