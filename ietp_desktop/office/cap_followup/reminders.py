"""Reminders to factories about their open and overdue CAP lines: a bilingual letter (PDF),
the e-mail text, and an outbox that sends through the office's SMTP server when one is
configured (`<office>/smtp.json`) and lists every reminder written, sent or not.

smtp.json: {"host": "mail.example.org", "port": 587, "sender": "ietp@example.org",
"starttls": true, "username": "ietp"}; the password comes from IETP_SMTP_PASSWORD.
"""

from __future__ import annotations

import io
import json
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.i18n import tr
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.cap_followup import tracker
from ietp_desktop.office.review.decisions import may_act
from ietp_desktop.paths import OfficeFolder
from ietp_desktop.storage.db import Database
from ietp_desktop.storage.models import Factory
from ietp_desktop.storage.office_review_models import OfficeReminder
from ietp_desktop.storage.types import utcnow

PASSWORD_ENV = "IETP_SMTP_PASSWORD"
SMTP_TIMEOUT = 30


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 25
    sender: str = ""
    starttls: bool = False
    username: str = ""


@dataclass(frozen=True)
class Reminder:
    factory_ietp_id: str
    factory_en: str
    factory_zh: str
    recipient: str
    lines: tuple[tracker.TrackerLine, ...]

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.lines if line.status == tracker.OVERDUE)


@dataclass(frozen=True)
class OutboxRow:
    at: datetime
    factory_ietp_id: str
    recipient: str
    subject: str
    open_lines: int
    overdue_lines: int
    status: str
    problem: str
    created_by: str


