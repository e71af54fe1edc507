"""Analytics pages of the console: one handler per page and one per export, all built from the
same functions as `office analytics … --json` (ietp_desktop/office/analytics/)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import func, select
from starlette.responses import Response

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.accounts.users import ADMINISTRATOR, COORDINATOR, READ_ONLY, REVIEWER
from ietp_desktop.office.analytics import charts, pages, training
from ietp_desktop.office.analytics.brief import brief_pdf
from ietp_desktop.office.analytics.labels import cell_text, column_text
from ietp_desktop.office.analytics.model import Period, Report, Table
from ietp_desktop.office.analytics.sql import received
from ietp_desktop.office.console import exports
from ietp_desktop.office.console.web import Ctx, query_date
from ietp_desktop.storage.models import Visit

STAFF = frozenset({ADMINISTRATOR, COORDINATOR, REVIEWER, READ_ONLY})
PAGE_ROWS = 200  # a table longer than this shows its first rows; the exports hold all
MANAGERS = frozenset({ADMINISTRATOR, COORDINATOR})


@dataclass(frozen=True)
class TableView:
    key: str
    title: str
    note: str
    unavailable: str
    more: str
    columns: list[str]
    rows: list[list[str]]
    chart: Markup
    csv: str
    xlsx: str


def filters(ctx: Ctx) -> dict[str, str]:
    q = ctx.request.query_params
    chosen = {
        "from": q.get("from", "")[:10],
        "to": q.get("to", "")[:10],
        "grain": q.get("grain", "") if q.get("grain") in ("month", "quarter") else "",
        "quarter": q.get("quarter", "")[:7],
    }
    return {k: v for k, v in chosen.items() if v}


def period_of(ctx: Ctx, chosen: dict[str, str]) -> Period:
    if chosen.get("quarter"):
        return pages.quarter_or_none(chosen["quarter"]) or Period()
    return Period(query_date(chosen.get("from", "")), query_date(chosen.get("to", "")))


def _report(ctx: Ctx, page: str) -> tuple[Report, dict[str, str]]:
    chosen = filters(ctx)
    with ctx.db.session() as session:
        report = pages.build(page, session, period_of(ctx, chosen), chosen.get("grain", "month"))
    return report, chosen


def _view(ctx: Ctx, page: str, table: Table, chosen: dict[str, str]) -> TableView:
    def link(kind: str) -> str:
        return f"/analytics/{page}.{kind}?" + urlencode(chosen | {"table": table.key})

    chart = Markup("")
    if table.chart is not None and not table.unavailable:
        kind = table.chart.label_kind or table.kind(0)
        chart = charts.render(
            table.chart,
            lambda value: cell_text(kind, value, ctx.lang),
            ctx.t(table.title, **table.params),
            lambda name: column_text(name, table.params, ctx.lang),
        )
    return TableView(
        key=table.key,
        title=ctx.t(table.title, **table.params),
        note=ctx.t(table.note, **table.params) if table.note else "",
        unavailable=ctx.t(table.unavailable, **table.params) if table.unavailable else "",
        more=ctx.t(
            "Showing the first {shown} of {total} rows; the CSV and XLSX exports hold them all.",
            shown=PAGE_ROWS,
            total=len(table.rows),
        )
        if len(table.rows) > PAGE_ROWS
        else "",
        columns=[column_text(c, table.params, ctx.lang) for c in table.columns],
        rows=[
            [cell_text(table.kind(i), value, ctx.lang) for i, value in enumerate(row)]
            for row in table.rows[:PAGE_ROWS]
        ],
        chart=chart,
        csv=link("csv"),
        xlsx=link("xlsx"),
    )


def period_text(ctx: Ctx, period: Period) -> str:
    if period.start is None and period.end is None:
        return ctx.t("All received visits")
    return ctx.t(
        "Visits from {start} to {end}",
        start=period.start.isoformat() if period.start else "…",
        end=period.end.isoformat() if period.end else "…",
    )


def _extra(ctx: Ctx, page: str, chosen: dict[str, str]) -> dict[str, Any]:
    if page != "training":
        return {}
    with ctx.db.session() as session:
        balance = training.fund_balance(session)
    return {
        "fund": f"{balance:,.2f}",
        "pdf": "/analytics/training.pdf?" + urlencode(chosen),
    }


def render_page(ctx: Ctx, page: str) -> Response:
    assert ctx.user is not None
    report, chosen = _report(ctx, page)
    extra = _extra(ctx, page, chosen)
    return ctx.render(
        "analytics_page.html",
        page=page,
        nav=[
            (name, spec.title)
            for name, spec in pages.PAGES.items()
            if ctx.user.role in MANAGERS or not spec.managers_only
        ],
        period_text=period_text(ctx, report.period),
        heading=pages.PAGES[page].title,
        intro=pages.PAGES[page].intro,
        notes=[ctx.t(n, **report.params) for n in report.notes],
        tables=[_view(ctx, page, t, chosen) for t in report.tables],
        chosen=chosen,
        grains=page == "findings",
        quarters=page == "training",
        **extra,
    )


def brief(ctx: Ctx) -> Response:
    chosen = filters(ctx)
    period = period_of(ctx, chosen)
    with ctx.db.session() as session:
        report = training.training_report(session, period)
        visits = session.scalar(select(func.count(Visit.id)).where(*received(period))) or 0
        balance = training.fund_balance(session)
    pdf = brief_pdf(report, balance, int(visits), date.today())
    audit.log(ctx.db, ctx.actor, "export.analytics.training", "brief.pdf", period.label, ctx.remote)
    name = f"training-needs-{chosen.get('quarter') or 'period'}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def export(ctx: Ctx, page: str) -> Response:
    kind = ctx.request.path_params["kind"]
    if kind == "pdf" and page == "training":
        return brief(ctx)
    if kind not in ("csv", "xlsx"):
        raise NotFound(ctx.t("lists download as .csv or .xlsx"))
    report, _ = _report(ctx, page)
    key = ctx.request.query_params.get("table", "") or report.tables[0].key
    try:
        table = report.table(key)
    except UserError as exc:
        raise NotFound(str(exc)) from exc
    audit.log(
        ctx.db, ctx.actor, f"export.analytics.{page}", f"{table.key}.{kind}",
        f"{len(table.rows)} rows, {report.period.label}", ctx.remote,
    )  # fmt: skip
    return exports.download(
        kind,
        f"{page}-{table.key}",
        [column_text(c, table.params, ctx.lang) for c in table.columns],
        (
            [cell_text(table.kind(i), value, ctx.lang) for i, value in enumerate(row)]
            for row in table.rows
        ),
    )


def _page(name: str) -> Callable[[Ctx], Response]:
    def handler(ctx: Ctx) -> Response:
        return render_page(ctx, name)

    handler.__name__ = f"analytics_{name}"
    return handler


def _export(name: str) -> Callable[[Ctx], Response]:
    def handler(ctx: Ctx) -> Response:
        return export(ctx, name)

    handler.__name__ = f"analytics_{name}_export"
    return handler


def _routes() -> tuple[
    tuple[str, tuple[str, ...], frozenset[str], Callable[..., object], str], ...
]:
    made: list[tuple[str, tuple[str, ...], frozenset[str], Callable[..., object], str]] = []
    for name, spec in pages.PAGES.items():
        roles = MANAGERS if spec.managers_only else STAFF
        made.append((f"/analytics/{name}", ("GET",), roles, _page(name), f"analytics_{name}"))
        made.append(
            (
                f"/analytics/{name}.{{kind:str}}",
                ("GET",),
                roles,
                _export(name),
                f"analytics_{name}_export",
            )
        )
    return tuple(made)


# (path, methods, roles, handler, name): routes.py turns them into its Route rows.
ROUTES = _routes()
