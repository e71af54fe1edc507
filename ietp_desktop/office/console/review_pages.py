"""The review panel of the visit page and its actions: start, accept, return with comments."""

from __future__ import annotations

from typing import Any

from starlette.responses import RedirectResponse, Response

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts.users import ADMINISTRATOR, COORDINATOR, REVIEWER
from ietp_desktop.office.console.web import Ctx
from ietp_desktop.office.review import decisions
from ietp_desktop.office.review.returns import send_returns

DONE = {
    "in_review": "You are reviewing this visit.",
    "accepted": "The visit is accepted.",
    "returned": "The visit is returned: the comments wait for the specialist's laptop.",
    "returned-unsent": (
        "The visit is returned; its comments go with the specialist's next assignments "
        "(they could not be published now: {reason})."
    ),
}


def panel(ctx: Ctx, uuid: str) -> dict[str, Any]:
    """What the visit page shows about the review, and which actions the user may take."""
    assert ctx.user is not None
    status = decisions.review_status(ctx.db, uuid)
    may = decisions.may_act(ctx.user.role)
    return {
        "status": status,
        "label": ctx.t(decisions.STATE_LABELS[status.state]),
        "can_start": may and status.state == decisions.NEW,
        "can_decide": may and status.state == decisions.IN_REVIEW,
        "done": _done(ctx),
    }


def _done(ctx: Ctx) -> str:
    key = ctx.request.query_params.get("review", "")
    if key not in DONE or key == "returned-unsent":
        return ""
    return ctx.t(DONE[key])


def review_action(ctx: Ctx) -> Response:
    assert ctx.user is not None
    uuid = ctx.request.path_params["uuid"]
    action = ctx.field("action")
    comment = ctx.field("comment")
    who = {"actor": ctx.actor, "role": ctx.user.role, "remote": ctx.remote}
    try:
        if action == "start":
            status = decisions.start_review(ctx.db, uuid, **who)
        elif action == "accept":
            status = decisions.accept_visit(ctx.db, uuid, comment=comment, **who)
        elif action == "return":
            status = decisions.return_visit(ctx.db, uuid, comment, **who)
        else:
            raise UserError("Unknown action.")
    except UserError as exc:
        return _visit_again(ctx, uuid, exc)
    if status.state == decisions.RETURNED:
        try:
            send_returns(
                ctx.console.config.office_dir,
                status.uuid,
                db_url=ctx.console.config.db_url,
                office_passphrase=ctx.console.config.office_passphrase,
            )
        except (UserError, OSError, ValueError) as exc:
            reason = exc.text(ctx.lang) if isinstance(exc, UserError) else str(exc)
            return _visit_again(ctx, uuid, done=ctx.t(DONE["returned-unsent"], reason=reason[:300]))
    return RedirectResponse(f"/visits/{status.uuid}?review={status.state}#review", 303)


def _visit_again(ctx: Ctx, uuid: str, exc: UserError | None = None, done: str = "") -> Response:
    from ietp_desktop.office.console import visit_page

    assert ctx.user is not None
    page = visit_page.load_page(
        ctx.db, ctx.console.config.office_dir, uuid, ctx.user.user_id, ctx.lang
    )
    shown = panel(ctx, page.uuid) | ({"done": done} if done else {})
    return ctx.render(
        "visit.html",
        status=400 if exc is not None else 200,
        v=page,
        review=shown,
        error=exc.text(ctx.lang) if exc is not None else "",
    )


REVIEWERS = frozenset({ADMINISTRATOR, COORDINATOR, REVIEWER})

# (path, methods, roles, handler, name): the rows this module adds to routes.ROUTES
ROUTES: tuple[tuple[str, tuple[str, ...], frozenset[str], Any, str], ...] = (
    ("/visits/{uuid}/review", ("POST",), REVIEWERS, review_action, "review_action"),
)