def smtp_config(office_dir: Path) -> SmtpConfig | None:
    path = OfficeFolder(Path(office_dir)).smtp_config
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return SmtpConfig(
            host=str(raw["host"]),
            port=int(raw.get("port", 25)),
            sender=str(raw.get("sender", "")),
            starttls=bool(raw.get("starttls", False)),
            username=str(raw.get("username", "")),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError("{file} cannot be read: {error}", file=path, error=exc) from exc


def due_reminders(
    database: Database, factory: str = "", today: date | None = None
) -> list[Reminder]:
    """One reminder per factory that has CAP lines not closed, with those lines."""
    with database.session() as session:
        lines = [
            line
            for line in tracker.query_lines(
                session, tracker.CapFilter(factory=factory), today=today
            )
            if line.status != tracker.CLOSED
        ]
        emails = dict(session.execute(select(Factory.ietp_id, Factory.contact_email)).all())
    grouped: dict[str, list[tracker.TrackerLine]] = {}
    for line in lines:
        grouped.setdefault(line.factory_ietp_id, []).append(line)
    return [
        Reminder(
            ietp_id,
            found[0].factory_en,
            found[0].factory_zh,
            str(emails.get(ietp_id) or ""),
            tuple(found),
        )
        for ietp_id, found in sorted(grouped.items())
    ]


def _both(msgid: str, **values: object) -> str:
    return f"{tr(msgid, language='en', **values)} / {tr(msgid, language='zh', **values)}"


def subject_of(reminder: Reminder) -> str:
    return _both(
        "CAP reminder: {count} open line(s), {overdue} overdue",
        count=len(reminder.lines),
        overdue=reminder.overdue,
    )


def email_text(reminder: Reminder, today: date) -> str:
    """The e-mail body: English, then Chinese, then the lines."""
    parts = []
    for language in ("en", "zh"):
        parts.append(
            tr(
                "Dear {factory},\n\nyour Corrective Action Plan still has {count} open line(s), "
                "{overdue} of them past the due date (as of {day}). Please send the remediation "
                "records for each line, or explain the delay. The attached letter lists the "
                "lines.\n\nIETP office",
                language=language,
                factory=reminder.factory_zh
                if language == "zh" and reminder.factory_zh
                else reminder.factory_en,
                count=len(reminder.lines),
                overdue=reminder.overdue,
                day=today.isoformat(),
            )
        )
    rows = [
        f"- {line.finding_code} ({line.visit_uuid[:8]}): {line.corrective_action or '-'}; "
        f"{line.responsible or '-'}; {line.due_date.isoformat() if line.due_date else '-'}; "
        f"{_both(tracker.STATUS_LABELS[line.status])}"
        for line in reminder.lines
    ]
    return "\n\n".join(parts) + "\n\n" + "\n".join(rows) + "\n"


def letter_pdf(reminder: Reminder, today: date) -> bytes:
    """The bilingual reminder letter, in the report fonts (Chinese embedded)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from ietp_desktop.reports.fonts import LATIN, LATIN_BOLD, markup, register_fonts

    register_fonts()
    body = ParagraphStyle("body", fontName=LATIN, fontSize=9.5, leading=13)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    title = ParagraphStyle("title", parent=body, fontName=LATIN_BOLD, fontSize=14, leading=18)
    names = f"{reminder.factory_en} {reminder.factory_zh}".strip()
    story: list[object] = [
        Paragraph(markup(_both("Corrective Action Plan: reminder")), title),
        Spacer(1, 3 * mm),
        Paragraph(markup(f"{names} ({reminder.factory_ietp_id}) · {today.isoformat()}"), body),
        Spacer(1, 4 * mm),
    ]
    for paragraph in email_text(reminder, today).split("\n\n")[:2]:
        story.append(Paragraph(markup(paragraph), body))
        story.append(Spacer(1, 3 * mm))
    header = [
        Paragraph(markup(_both(h)), small)
        for h in ("Finding", "Corrective action", "Responsible", "Due date", "Status")
    ]
    rows = [header] + [
        [
            Paragraph(markup(f"{line.finding_code}\n{line.visit_uuid[:8]}"), small),
            Paragraph(markup(line.corrective_action or "–"), small),
            Paragraph(markup(line.responsible or "–"), small),
            Paragraph(line.due_date.isoformat() if line.due_date else "–", small),
            Paragraph(markup(_both(tracker.STATUS_LABELS[line.status])), small),
        ]
        for line in reminder.lines
    ]
    table = Table(rows, colWidths=[22 * mm, 70 * mm, 35 * mm, 22 * mm, 31 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, "#9aa3b2"),
                ("BACKGROUND", (0, 0), (-1, 0), "#e7e9ee"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    stream = io.BytesIO()
    document = SimpleDocTemplate(
        stream,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title="CAP reminder",
    )
    document.build(story)
    return stream.getvalue()


def reminder_for(database: Database, factory: str, today: date | None = None) -> Reminder:
    found = due_reminders(database, factory.strip(), today)
    if not found:
        raise NotFound("factory {id} has no open CAP line", id=factory[:40])
    return found[0]


def _send(config: SmtpConfig, message: EmailMessage) -> None:
    with smtplib.SMTP(config.host, config.port, timeout=SMTP_TIMEOUT) as smtp:
        if config.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.username:
            smtp.login(config.username, os.environ.get(PASSWORD_ENV, ""))
        smtp.send_message(message)


def send_reminders(
    database: Database,
    office_dir: Path,
    *,
    actor: str,
    role: str,
    factory: str = "",
    today: date | None = None,
    remote: str = "",
) -> list[OutboxRow]:
    """Write a reminder to every factory with open lines (or the one named) and send each
    through the office's SMTP server; every reminder is listed in the outbox, sent or not."""
    if not may_act(role):
        raise UserError("a {role} user may not send reminders", role=role)
    today = today or date.today()
    config = smtp_config(office_dir)
    written: list[OutboxRow] = []
    for reminder in due_reminders(database, factory, today):
        subject = subject_of(reminder)
        status, problem = "sent", ""
        if not reminder.recipient:
            status, problem = "not-sent", "the factory has no contact e-mail"
        elif config is None:
            status, problem = "not-sent", "no SMTP server is configured"
        else:
            message = EmailMessage()
            message["Subject"] = subject
            message["From"] = config.sender or f"ietp-office@{config.host}"
            message["To"] = reminder.recipient
            message.set_content(email_text(reminder, today))
            message.add_attachment(
                letter_pdf(reminder, today),
                maintype="application",
                subtype="pdf",
                filename=f"cap-reminder-{reminder.factory_ietp_id}-{today.isoformat()}.pdf",
            )
            try:
                _send(config, message)
            except (OSError, smtplib.SMTPException) as exc:
                status, problem = "failed", str(exc)[:500]
        at = utcnow()
        with database.session() as session:
            factory_id = session.scalar(
                select(Factory.id).where(Factory.ietp_id == reminder.factory_ietp_id)
            )
            assert factory_id is not None
            row = OfficeReminder(
                factory_id=factory_id,
                recipient=reminder.recipient[:200],
                subject=subject[:300],
                open_lines=len(reminder.lines),
                overdue_lines=reminder.overdue,
                status=status,
                problem=problem,
                created_by=actor[:120],
                created_at=at,
            )
            session.add(row)
            audit.record(
                session,
                actor,
                "cap.reminder",
                reminder.factory_ietp_id,
                f"{status}: {reminder.recipient or '-'} {problem}".strip(),
                remote,
            )
        written.append(
            OutboxRow(
                at,
                reminder.factory_ietp_id,
                reminder.recipient,
                subject,
                len(reminder.lines),
                reminder.overdue,
                status,
                problem,
                actor,
            )
        )
    return written


def outbox(database: Database, limit: int = 1000) -> list[OutboxRow]:
    with database.session() as session:
        rows = session.execute(
            select(OfficeReminder, Factory.ietp_id)
            .join(Factory, Factory.id == OfficeReminder.factory_id)
            .order_by(OfficeReminder.id.desc())
            .limit(limit)
        ).all()
        return [
            OutboxRow(
                r.created_at,
                ietp_id,
                r.recipient,
                r.subject,
                r.open_lines,
                r.overdue_lines,
                r.status,
                r.problem,
                r.created_by,
            )
            for r, ietp_id in rows
        ]
