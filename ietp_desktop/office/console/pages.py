"""Console page handlers. Each takes the request context and returns a response; the checks
(session, CSRF, role) are done before, by web.guarded, from the table in routes.py."""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import FileResponse, RedirectResponse, Response

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts import audit, sessions, specialists, users
from ietp_desktop.office.console import exports, inbox, review_pages, visit_page
from ietp_desktop.office.console.web import (
    LANG_COOKIE,
    LANGS,
    PRESIGN_COOKIE,
    SESSION_COOKIE,
    Ctx,
    local_target,
    new_token,
    query_date,
    refuse,
    set_cookie,
)
from ietp_desktop.office.review.decisions import STATES as REVIEW_STATES

DONE_MESSAGES = {
    "password": "Your password has been changed.",
    "enrolled": "The specialist is enrolled: download the enrolment file and hand it over.",
    "revoked": "The certificate is revoked: requests signed with it are refused from now on.",
    "user-added": "The user has been added.",
    "user-changed": "The user has been changed.",
}


def _done(ctx: Ctx) -> str:
    key = ctx.request.query_params.get("done", "")
    return ctx.t(DONE_MESSAGES[key]) if key in DONE_MESSAGES else ""


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- signing in and out, language, own password ---------------------------------------------


def home(ctx: Ctx) -> Response:
    return _see_other("/inbox")


def signin_form(ctx: Ctx, error: str = "", status: int = 200) -> Response:
    token = new_token()
    target = local_target(ctx.request.query_params.get("next", "") or ctx.field("next"))
    response = ctx.render("signin.html", status=status, presign=token, next=target, error=error)
    set_cookie(response, ctx.console, PRESIGN_COOKIE, token, 3600)
    return response


def signin(ctx: Ctx) -> Response:
    try:
        user = users.authenticate(
            ctx.db, ctx.field("username"), ctx.field("password"), remote=ctx.remote
        )
    except UserError as exc:
        return signin_form(ctx, exc.text(ctx.lang), 400)
    token = sessions.start(ctx.db, user.id)
    response = _see_other(local_target(ctx.field("next")))
    set_cookie(
        response, ctx.console, SESSION_COOKIE, token, int(sessions.SESSION_LIFETIME.total_seconds())
    )
    response.delete_cookie(PRESIGN_COOKIE, path="/")
    return response


def signout(ctx: Ctx) -> Response:
    sessions.end(ctx.db, ctx.request.cookies.get(SESSION_COOKIE))
    audit.log(ctx.db, ctx.actor, "signout", ctx.actor, "", ctx.remote)
    response = _see_other("/signin")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def language(ctx: Ctx) -> Response:
    chosen = ctx.request.path_params["code"]
    response = _see_other(local_target(ctx.request.query_params.get("next", ""), "/inbox"))
    if chosen in LANGS:
        set_cookie(response, ctx.console, LANG_COOKIE, chosen, 365 * 86400)
    return response


def password_form(ctx: Ctx) -> Response:
    return ctx.render("password.html", done=_done(ctx))


def password_change(ctx: Ctx) -> Response:
    assert ctx.user is not None
    if ctx.field("new") != ctx.field("repeat"):
        return ctx.render("password.html", status=400, error=ctx.t("The two new passwords differ."))
    try:
        users.change_own_password(
            ctx.db, ctx.user.user_id, ctx.field("current"), ctx.field("new"), remote=ctx.remote
        )
    except UserError as exc:
        return refuse(ctx, "password.html", exc)
    return _see_other("/account/password?done=password")


# --- inbox and visits -------------------------------------------------------------------------


def _inbox_filter(ctx: Ctx) -> inbox.InboxFilter:
    q = ctx.request.query_params
    return inbox.InboxFilter(
        text=q.get("q", "")[:100],
        outcome=q.get("outcome", "")[:40],
        report=q.get("report", "")
        if q.get("report") in ("valid", "invalid", "revoked", "unchecked")
        else "",
        seen=q.get("seen", "") if q.get("seen") in ("new", "seen") else "",
        visited_from=query_date(q.get("from", "")),
        visited_to=query_date(q.get("to", "")),
        review=q.get("review", "") if q.get("review") in REVIEW_STATES else "",
    )


