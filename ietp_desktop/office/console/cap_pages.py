"""The CAP tracker (/cap), one CAP line with its evidence and decision, and the upload of the
factory's returned workbook. The pages call office/cap_followup, as `office cap` does."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, RedirectResponse, Response

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.accounts.users import ADMINISTRATOR, COORDINATOR, REVIEWER
from ietp_desktop.office.cap_followup import decisions as cap_decisions
from ietp_desktop.office.cap_followup import (
    evidence_files,
    factory_returns,
    line_view,
    records_check,
    reminders,
    tracker,
)
from ietp_desktop.office.console import exports
from ietp_desktop.office.console.web import Ctx
from ietp_desktop.office.review.decisions import may_act
from ietp_desktop.services.outcome.cap_xlsx import MAX_FILE_BYTES as MAX_WORKBOOK_BYTES

STAFF = frozenset({ADMINISTRATOR, COORDINATOR, REVIEWER, "read-only"})
REVIEWERS = frozenset({ADMINISTRATOR, COORDINATOR, REVIEWER})

DONE: dict[str, str] = {
    "accepted": "The line is accepted and closed.",
    "rejected": "The line is rejected; the factory must send more.",
    "checked": "The records are checked; the result is below.",
}


def _today(ctx: Ctx) -> date:
    return date.today()


def cap_filter(ctx: Ctx) -> tracker.CapFilter:
    q = ctx.request.query_params
    return tracker.CapFilter(
        overdue=q.get("overdue") == "1",
        due_this_week=q.get("week") == "1",
        factory=q.get("factory", "")[:40],
        specialist=q.get("specialist", "")[:120],
        root_cause=q.get("root_cause", "")[:60],
        status=q.get("status", "") if q.get("status") in tracker.STATUSES else "",
        visit=q.get("visit", "")[:36],
    )


def cap_page(ctx: Ctx) -> Response:
    flt = cap_filter(ctx)
    with ctx.db.session() as session:
        rows = tracker.query_lines(session, flt, today=_today(ctx), limit=1000)
        choices = tracker.choices(session)
    return ctx.render(
        "cap_tracker.html",
        rows=rows,
        flt=flt,
        choices=choices,
        statuses=tracker.STATUSES,
        today=_today(ctx),
    )


EXPORT_HEADER = [
    "visit",
    "revision",
    "factory id",
    "factory",
    "factory (zh)",
    "specialist",
    "finding",
    "classification",
    "category",
    "root cause",
    "corrective action",
    "preventive action",
    "responsible",
    "due date",
    "factory status",
    "status",
    "evidence files",
    "decision",
    "decision comment",
    "decided by",
]


def export_row(r: tracker.TrackerLine) -> list[Any]:
    return [
        r.visit_uuid,
        r.revision,
        r.factory_ietp_id,
        r.factory_en,
        r.factory_zh,
        r.specialist,
        r.finding_code,
        r.classification,
        r.category,
        r.root_cause,
        r.corrective_action,
        r.preventive_action,
        r.responsible,
        r.due_date,
        r.factory_status,
        r.status,
        r.evidence,
        r.decision,
        r.decision_comment,
        r.decided_by,
    ]


def cap_export(ctx: Ctx) -> Response:
    kind = ctx.request.path_params["kind"]
    with ctx.db.session() as session:
        rows = tracker.query_lines(session, cap_filter(ctx), today=_today(ctx))
    audit.log(ctx.db, ctx.actor, "export.cap", kind, f"{len(rows)} rows", ctx.remote)
    return exports.download(kind, "cap", EXPORT_HEADER, (export_row(r) for r in rows))


# (path, methods, roles, handler, name): the rows this module adds to routes.ROUTES
ROUTES: tuple[tuple[str, tuple[str, ...], frozenset[str], Any, str], ...] = (
    ("/cap", ("GET",), STAFF, cap_page, "cap"),
    ("/cap.{kind:str}", ("GET",), STAFF, cap_export, "cap_export"),
)


# --- one visit's upload: the factory's workbook and evidence files ---------------------------


def _lines_of(ctx: Ctx, uuid: str) -> list[tracker.TrackerLine]:
    with ctx.db.session() as session:
        return tracker.query_lines(session, tracker.CapFilter(visit=uuid), today=_today(ctx))


def import_form(ctx: Ctx, error: str = "", status: int = 200) -> Response:
    uuid = ctx.request.path_params["uuid"]
    factory = factory_returns.factory_of(ctx.db, uuid)
    report = None
    wanted = ctx.request.query_params.get("report", "")
    if wanted.isdigit():
        report = factory_returns.import_report(ctx.db, uuid, int(wanted))
    return ctx.render(
        "cap_import.html",
        status=status,
        uuid=uuid,
        factory=factory,
        lines=_lines_of(ctx, uuid),
        report=report,
        field_labels=factory_returns.FIELD_LABELS,
        error=error,
        max_mb=evidence_files.MAX_EVIDENCE_BYTES >> 20,
    )


def _safe_name(name: str) -> str:
    """The uploaded file's own name for the messages, reduced to a harmless file name."""
    base = Path(name.replace("\\", "/")).name
    kept = "".join(c for c in base if c.isalnum() or c in " ._-()").strip(" .")[:120]
    return kept if kept.lower().endswith(".xlsx") else (kept or "cap") + ".xlsx"


