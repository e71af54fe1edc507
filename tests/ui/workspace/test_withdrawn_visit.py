"""A visit the office moved to another specialist or cancelled: the laptop keeps everything
typed, lists it as withdrawn with the office's reason, and opens it read-only with a banner."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from ietp_desktop.services.visits import answers, lifecycle
from ietp_desktop.services.visits.withdrawals import apply_withdrawals
from ietp_desktop.storage.db import Database
from tests.ui.driver import go_to_section, open_in_window, visit_in_progress

REASON = "Moved to Zhang Wei: Lin is on leave 林梅休假"


def _withdraw(db: Database, uuid: str) -> None:
    with db.session() as session:
        withdrawn, unknown = apply_withdrawals(
            session,
            [
                {
                    "visit_uuid": uuid,
                    "kind": "moved",
                    "reason": REASON,
                    "withdrawn_by": "cora",
                    "withdrawn_at": "2026-12-01T09:00:00+00:00",
                }
            ],
            "Shenzhen Office",
        )
    assert (withdrawn, unknown) == ([uuid], [])


def test_a_withdrawn_visit_is_listed_with_the_reason_and_opens_read_only(
    qtbot: QtBot, db: Database, shots: Path
) -> None:
    uuid = visit_in_progress(db)
    first = db_first_item(db, uuid)
    answers.set_note(db, uuid, first, "Typed at the gate 门口记录")
    planned = lifecycle.plan_visit(db, "IETP-GD-77001", date.today(), specialist_name="Tester")
    _withdraw(db, uuid)

    window, workspace = open_in_window(qtbot, db, uuid)
    assert workspace.banner.isVisible()
    assert workspace.banner_text.text() == (
        f"Withdrawn by the office: {REASON}. Everything typed is kept; the visit is read-only "
        "and is not sent."
    )
    assert not workspace.unlock_button.isVisible()
    page = go_to_section(qtbot, workspace, workspace.form.sections[0].id)
    row = page.rows[first]
    note_editors = [w for w in row.findChildren(QPlainTextEdit) + row.findChildren(QLineEdit)]
    assert note_editors and all(w.isReadOnly() for w in note_editors)
    assert not any(
        b.isEnabled()
        for b in row.findChildren(QAbstractButton) + row.findChildren(QComboBox)
        if not b.property("ietp_keep_enabled")
    )
    assert any(
        "Typed at the gate 门口记录" in w.toPlainText() for w in row.findChildren(QPlainTextEdit)
    ) or any("Typed at the gate 门口记录" in w.text() for w in row.findChildren(QLineEdit))
    window.resize(1366, 768)
    window.grab().save(str(shots / "withdrawn_visit_workspace.png"))
    window.language_actions["zh"].trigger()
    assert workspace.banner_text.text().startswith(f"已被办公室撤回：{REASON}。")
    window.language_actions["en"].trigger()

    window.show_list()
    window.reload_lists()
    model = window.visit_table.model()
    statuses = {
        model.data(model.index(r, 3)): model.data(model.index(r, 1))
        for r in range(model.rowCount())
    }
    assert f"Withdrawn by the office — {REASON}" in statuses
    assert "Planned" in statuses  # the other visit is untouched
    assert planned.uuid
    window.grab().save(str(shots / "withdrawn_visit_list.png"))
    window.language_actions["zh"].trigger()
    model = window.visit_table.model()
    texts = [model.data(model.index(r, 3)) for r in range(model.rowCount())]
    assert f"已被办公室撤回 — {REASON}" in texts
    window.grab().save(str(shots / "withdrawn_visit_list_zh.png"))
    window.language_actions["en"].trigger()


def db_first_item(db: Database, uuid: str) -> str:
    from ietp_desktop.services.catalogue import definitions
    from ietp_desktop.services.visits.read import load_detail

    detail = load_detail(db, uuid)
    return definitions.form_definition(db, detail.form_sha256).sections[0].items[0].id


def test_a_signed_visit_the_office_withdrew_says_so_in_its_banner_and_the_list(
    qtbot: QtBot, db: Database, shots: Path
) -> None:
    from ietp_desktop.storage.models import Visit

    uuid = visit_in_progress(db)
    with db.session() as session:
        session.query(Visit).filter_by(uuid=uuid).one().status = "signed"
    _withdraw(db, uuid)

    window, workspace = open_in_window(qtbot, db, uuid)
    text = workspace.banner_text.text()
    assert "signed (revision 1) and read-only" in text  # the status is kept
    withdrawn_on = load_withdrawn_on(db, uuid)
    assert (
        f"The office withdrew this visit on {withdrawn_on}: {REASON}. The office decides what "
        "happens to it." in text
    )
    window.resize(1366, 768)
    window.grab().save(str(shots / "withdrawn_signed_visit_workspace.png"))
    window.language_actions["zh"].trigger()
    assert f"办公室已于 {withdrawn_on} 撤回此访问：{REASON}。" in workspace.banner_text.text()
    window.grab().save(str(shots / "withdrawn_signed_visit_workspace_zh.png"))
    window.language_actions["en"].trigger()

    window.show_list()
    window.reload_lists()
    model = window.visit_table.model()
    statuses = [model.data(model.index(r, 3)) for r in range(model.rowCount())]
    assert f"Signed · withdrawn by the office — {REASON}" in statuses


def load_withdrawn_on(db: Database, uuid: str) -> str:
    from ietp_desktop.services.visits.read import load_detail

    withdrawal = load_detail(db, uuid).withdrawal
    assert withdrawal is not None
    return withdrawal.withdrawn_at.astimezone().date().isoformat()
