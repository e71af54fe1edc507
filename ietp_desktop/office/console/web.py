"""The console's plumbing: per-process state, sign-in cookies, CSRF, roles, templates.

Every route is declared in routes.py with the roles that may use it; `guarded` wraps each
handler so no page can forget the checks:
- the session comes from the `ietp_session` cookie (Secure, HttpOnly, SameSite=Strict), looked
  up in the database: nothing about a user lives in the process, so any worker serves anyone;
- an unsafe method (POST, PUT, DELETE…) must carry the session's CSRF token (form field
  `csrf` or header `X-CSRF-Token`), compared in constant time;
- the user's role must be in the route's roles, else 403 (401 and a redirect when signed out).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.domain.findings import CATEGORY_LABELS, CLASSIFICATION_LABELS
from ietp_desktop.domain.outcome import OUTCOME_LABELS
from ietp_desktop.i18n import tr
from ietp_desktop.office.accounts import sessions
from ietp_desktop.office.accounts.sessions import SignedIn
from ietp_desktop.office.cap_followup.tracker import STATUS_LABELS as CAP_TRACKER_LABELS
from ietp_desktop.office.console.config import ConsoleConfig
from ietp_desktop.office.review.decisions import STATE_LABELS as REVIEW_STATE_LABELS
from ietp_desktop.paths import resources_dir
from ietp_desktop.storage.db import Database

SESSION_COOKIE = "ietp_session"
PRESIGN_COOKIE = "ietp_presign"  # CSRF token of the sign-in form, before there is a session
LANG_COOKIE = "ietp_lang"
LANGS = ("en", "zh")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_FORM_FIELDS = 200
MAX_FORM_PART = 1 << 20

PUBLIC = frozenset({"public"})  # anyone, signed in or not
SPECIALIST = frozenset({"specialist"})  # a laptop's signed request, checked by api.py

RESOURCES = resources_dir() / "office"


@dataclass
class Console:
    """What one server process holds: configuration, a connection pool, the templates."""

    config: ConsoleConfig
    database: Database
    templates: Environment


def query_date(text: str) -> date | None:
    """A date from a filter in the query string; anything else filters nothing."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass
class Ctx:
    """One request as a handler sees it."""

    request: Request
    console: Console
    lang: str
    user: SignedIn | None
    form: FormData | None = None
    remote: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def db(self) -> Database:
        return self.console.database

    @property
    def actor(self) -> str:
        return self.user.username if self.user else "anonymous"

    def t(self, msgid: str, **values: object) -> str:
        return tr(msgid, language=self.lang, **values)

    def label(self, kind: str, value: str | None) -> str:
        """A stored key (outcome, classification, report state…) in the user's language."""
        if not value:
            return "–"
        return tr(LABELS.get(kind, {}).get(value, value), language=self.lang)

    def field(self, name: str, default: str = "") -> str:
        value = self.form.get(name, default) if self.form is not None else default
        return value if isinstance(value, str) else default

    def date_field(self, name: str, what: str) -> date:
        """A required date of the form; `what` is the field's English label."""
        text = self.field(name).strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise UserError(
                "{what}: “{text}” is not a date (YYYY-MM-DD)", what=self.t(what), text=text[:40]
            ) from None

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        page = self.console.templates.get_template(template)
        html = page.render(
            t=self.t,
            label=self.label,
            lang=self.lang,
            user=self.user,
            csrf=self.user.csrf_token if self.user else "",
            path=self.request.url.path,
            query=str(self.request.url.query),
            **values,
        )
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