def _upload_bytes(upload: UploadFile, limit: int) -> bytes:
    upload.file.seek(0)
    return upload.file.read(limit + 1)


def import_upload(ctx: Ctx) -> Response:
    assert ctx.user is not None and ctx.form is not None
    uuid = ctx.request.path_params["uuid"]
    evidence: list[tuple[str, str, bytes]] = []
    workbook_upload: UploadFile | None = None
    for key, value in ctx.form.multi_items():
        if not isinstance(value, UploadFile) or not value.filename:
            continue
        if key == "workbook":
            workbook_upload = value
        elif key.startswith("evidence-"):
            content = _upload_bytes(value, evidence_files.MAX_EVIDENCE_BYTES)
            evidence.append((key.removeprefix("evidence-"), value.filename, content))
    try:
        with tempfile.TemporaryDirectory() as folder:
            workbook = None
            if workbook_upload is not None:
                workbook = Path(folder) / _safe_name(str(workbook_upload.filename))
                workbook.write_bytes(_upload_bytes(workbook_upload, MAX_WORKBOOK_BYTES))
            result = factory_returns.import_cap(
                ctx.db,
                ctx.console.config.office_dir,
                uuid,
                workbook,
                evidence,
                actor=ctx.actor,
                role=ctx.user.role,
                remote=ctx.remote,
            )
    except UserError as exc:
        return import_form(ctx, exc.text(ctx.lang), 400)
    return RedirectResponse(
        f"/cap/visits/{result.visit_uuid}/import?report={result.import_id}#report", 303
    )


import_upload.max_files = evidence_files.MAX_FILES + 1  # type: ignore[attr-defined]
import_upload.max_body = (  # type: ignore[attr-defined]
    evidence_files.MAX_FILES * evidence_files.MAX_EVIDENCE_BYTES + MAX_WORKBOOK_BYTES
)


# --- one CAP line: evidence, flags, decision ----------------------------------------------------


def line_page(ctx: Ctx, error: str = "", status: int = 200) -> Response:
    uuid = ctx.request.path_params["uuid"]
    code = ctx.request.path_params["finding"]
    wanted = ctx.request.query_params.get("file", "")
    if wanted:
        return _evidence_download(ctx, uuid, code, wanted)
    view = line_view.load_line(ctx.db, uuid, code, _today(ctx))
    assert ctx.user is not None
    return ctx.render(
        "cap_line.html",
        status=status,
        view=view,
        l=view.line,
        records=records_check.line_records(ctx.db, uuid, code),
        can_decide=may_act(ctx.user.role),
        error=error,
        done=ctx.t(DONE[ctx.request.query_params.get("done", "")])
        if ctx.request.query_params.get("done", "") in DONE
        else "",
    )


