"""Console page of one planned visit: its state and history, and (for a coordinator) moving
it to another specialist, changing its proposed date or cancelling it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from starlette.responses import RedirectResponse, Response

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts.users import ADMINISTRATOR, COORDINATOR, READ_ONLY, REVIEWER
from ietp_desktop.office.console.web import Ctx, Handler
from ietp_desktop.office.factories.register import get_factory
from ietp_desktop.office.factories.states import window_of
from ietp_desktop.office.planning import assigning, board, changes
from ietp_desktop.office.planning.calendar import DateWarning
from ietp_desktop.office.planning.history import plan_histories
from ietp_desktop.office.planning.plans import PlanState, get_plan

STAFF = frozenset({ADMINISTRATOR, COORDINATOR, REVIEWER, READ_ONLY})
MANAGERS = frozenset({ADMINISTRATOR, COORDINATOR})
PLAN_STATES = {
    "planned": "Planned",
    "confirmed": "Confirmed",
    "visited": "Visited",
    "cancelled": "Cancelled",
}
DONE = {
    "moved": "The visit is moved: the new specialist's laptop receives it and the previous "
    "one's withdraws it at their next fetch.",
    "redated": "The new date is sent to the specialist's laptop.",
    "cancelled": "The visit is cancelled and withdrawn from the laptop; the factory is due again.",
}


@dataclass(frozen=True)
class Proposal:
    """A move or a new date that raised warnings, waiting for "change anyway"."""

    action: str  # move | redate
    specialist: str
    day: date
    reason: str
    warnings: list[DateWarning]


def plan_page(
    ctx: Ctx, error: str = "", status: int = 200, proposal: Proposal | None = None
) -> Response:
    uuid = ctx.request.path_params["uuid"]
    today = date.today()
    try:
        with ctx.db.session() as session:
            row = changes.find_plan(session, uuid)
            plan = get_plan(session, row.visit_uuid)
            factory = get_factory(session, plan.factory_ietp_id)
            history = plan_histories(session, [plan.plan_id])[plan.plan_id]
            specialists = assigning.active_specialists(ctx.console.config.office_dir, ctx.db)
            loads = board.specialist_loads(session, specialists, today)
            factory_view = {
                "ietp_id": factory.ietp_id,
                "name": factory.name_zh
                if ctx.lang == "zh" and factory.name_zh
                else factory.name_en,
                "city": factory.city,
                "region": factory.region,
                "window": window_of(factory.seal_issued_on),
            }
    except UserError as exc:
        return ctx.render(
            "plan_change_page.html",
            status=400,
            plan=None,
            error=error or exc.text(ctx.lang),
        )
    if plan.uuid != uuid and not error:
        return RedirectResponse(f"/planning/plans/{plan.uuid}", status_code=303)
    changeable = plan.state in (PlanState.PLANNED, PlanState.CONFIRMED)
    key = ctx.request.query_params.get("done", "")
    return ctx.render(
        "plan_change_page.html",
        status=status,
        plan=plan,
        factory=factory_view,
        history=history,
        state_text=ctx.t(PLAN_STATES[plan.state.value]),
        loads=[s for s in loads if s.email.lower() != plan.specialist_email.lower()],
        changeable=changeable,
        manager=ctx.user is not None and ctx.user.role in MANAGERS,
        proposal=proposal,
        error=error,
        done=ctx.t(DONE[key]) if key in DONE else "",
    )


def _passphrase_and_url(ctx: Ctx) -> tuple[str | None, str | None]:
    return ctx.console.config.office_passphrase, ctx.console.config.db_url


def _apply(
    ctx: Ctx,
    change: Callable[..., changes.ChangeResult],
    done: str,
    *values: object,
    **options: object,
) -> Response:
    """Run one of office/planning/changes on the page's plan, then show the plan again."""
    passphrase, url = _passphrase_and_url(ctx)
    result = change(
        ctx.console.config.office_dir,
        ctx.db,
        ctx.request.path_params["uuid"],
        *values,
        **options,
        actor=ctx.actor,
        remote=ctx.remote,
        office_passphrase=passphrase,
        db_url=url,
    )
    return RedirectResponse(f"/planning/plans/{result.uuid}?done={done}", status_code=303)


def move(ctx: Ctx) -> Response:
    uuid = ctx.request.path_params["uuid"]
    specialist = ctx.field("specialist").strip()
    reason = ctx.field("reason")
    try:
        if not specialist:
            raise UserError("choose the specialist who takes the visit")
        day = ctx.date_field("date", "Proposed date")
        warnings = changes.change_warnings(ctx.db, uuid, day)
        if warnings and ctx.field("anyway") != "1":
            return plan_page(
                ctx, proposal=Proposal("move", specialist, day, reason[:500], warnings)
            )
        return _apply(ctx, changes.move_plan, "moved", specialist, day, reason=reason)
    except UserError as exc:
        return plan_page(ctx, exc.text(ctx.lang), 400)


def redate(ctx: Ctx) -> Response:
    uuid = ctx.request.path_params["uuid"]
    reason = ctx.field("reason")
    try:
        day = ctx.date_field("date", "Proposed date")
        warnings = changes.change_warnings(ctx.db, uuid, day)
        if warnings and ctx.field("anyway") != "1":
            return plan_page(ctx, proposal=Proposal("redate", "", day, reason[:500], warnings))
        return _apply(ctx, changes.redate_plan, "redated", day, reason=reason)
    except UserError as exc:
        return plan_page(ctx, exc.text(ctx.lang), 400)


def cancel(ctx: Ctx) -> Response:
    try:
        return _apply(ctx, changes.cancel_plan, "cancelled", ctx.field("reason"))
    except UserError as exc:
        return plan_page(ctx, exc.text(ctx.lang), 400)


# (path, methods, roles, handler, name): routes.py makes each a Route of its table
ROUTES: tuple[tuple[str, tuple[str, ...], frozenset[str], Handler, str], ...] = (
    ("/planning/plans/{uuid}", ("GET",), STAFF, plan_page, "plan_change_page"),
    ("/planning/plans/{uuid}/move", ("POST",), MANAGERS, move, "plan_change_move"),
    ("/planning/plans/{uuid}/redate", ("POST",), MANAGERS, redate, "plan_change_redate"),
    ("/planning/plans/{uuid}/cancel", ("POST",), MANAGERS, cancel, "plan_change_cancel"),
)