LABELS: dict[str, dict[str, str]] = {
    "outcome": {k.value: v for k, v in OUTCOME_LABELS.items()},
    "classification": {k.value: v for k, v in CLASSIFICATION_LABELS.items()},
    "category": {k.value: v for k, v in CATEGORY_LABELS.items()},
    "report": {
        "valid": "Valid",
        "invalid": "Not valid",
        "revoked": "Signer revoked",
        "unchecked": "Not checked yet",
        "missing": "No report",
    },
    "specialist": {"active": "Active", "expired": "Expired", "revoked": "Revoked"},
    "review": dict(REVIEW_STATE_LABELS),
    "cap": dict(CAP_TRACKER_LABELS),
    "decision": {"accepted": "Accepted", "rejected": "Rejected"},
    "cap_factory": {"open": "Open", "in_progress": "In progress", "closed": "Closed"},
    "reminder": {"sent": "Sent", "not-sent": "Not sent", "failed": "Failed"},
    "role": {
        "administrator": "Administrator",
        "coordinator": "Coordinator",
        "reviewer": "Reviewer",
        "read-only": "Read-only",
    },
}

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def make_templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(RESOURCES / "templates")),
        autoescape=select_autoescape(["html", "xml"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = lambda d: d.strftime("%Y-%m-%d") if d else "–"
    env.filters["minute"] = lambda d: d.strftime("%Y-%m-%d %H:%M") if d else "–"
    env.filters["urlq"] = lambda s: quote(str(s), safe="")
    return env


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LANGS:
        return chosen
    accepted = request.headers.get("accept-language", "").lower()
    return "zh" if accepted.startswith("zh") else "en"


def remote_of(request: Request) -> str:
    return request.client.host if request.client else ""


def local_target(target: str, default: str = "/inbox") -> str:
    """Only a path on this server (never //host or a scheme) may follow a sign-in."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def set_cookie(response: Response, console: Console, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=console.config.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def same_token(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def new_token() -> str:
    return secrets.token_urlsafe(32)


Handler = Callable[[Ctx], Response]


def guarded(
    handler: Handler, roles: frozenset[str], console: Console
) -> Callable[[Request], Awaitable[Response]]:
    """The handler behind the session, CSRF and role checks (see the module docstring)."""

    async def endpoint(request: Request) -> Response:
        lang = language_of(request)
        token = request.cookies.get(SESSION_COOKIE)
        user = await run_in_threadpool(sessions.find, console.database, token)
        ctx = Ctx(request, console, lang, user, remote=remote_of(request))
        if roles is not PUBLIC:
            if user is None:
                if request.method in SAFE_METHODS:
                    target = request.url.path
                    if request.url.query:
                        target += "?" + request.url.query
                    return RedirectResponse(f"/signin?next={quote(target, safe='')}", 303)
                return _error(ctx, 401, tr("Sign in first.", language=lang))
            if user.role not in roles:
                return _error(ctx, 403, tr("Your role may not open this page.", language=lang))
        if request.method not in SAFE_METHODS:
            # a handler that takes files says how many and how large a request may be
            max_files = int(getattr(handler, "max_files", 0))
            max_body = int(getattr(handler, "max_body", 0))
            if max_body and int(request.headers.get("content-length") or 0) > max_body:
                return _error(ctx, 413, tr("The upload is too large.", language=lang))
            try:
                ctx.form = await request.form(
                    max_files=max_files, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FORM_PART
                )
            except (HTTPException, ValueError, KeyError):
                return _error(ctx, 400, tr("The form could not be read.", language=lang))
            given = ctx.field("csrf") or request.headers.get("x-csrf-token", "")
            expected = user.csrf_token if user else request.cookies.get(PRESIGN_COOKIE, "")
            if not same_token(given, expected):
                return _error(
                    ctx,
                    403,
                    tr("The form has expired; reload the page and try again.", language=lang),
                )
        try:
            return await run_in_threadpool(handler, ctx)
        except NotFound as exc:
            return _error(ctx, 404, exc.text(ctx.lang))

    return endpoint


def _error(ctx: Ctx, status: int, message: str) -> Response:
    return ctx.render("error.html", status=status, status_code=status, message=message)


def refuse(ctx: Ctx, template: str, exc: UserError, **values: Any) -> HTMLResponse:
    """Show the page again with the one-line reason a form was refused."""
    return ctx.render(template, status=400, error=exc.text(ctx.lang), **values)
