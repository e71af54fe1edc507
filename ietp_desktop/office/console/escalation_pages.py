"""Console pages of the escalation queues: zero tolerance, Progress Audit required and status
review, each filterable and exportable, with IETP's decision recorded from the queue."""

from __future__ import annotations

from datetime import date

from starlette.responses import RedirectResponse, Response

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.console import exports
from ietp_desktop.office.console.invoice_pages import MANAGERS, STAFF
from ietp_desktop.office.console.web import Ctx
from ietp_desktop.office.escalations import queue
from ietp_desktop.office.fees import settings

DONE = {"decided": "The decision is recorded."}


def _filter(ctx: Ctx) -> queue.EscalationFilter:
    q = ctx.request.query_params
    kind, state = q.get("kind", ""), q.get("state", "")
    return queue.EscalationFilter(
        kind=kind if kind in queue.KINDS else "",
        state=state if state in ("open", "decided", "termination_risk") else "",
        text=q.get("q", "")[:100].strip(),
    )


def escalation_list(ctx: Ctx, error: str = "", status: int = 200) -> Response:
    flt = _filter(ctx)
    key = ctx.request.query_params.get("done", "")
    with ctx.db.session() as session:
        rows = queue.list_escalations(session, flt, date.today(), limit=1000)
        pa_days = settings.read_days(session, settings.PA_ARRANGE_DAYS)
    return ctx.render(
        "escalation_list.html",
        status=status,
        rows=rows,
        flt=flt,
        pa_days=pa_days,
        decisions=queue.DECISIONS,
        error=error,
        done=ctx.t(DONE[key]) if key in DONE and not error else "",
        can_decide=ctx.user is not None and ctx.user.role in MANAGERS,
    )


def escalation_export(ctx: Ctx) -> Response:
    kind = ctx.request.path_params["kind"]
    with ctx.db.session() as session:
        rows = queue.list_escalations(session, _filter(ctx), date.today())
    audit.log(ctx.db, ctx.actor, "export.escalations", kind, f"{len(rows)} rows", ctx.remote)
    return exports.download(kind, "escalations", queue.EXPORT_HEADER, queue.export_rows(rows))


def escalation_decide(ctx: Ctx) -> Response:
    pa_text = ctx.field("pa_arranged_on").strip()
    try:
        pa_day = date.fromisoformat(pa_text) if pa_text else None
    except ValueError:
        return escalation_list(
            ctx,
            ctx.t("“{text}” is not a date (YYYY-MM-DD)", text=pa_text[:40]),
            400,
        )
    try:
        with ctx.db.session() as session:
            queue.decide(
                session,
                ctx.request.path_params["uuid"],
                ctx.field("kind"),
                ctx.field("decision"),
                ctx.field("reason"),
                ctx.actor,
                pa_arranged_on=pa_day,
                today=date.today(),
                remote=ctx.remote,
            )
    except NotFound:
        raise
    except UserError as exc:
        return escalation_list(ctx, exc.text(ctx.lang), 400)
    return RedirectResponse("/escalations?done=decided", status_code=303)


ROUTES = (
    ("/escalations", ("GET",), STAFF, escalation_list, "escalations"),
    ("/escalations.{kind:str}", ("GET",), STAFF, escalation_export, "escalations_export"),
    ("/escalations/{uuid}/decide", ("POST",), MANAGERS, escalation_decide, "escalation_decide"),
)
