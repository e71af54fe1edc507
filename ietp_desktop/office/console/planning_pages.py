"""Console pages of the planning board: PVs due by region, assignment, calendar, letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from starlette.responses import RedirectResponse, Response

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.accounts.users import ADMINISTRATOR, COORDINATOR, READ_ONLY, REVIEWER
from ietp_desktop.office.console import exports
from ietp_desktop.office.console.web import Ctx, Handler
from ietp_desktop.office.factories.register import regions
from ietp_desktop.office.factories.states import STATE_LABELS
from ietp_desktop.office.planning import assigning, board, calendar, letter
from ietp_desktop.office.planning.calendar import DateWarning
from ietp_desktop.office.planning.history import HistoryEntry, last_changes
from ietp_desktop.office.planning.plans import PLAN_STATE_LABELS

STAFF = frozenset({ADMINISTRATOR, COORDINATOR, REVIEWER, READ_ONLY})
MANAGERS = frozenset({ADMINISTRATOR, COORDINATOR})
PAGE_ROWS = 200  # a region filter or the next page shows the rest
BOARD_STATES = {"unplanned": "Not planned", **PLAN_STATE_LABELS}
DONE = {
    "assigned": "The visit is assigned and sent: the laptop receives it at its next fetch.",
    "moved": "The new date is sent to the specialist's laptop.",
    "confirmed": "The confirmed date is recorded.",
    "region": "The specialist's region is saved.",
    "blackout": "The blackout period is saved.",
    "unavailable": "The factory's unavailable dates are saved.",
    "removed": "The period is removed.",
}


@dataclass(frozen=True)
class Proposal:
    """An assignment whose date raised warnings, waiting for "assign anyway"."""

    ietp_id: str
    specialist: str
    day: date
    man_days: str
    warnings: list[DateWarning]


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _done(ctx: Ctx) -> str:
    key = ctx.request.query_params.get("done", "")
    return ctx.t(DONE[key]) if key in DONE else ""


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def _filter(ctx: Ctx) -> board.BoardFilter:
    q = ctx.request.query_params
    state = q.get("state", "")
    return board.BoardFilter(
        months=max(1, min(12, _int(q.get("months", "3"), 3))),
        region=q.get("region", "")[:80],
        state=state if state in BOARD_STATES else "",
    )


def _suggested(row: board.BoardRow, loads: list[board.SpecialistLoad]) -> str:
    """The specialist offered first: the one already assigned, else the least loaded in the
    factory's region, else the least loaded of all."""
    if row.plan is not None:
        return row.plan.specialist_email
    local = [s for s in loads if s.region and s.region == row.factory.region]
    pool = local or loads
    return min(pool, key=lambda s: (s.weeks[0] if s.weeks else 0, s.total)).email if pool else ""


def _page_of(
    regions: list[tuple[str, list[board.BoardRow]]], skip: int, take: int
) -> list[tuple[str, list[board.BoardRow]]]:
    """`take` rows after the first `skip`, still grouped by region."""
    kept = []
    for region, rows in regions:
        part = rows[max(0, skip) : max(0, skip) + take]
        skip -= len(rows)
        if part and take > 0:
            kept.append((region, part))
            take -= len(part)
    return kept