def inbox_page(ctx: Ctx) -> Response:
    assert ctx.user is not None
    flt = _inbox_filter(ctx)
    try:
        page = max(1, int(ctx.request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    with ctx.db.session() as session:
        rows, total = inbox.query_inbox(
            session, ctx.user.user_id, flt, offset=(page - 1) * inbox.PAGE_SIZE
        )
        outcome_choices = inbox.outcomes(session)
    pages = max(1, -(-total // inbox.PAGE_SIZE))
    return ctx.render(
        "inbox.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        flt=flt,
        outcome_choices=outcome_choices,
    )


def inbox_export(ctx: Ctx) -> Response:
    assert ctx.user is not None
    kind = ctx.request.path_params["kind"]
    with ctx.db.session() as session:
        rows, _ = inbox.query_inbox(
            session, ctx.user.user_id, _inbox_filter(ctx), limit=inbox.MAX_EXPORT_ROWS
        )
    audit.log(ctx.db, ctx.actor, "export.inbox", kind, f"{len(rows)} rows", ctx.remote)
    return exports.download(
        kind,
        "inbox",
        [
            "visit",
            "revision",
            "factory id",
            "factory",
            "factory (zh)",
            "specialist",
            "visit start",
            "visit end",
            "outcome",
            "received",
            "report",
            "new",
            "review",
        ],
        (
            [
                r.uuid,
                r.revision,
                r.factory_ietp_id,
                r.factory_en,
                r.factory_zh,
                r.specialist,
                r.visit_start,
                r.visit_end,
                r.outcome,
                r.received_at,
                r.report,
                r.new,
                r.review,
            ]
            for r in rows
        ),
    )


def visit(ctx: Ctx) -> Response:
    assert ctx.user is not None
    page = visit_page.load_page(
        ctx.db,
        ctx.console.config.office_dir,
        ctx.request.path_params["uuid"],
        ctx.user.user_id,
        ctx.lang,
    )
    return ctx.render("visit.html", v=page, review=review_pages.panel(ctx, page.uuid))


def visit_report(ctx: Ctx) -> Response:
    uuid = ctx.request.path_params["uuid"]
    revision = int(ctx.request.path_params["revision"])
    path = visit_page.report_file(ctx.db, ctx.console.config.office_dir, uuid, revision)
    audit.log(ctx.db, ctx.actor, "report.open", f"{uuid} r{revision}", "", ctx.remote)
    return FileResponse(
        path,
        media_type="application/pdf",
        filename=f"visit-{uuid[:8]}-r{revision}.pdf",
        content_disposition_type="inline",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
    )


def visit_photo(ctx: Ctx) -> Response:
    path, media = visit_page.photo_file(
        ctx.db,
        ctx.console.config.office_dir,
        ctx.request.path_params["uuid"],
        ctx.request.path_params["sha"],
    )
    if media not in ("image/jpeg", "image/png"):
        media = "application/octet-stream"  # never let a browser sniff it into something else
    return FileResponse(
        path,
        media_type=media,
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, max-age=86400",
        },
    )


# --- specialists ------------------------------------------------------------------------------


def specialists_page(ctx: Ctx, error: str = "", status: int = 200) -> Response:
    rows = specialists.list_specialists(ctx.console.config.office_dir, ctx.db)
    return ctx.render("specialists.html", status=status, rows=rows, error=error, done=_done(ctx))


def specialists_export(ctx: Ctx) -> Response:
    kind = ctx.request.path_params["kind"]
    rows = specialists.list_specialists(ctx.console.config.office_dir, ctx.db)
    audit.log(ctx.db, ctx.actor, "export.specialists", kind, f"{len(rows)} rows", ctx.remote)
    return exports.download(
        kind,
        "specialists",
        [
            "name",
            "e-mail",
            "state",
            "valid from",
            "valid until",
            "revoked at",
            "reason",
            "fingerprint",
        ],
        (
            [
                s.name,
                s.email,
                s.state,
                s.valid_from,
                s.valid_until,
                s.revoked_at,
                s.revoked_reason,
                s.fingerprint,
            ]
            for s in rows
        ),
    )


def specialist_enrol(ctx: Ctx) -> Response:
    if ctx.field("passphrase") != ctx.field("repeat"):
        return specialists_page(ctx, ctx.t("The two passphrases differ."), 400)
    try:
        enrolled = specialists.enrol(
            ctx.console.config.office_dir,
            ctx.db,
            ctx.field("name"),
            ctx.field("email"),
            specialist_passphrase=ctx.field("passphrase"),
            office_passphrase=ctx.console.config.office_passphrase,
            actor=ctx.actor,
            remote=ctx.remote,
        )
    except UserError as exc:
        return specialists_page(ctx, exc.text(ctx.lang), 400)
    return _see_other(f"/specialists?done=enrolled#s-{enrolled.fingerprint[:16]}")


def specialist_enrolment_file(ctx: Ctx) -> Response:
    fingerprint = ctx.request.path_params["fingerprint"]
    path = specialists.enrolment_file(ctx.console.config.office_dir, fingerprint)
    audit.log(ctx.db, ctx.actor, "specialist.enrolment-file", fingerprint, "", ctx.remote)
    return FileResponse(
        path,
        media_type="application/octet-stream",
        filename=f"enrolment-{fingerprint[:12]}.ietp-enrol",
        headers={"Cache-Control": "no-store"},
    )


def specialist_revoke(ctx: Ctx) -> Response:
    try:
        specialists.revoke(
            ctx.console.config.office_dir,
            ctx.db,
            ctx.request.path_params["fingerprint"],
            ctx.field("reason"),
            actor=ctx.actor,
            remote=ctx.remote,
        )
    except UserError as exc:
        return specialists_page(ctx, exc.text(ctx.lang), 400)
    return _see_other("/specialists?done=revoked")


# --- users ------------------------------------------------------------------------------------


def users_page(ctx: Ctx, error: str = "", status: int = 200) -> Response:
    return ctx.render(
        "users.html",
        status=status,
        rows=users.list_users(ctx.db),
        roles=users.ROLES,
        error=error,
        done=_done(ctx),
    )


def users_export(ctx: Ctx) -> Response:
    kind = ctx.request.path_params["kind"]
    rows = users.list_users(ctx.db)
    audit.log(ctx.db, ctx.actor, "export.users", kind, f"{len(rows)} rows", ctx.remote)
    return exports.download(
        kind,
        "users",
        ["user", "name", "role", "disabled", "created", "password changed"],
        (
            [u.username, u.display_name, u.role, u.disabled, u.created_at, u.password_changed_at]
            for u in rows
        ),
    )


def user_add(ctx: Ctx) -> Response:
    try:
        users.add_user(
            ctx.db,
            ctx.field("username"),
            ctx.field("password"),
            ctx.field("role"),
            display_name=ctx.field("display_name"),
            actor=ctx.actor,
            remote=ctx.remote,
        )
    except UserError as exc:
        return users_page(ctx, exc.text(ctx.lang), 400)
    return _see_other("/users?done=user-added")


def user_change(ctx: Ctx) -> Response:
    name = ctx.request.path_params["username"]
    action = ctx.field("action")
    try:
        if action == "disable":
            users.set_disabled(ctx.db, name, True, actor=ctx.actor, remote=ctx.remote)
        elif action == "enable":
            users.set_disabled(ctx.db, name, False, actor=ctx.actor, remote=ctx.remote)
        elif action == "role":
            users.set_role(ctx.db, name, ctx.field("role"), actor=ctx.actor, remote=ctx.remote)
        elif action == "password":
            users.set_password(
                ctx.db, name, ctx.field("password"), actor=ctx.actor, remote=ctx.remote
            )
        else:
            raise UserError(ctx.t("Unknown action."))
    except UserError as exc:
        return users_page(ctx, exc.text(ctx.lang), 400)
    return _see_other(f"/users?done=user-changed#u-{quote(name)}")


# --- audit trail ------------------------------------------------------------------------------


def _audit_rows(ctx: Ctx, limit: int) -> list[audit.AuditRow]:
    q = ctx.request.query_params
    return audit.entries(
        ctx.db,
        actor=q.get("actor", "")[:120],
        action=q.get("action", "")[:60],
        text=q.get("q", "")[:100],
        limit=limit,
    )


def audit_page(ctx: Ctx) -> Response:
    q = ctx.request.query_params
    return ctx.render(
        "audit.html",
        rows=_audit_rows(ctx, 500),
        actor=q.get("actor", ""),
        action=q.get("action", ""),
        q=q.get("q", ""),
    )


def audit_export(ctx: Ctx) -> Response:
    kind = ctx.request.path_params["kind"]
    rows = _audit_rows(ctx, inbox.MAX_EXPORT_ROWS)
    audit.log(ctx.db, ctx.actor, "export.audit", kind, f"{len(rows)} rows", ctx.remote)
    return exports.download(
        kind,
        "audit",
        ["when (UTC)", "who", "action", "what", "detail", "from"],
        ([r.at, r.actor, r.action, r.target, r.detail, r.remote] for r in rows),
    )