def _evidence_download(ctx: Ctx, uuid: str, code: str, wanted: str) -> Response:
    if not wanted.isdigit():
        raise NotFound("this CAP line has no evidence file {number}", number=wanted[:12])
    item = line_view.evidence_of(ctx.db, uuid, code, int(wanted))
    path = evidence_files.evidence_path(ctx.console.config.office_dir, item.sha256)
    if not path.is_file():
        raise NotFound("this CAP line has no evidence file {number}", number=wanted[:12])
    audit.log(ctx.db, ctx.actor, "cap.evidence-open", f"{uuid} {code}", item.filename, ctx.remote)
    inline = item.media_type in ("image/jpeg", "image/png", "application/pdf")
    return FileResponse(
        path,
        media_type=item.media_type,
        filename=item.filename,
        content_disposition_type="inline" if inline else "attachment",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "no-store",
        },
    )


def line_decide(ctx: Ctx) -> Response:
    assert ctx.user is not None
    uuid = ctx.request.path_params["uuid"]
    code = ctx.request.path_params["finding"]
    decision = ctx.field("decision")
    try:
        cap_decisions.decide_line(
            ctx.db,
            uuid,
            code,
            decision,
            ctx.field("comment"),
            actor=ctx.actor,
            role=ctx.user.role,
            remote=ctx.remote,
            without_records=ctx.field("without_records") == "1",
        )
    except NotFound:
        raise
    except UserError as exc:
        return line_page(ctx, exc.text(ctx.lang), 400)
    return RedirectResponse(f"/cap/visits/{uuid}/lines/{quote(code)}?done={decision}", 303)


ROUTES += (
    ("/cap/visits/{uuid}/import", ("GET",), REVIEWERS, import_form, "cap_import_form"),
    ("/cap/visits/{uuid}/import", ("POST",), REVIEWERS, import_upload, "cap_import"),
    ("/cap/visits/{uuid}/lines/{finding}", ("GET",), STAFF, line_page, "cap_line"),
    ("/cap/visits/{uuid}/lines/{finding}", ("POST",), REVIEWERS, line_decide, "cap_decide"),
)


# --- reminders ----------------------------------------------------------------------------------


def reminders_page(ctx: Ctx, error: str = "", status: int = 200) -> Response:
    assert ctx.user is not None
    return ctx.render(
        "cap_reminders.html",
        status=status,
        due=reminders.due_reminders(ctx.db, today=_today(ctx)),
        sent=reminders.outbox(ctx.db, 500),
        configured=reminders.smtp_config(ctx.console.config.office_dir) is not None,
        can_send=may_act(ctx.user.role),
        error=error,
        done=ctx.t("The reminders are written; the outbox shows which were sent.")
        if ctx.request.query_params.get("done") == "sent"
        else "",
    )


def reminder_letter(ctx: Ctx) -> Response:
    factory = ctx.request.query_params.get("factory", "")[:40]
    if not factory:
        return reminders_page(ctx, ctx.t("Choose a factory."), 400)
    today = _today(ctx)
    reminder = reminders.reminder_for(ctx.db, factory, today)
    audit.log(ctx.db, ctx.actor, "cap.reminder-letter", factory, "", ctx.remote)
    return Response(
        reminders.letter_pdf(reminder, today),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="cap-reminder-{quote(factory)}.pdf"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def reminders_send(ctx: Ctx) -> Response:
    assert ctx.user is not None
    try:
        reminders.send_reminders(
            ctx.db,
            ctx.console.config.office_dir,
            actor=ctx.actor,
            role=ctx.user.role,
            factory=ctx.field("factory")[:40],
            today=_today(ctx),
            remote=ctx.remote,
        )
    except UserError as exc:
        return reminders_page(ctx, exc.text(ctx.lang), 400)
    return RedirectResponse("/cap/reminders?done=sent", 303)


ROUTES += (
    ("/cap/reminders", ("GET",), STAFF, reminders_page, "cap_reminders"),
    ("/cap/reminders", ("POST",), REVIEWERS, reminders_send, "cap_reminders_send"),
    ("/cap/reminders/letter", ("GET",), STAFF, reminder_letter, "cap_reminder_letter"),
)