def board_page(
    ctx: Ctx, error: str = "", status: int = 200, proposal: Proposal | None = None
) -> Response:
    flt = _filter(ctx)
    today = date.today()
    specialists = assigning.active_specialists(ctx.console.config.office_dir, ctx.db)
    with ctx.db.session() as session:
        view = board.build_board(session, today, flt)
        loads = board.specialist_loads(session, specialists, today, plans=view.plans)
        region_choices = regions(session)
    wanted = ctx.request.query_params.get("assign", "") or (proposal.ietp_id if proposal else "")
    chosen = None
    if wanted and ctx.user is not None and ctx.user.role in MANAGERS:
        chosen = next(
            (r for _, rows in view.regions for r in rows if r.factory.ietp_id == wanted), None
        )
    suggested = _suggested(chosen, loads) if chosen is not None else ""
    total = view.count
    page = max(1, _int(ctx.request.query_params.get("page", "1"), 1))
    pages = max(1, -(-total // PAGE_ROWS))
    page = min(page, pages)
    view.regions = _page_of(view.regions, (page - 1) * PAGE_ROWS, PAGE_ROWS)
    with ctx.db.session() as session:
        shown = [r.plan or r.cancelled for _, rows in view.regions for r in rows]
        changed = last_changes(session, [p.plan_id for p in shown if p is not None])
    return ctx.render(
        "planning_board.html",
        status=status,
        board=view,
        changed=changed,
        total=total,
        page=page,
        pages=pages,
        chosen=chosen,
        suggested=suggested,
        state_texts={k: ctx.t(v) for k, v in STATE_LABELS.items()},
        plan_texts={k: ctx.t(v) for k, v in BOARD_STATES.items()},
        confirmed_text=ctx.t("confirmed"),
        proposed_text=ctx.t("proposed"),
        loads=loads,
        flt=flt,
        region_choices=region_choices,
        board_states=BOARD_STATES,
        factory_states=STATE_LABELS,
        today=today,
        proposal=proposal,
        error=error,
        done=_done(ctx),
    )


def board_export(ctx: Ctx) -> Response:
    kind = ctx.request.path_params["kind"]
    with ctx.db.session() as session:
        view = board.build_board(session, date.today(), _filter(ctx))
        shown = [r.plan or r.cancelled for _, rows in view.regions for r in rows]
        changed = last_changes(session, [p.plan_id for p in shown if p is not None])
    audit.log(ctx.db, ctx.actor, "export.planning", kind, f"{view.count} rows", ctx.remote)
    return exports.download(
        kind,
        "planning",
        [
            "region",
            "IETP id",
            "factory",
            "factory (zh)",
            "city",
            "headcount",
            "seal issued",
            "window opens",
            "window closes",
            "factory state",
            "plan",
            "specialist",
            "proposed date",
            "confirmed date",
            "visit",
            "warnings",
            "unavailable",
            "last change",
            "reason",
        ],
        (
            [
                region,
                r.factory.ietp_id,
                r.factory.name_en,
                r.factory.name_zh,
                r.factory.city,
                r.factory.headcount,
                r.factory.seal_issued_on,
                r.factory.window_opens,
                r.factory.window_closes,
                r.factory.state.value,
                r.plan_state,
                r.plan.specialist_name if r.plan else "",
                r.plan.proposed_date if r.plan else None,
                r.plan.confirmed_date if r.plan else None,
                r.plan.uuid if r.plan else "",
                " | ".join(w.text(ctx.lang) for w in r.warnings),
                " | ".join(f"{p.starts_on}..{p.ends_on} {p.name}" for p in r.unavailable),
                *_change_cells(changed, r),
            ]
            for region, rows in view.regions
            for r in rows
        ),
    )


def _change_cells(changed: dict[int, HistoryEntry], row: board.BoardRow) -> list[str]:
    """The plan's latest move, re-date or cancellation and its reason, for the export."""
    shown = row.plan or row.cancelled
    change = changed.get(shown.plan_id) if shown is not None else None
    return [change.text("en"), change.reason] if change is not None else ["", ""]


def assign(ctx: Ctx) -> Response:
    ietp_id = ctx.field("ietp_id").strip()
    specialist = ctx.field("specialist").strip()
    try:
        if not ietp_id or not specialist:
            raise UserError("choose the factory and the specialist")
        day = ctx.date_field("date", "Proposed date")
        man_days = None
        if ctx.field("man_days").strip():
            try:
                man_days = Decimal(ctx.field("man_days").strip())
            except InvalidOperation:
                raise UserError(
                    "{days} man-days is not a plausible visit length",
                    days=ctx.field("man_days")[:20],
                ) from None
        warnings = assigning.warnings_for(ctx.db, ietp_id, day)
        if warnings and ctx.field("anyway") != "1":
            return board_page(
                ctx,
                proposal=Proposal(ietp_id, specialist, day, ctx.field("man_days")[:10], warnings),
            )
        result = assigning.plan_visit(
            ctx.console.config.office_dir,
            ctx.db,
            ietp_id,
            specialist,
            day,
            man_days,
            actor=ctx.actor,
            remote=ctx.remote,
            office_passphrase=ctx.console.config.office_passphrase,
            db_url=ctx.console.config.db_url,
        )
    except UserError as exc:
        return board_page(ctx, exc.text(ctx.lang), 400)
    done = "assigned" if result.new else "moved"
    return _see_other(f"/planning?done={done}#p-{quote(ietp_id, safe='')}")


def confirm(ctx: Ctx) -> Response:
    uuid = ctx.request.path_params["uuid"]
    try:
        day = ctx.date_field("date", "Confirmed date")
        assigning.record_confirmation(
            ctx.db, uuid, day, actor=ctx.actor, via="coordinator", remote=ctx.remote
        )
    except UserError as exc:
        return board_page(ctx, exc.text(ctx.lang), 400)
    return _see_other("/planning?done=confirmed")


def specialist_region(ctx: Ctx) -> Response:
    try:
        assigning.set_region(
            ctx.db, ctx.field("email"), ctx.field("region"), actor=ctx.actor, remote=ctx.remote
        )
    except UserError as exc:
        return board_page(ctx, exc.text(ctx.lang), 400)
    return _see_other("/planning?done=region#load")


def preparation_letter(ctx: Ctx) -> Response:
    uuid = ctx.request.path_params["uuid"]
    pdf = letter.preparation_letter_pdf(ctx.db, uuid, date.today())
    audit.log(ctx.db, ctx.actor, "planning.letter", uuid, "", ctx.remote)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="preparation-letter-{uuid[:8]}.pdf"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


# --- calendar: blackout periods and factories' unavailable dates -------------------------------


def _calendar_rows(ctx: Ctx) -> tuple[list[calendar.Period], list[calendar.Period], int | None]:
    year_text = ctx.request.query_params.get("year", "")
    year = _int(year_text, 0) or None
    with ctx.db.session() as session:
        office = calendar.blackouts(session, year)
        factories = [
            p
            for p in calendar.unavailable(session)
            if year is None or year in (p.starts_on.year, p.ends_on.year)
        ]
    return office, factories, year


def calendar_page(ctx: Ctx, error: str = "", status: int = 200) -> Response:
    office, factories, year = _calendar_rows(ctx)
    return ctx.render(
        "planning_calendar.html",
        status=status,
        blackouts=office,
        unavailable=factories,
        year=year,
        error=error,
        done=_done(ctx),
    )


def calendar_export(ctx: Ctx) -> Response:
    kind = ctx.request.path_params["kind"]
    office, factories, _ = _calendar_rows(ctx)
    audit.log(
        ctx.db,
        ctx.actor,
        "export.planning-calendar",
        kind,
        f"{len(office) + len(factories)} rows",
        ctx.remote,
    )
    return exports.download(
        kind,
        "planning-calendar",
        ["kind", "year", "starts", "ends", "name or reason", "IETP id", "factory"],
        [
            *(["blackout", p.year, p.starts_on, p.ends_on, p.name, "", ""] for p in office),
            *(
                [
                    "factory unavailable",
                    p.starts_on.year,
                    p.starts_on,
                    p.ends_on,
                    p.name,
                    p.factory_ietp_id,
                    p.factory_name,
                ]
                for p in factories
            ),
        ],
    )


def blackout_add(ctx: Ctx) -> Response:
    try:
        calendar.add_blackout(
            ctx.db,
            ctx.field("name"),
            ctx.date_field("starts", "First day"),
            ctx.date_field("ends", "Last day"),
            actor=ctx.actor,
            remote=ctx.remote,
        )
    except UserError as exc:
        return calendar_page(ctx, exc.text(ctx.lang), 400)
    return _see_other("/planning/calendar?done=blackout")


def blackout_remove(ctx: Ctx) -> Response:
    try:
        calendar.remove_blackout(
            ctx.db, int(ctx.request.path_params["period_id"]), actor=ctx.actor, remote=ctx.remote
        )
    except UserError as exc:
        return calendar_page(ctx, exc.text(ctx.lang), 400)
    return _see_other("/planning/calendar?done=removed")


def unavailable_add(ctx: Ctx) -> Response:
    try:
        calendar.add_unavailable(
            ctx.db,
            ctx.field("ietp_id").strip(),
            ctx.date_field("starts", "First day"),
            ctx.date_field("ends", "Last day"),
            ctx.field("reason"),
            actor=ctx.actor,
            remote=ctx.remote,
        )
    except UserError as exc:
        return calendar_page(ctx, exc.text(ctx.lang), 400)
    return _see_other("/planning/calendar?done=unavailable")


def unavailable_remove(ctx: Ctx) -> Response:
    try:
        calendar.remove_unavailable(
            ctx.db, int(ctx.request.path_params["period_id"]), actor=ctx.actor, remote=ctx.remote
        )
    except UserError as exc:
        return calendar_page(ctx, exc.text(ctx.lang), 400)
    return _see_other("/planning/calendar?done=removed")


# (path, methods, roles, handler, name): routes.py makes each a Route of its table
ROUTES: tuple[tuple[str, tuple[str, ...], frozenset[str], Handler, str], ...] = (
    ("/planning", ("GET",), STAFF, board_page, "planning"),
    ("/planning.{kind:str}", ("GET",), STAFF, board_export, "planning_export"),
    ("/planning/assign", ("POST",), MANAGERS, assign, "planning_assign"),
    ("/planning/regions", ("POST",), MANAGERS, specialist_region, "planning_region"),
    ("/planning/visits/{uuid}/confirm", ("POST",), MANAGERS, confirm, "planning_confirm"),
    ("/planning/visits/{uuid}/letter.pdf", ("GET",), STAFF, preparation_letter, "planning_letter"),
    ("/planning/calendar", ("GET",), STAFF, calendar_page, "planning_calendar"),
    ("/planning/calendar.{kind:str}", ("GET",), STAFF, calendar_export, "planning_calendar_export"),
    ("/planning/blackouts", ("POST",), MANAGERS, blackout_add, "planning_blackout_add"),
    (
        "/planning/blackouts/{period_id:int}/delete",
        ("POST",),
        MANAGERS,
        blackout_remove,
        "planning_blackout_remove",
    ),
    ("/planning/unavailable", ("POST",), MANAGERS, unavailable_add, "planning_unavailable_add"),
    (
        "/planning/unavailable/{period_id:int}/delete",
        ("POST",),
        MANAGERS,
        unavailable_remove,
        "planning_unavailable_remove",
    ),
)
