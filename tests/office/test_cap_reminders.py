"""Reminders: the bilingual letter, the e-mail sent through a local SMTP server, the outbox
listing what was sent and what could not be; the command and the console page."""

from __future__ import annotations

import email
import io
import json
from datetime import date
from email.message import Message
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from ietp_desktop.cli import main
from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.cap_followup import reminders
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.storage.models import Factory

from ..bundle_world import World
from .review_world import office_db, receive
from .smtp_sink import smtp_sink

FACTORY = "IETP-GD-10231"


@pytest.fixture
def received(office: World, tmp_path: Path) -> World:
    world = receive(office, tmp_path)
    db = office_db(world)
    with db.session() as session:
        session.execute(
            update(Factory)
            .where(Factory.ietp_id == FACTORY)
            .values(contact_email="hr@hongda.example")
        )
    db.dispose()
    return world


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_letter_and_mail_reach_the_smtp_server(received: World) -> None:
    db = office_db(received)
    today = date(2027, 1, 15)  # after the lines' due date: all overdue
    try:
        reminder = reminders.reminder_for(db, FACTORY, today)
        assert reminder.overdue == len(reminder.lines) > 0
        text = _pdf_text(reminders.letter_pdf(reminder, today))
        assert "Corrective Action Plan: reminder" in text and "纠正措施计划" in text
        assert all(line.finding_code in text for line in reminder.lines)

        unsent = reminders.send_reminders(db, received.office_dir, actor="rex", role="reviewer")
        assert [(r.status, r.problem) for r in unsent] == [
            ("not-sent", "no SMTP server is configured")
        ]
        with pytest.raises(UserError, match="read-only user may not send reminders"):
            reminders.send_reminders(db, received.office_dir, actor="rory", role="read-only")

        with smtp_sink() as sink:
            OfficeFolder(received.office_dir).smtp_config.write_text(
                json.dumps({"host": sink.host, "port": sink.port, "sender": "ietp@office.example"})
            )
            sent = reminders.send_reminders(
                db, received.office_dir, actor="rex", role="reviewer", today=today
            )
        assert [(r.factory_ietp_id, r.status, r.recipient) for r in sent] == [
            (FACTORY, "sent", "hr@hongda.example")
        ]
        assert len(sink.messages) == 1
        got = sink.messages[0]
        assert got.recipients == ["hr@hongda.example"] and got.sender == "ietp@office.example"
        message: Message = email.message_from_bytes(got.data)
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        assert subject.startswith(f"CAP reminder: {len(reminder.lines)} open line(s)")
        assert "纠正措施提醒" in subject
        parts = {p.get_content_type(): p for p in message.walk()}
        body = parts["text/plain"].get_payload(decode=True).decode()  # type: ignore[union-attr]
        assert "past the due date (as of 2027-01-15)" in body and "已逾期" in body
        pdf = parts["application/pdf"].get_payload(decode=True)
        assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")

        listed = reminders.outbox(db)
        assert [r.status for r in listed] == ["sent", "not-sent"]
    finally:
        db.dispose()


def test_a_refusing_server_is_listed_as_failed_and_the_commands(
    received: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = str(received.office_dir)
    OfficeFolder(received.office_dir).smtp_config.write_text(
        json.dumps({"host": "127.0.0.1", "port": 9})  # nothing listens there
    )
    letters = tmp_path / "letters"
    code = main(["office", "cap", "remind", "--office-dir", office, "--letters", str(letters)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{FACTORY}: failed" in out
    assert (letters / f"cap-reminder-{FACTORY}.pdf").read_bytes().startswith(b"%PDF")
    assert main(["office", "cap", "outbox", "--office-dir", office, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["factory_ietp_id"], r["status"]) for r in rows] == [(FACTORY, "failed")]
    assert rows[0]["problem"]


def test_reminders_page_per_role(received: World) -> None:
    from starlette.testclient import TestClient

    from ietp_desktop.office.console.app import create_app
    from ietp_desktop.office.console.config import ConsoleConfig

    from .conftest import csrf_of, sign_in

    app = create_app(ConsoleConfig(received.office_dir, secure_cookies=False))
    with (
        TestClient(app, base_url="http://127.0.0.1") as reader,
        TestClient(app, base_url="http://127.0.0.1") as coordinator,
    ):
        sign_in(reader, "read-only")
        sign_in(coordinator, "coordinator")
        page = reader.get("/cap/reminders").text
        assert FACTORY in page and "No SMTP server is configured" in page
        assert "Send to every factory" not in page
        letter = reader.get(f"/cap/reminders/letter?factory={FACTORY}")
        assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
        assert reader.get("/cap/reminders/letter?factory=NOPE").status_code == 404
        refused = reader.post("/cap/reminders", data={"csrf": csrf_of(page)})
        assert refused.status_code == 403
        form = coordinator.get("/cap/reminders").text
        assert "Send to every factory" in form
        forged = coordinator.post("/cap/reminders", data={"csrf": "x"})
        assert forged.status_code == 403
        done = coordinator.post("/cap/reminders", data={"csrf": csrf_of(form), "factory": FACTORY})
        assert "the outbox shows which were sent" in done.text
        assert "Not sent" in done.text and "hr@hongda.example" in done.text
