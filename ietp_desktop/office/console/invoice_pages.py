"""Console pages of the fees: invoice lists, one invoice with its send / receipt / payment
forms and PDFs, the Training and Development Fund, and the follow-up settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from starlette.responses import RedirectResponse, Response

from ietp_desktop.domain.errors import NotFound, UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.accounts.users import ADMINISTRATOR, COORDINATOR, READ_ONLY, REVIEWER
from ietp_desktop.office.console import exports
from ietp_desktop.office.console.web import Ctx, query_date
from ietp_desktop.office.fees import fund, invoice_pdf, invoices, settings
from ietp_desktop.storage.models import Factory

STAFF = frozenset({ADMINISTRATOR, COORDINATOR, REVIEWER, READ_ONLY})
MANAGERS = frozenset({ADMINISTRATOR, COORDINATOR})
ADMINS = frozenset({ADMINISTRATOR})

DONE = {
    "sent": "The sending date is recorded.",
    "received": "The receipt date is recorded and the due date computed.",
    "paid": "The payment is recorded.",
    "settings": "The settings are saved.",
}


def _filter(ctx: Ctx) -> invoices.InvoiceFilter:
    q = ctx.request.query_params
    show = q.get("show", "")
    return invoices.InvoiceFilter(
        show=show if show in invoices.LISTS else "",
        text=q.get("q", "")[:100].strip(),
        due_from=query_date(q.get("from", "")),
        due_to=query_date(q.get("to", "")),
    )


def invoice_list(ctx: Ctx) -> Response:
    flt = _filter(ctx)
    today = date.today()
    with ctx.db.session() as session:
        rows = invoices.list_invoices(session, flt, today, limit=1000)
        grace = settings.read_days(session, settings.TERMINATION_GRACE_DAYS)
        balance = fund.fund_balance(session)
    return ctx.render(
        "invoice_list.html",
        rows=rows,
        flt=flt,
        grace=grace,
        balance=balance,
        outstanding=sum((r.outstanding_usd for r in rows if r.status != "paid"), Decimal("0.00")),
    )


def invoice_export(ctx: Ctx) -> Response:
    kind = ctx.request.path_params["kind"]
    with ctx.db.session() as session:
        rows = invoices.list_invoices(session, _filter(ctx), date.today())
    audit.log(ctx.db, ctx.actor, "export.invoices", kind, f"{len(rows)} rows", ctx.remote)
    return exports.download(kind, "invoices", invoices.EXPORT_HEADER, invoices.export_rows(rows))


def _detail(ctx: Ctx, error: str = "", status: int = 200) -> Response:
    key = ctx.request.query_params.get("done", "")
    with ctx.db.session() as session:
        row = invoices.invoice_row(session, ctx.request.path_params["uuid"], date.today())
    return ctx.render(
        "invoice_detail.html",
        status=status,
        inv=row,
        error=error,
        done=ctx.t(DONE[key]) if key in DONE and not error else "",
        can_act=ctx.user is not None and ctx.user.role in MANAGERS,
        today=date.today(),
    )


def invoice_detail(ctx: Ctx) -> Response:
    return _detail(ctx)


def _act(ctx: Ctx, done: str, action: str) -> Response:
    ref = ctx.request.path_params["uuid"]
    today = date.today()
    try:
        with ctx.db.session() as session:
            if action == "send":
                invoices.send(
                    session,
                    ref,
                    ctx.date_field("sent_on", "Sent on"),
                    ctx.actor,
                    today,
                    ctx.remote,
                )
            elif action == "receive":
                invoices.receive(
                    session,
                    ref,
                    ctx.date_field("received_on", "Received on"),
                    ctx.actor,
                    today,
                    ctx.remote,
                )
            else:
                invoices.pay(
                    session,
                    ref,
                    ctx.date_field("paid_on", "Payment date"),
                    invoices.parse_amount(ctx.field("amount")),
                    ctx.actor,
                    today,
                    ctx.remote,
                )
    except NotFound:
        raise
    except UserError as exc:
        return _detail(ctx, exc.text(ctx.lang), 400)
    return RedirectResponse(f"/invoices/{ref}?done={done}", status_code=303)


def invoice_send(ctx: Ctx) -> Response:
    return _act(ctx, "sent", "send")


def invoice_receive(ctx: Ctx) -> Response:
    return _act(ctx, "received", "receive")


def invoice_pay(ctx: Ctx) -> Response:
    return _act(ctx, "paid", "pay")


def _pdf(ctx: Ctx, kind: str) -> Response:
    today = date.today()
    with ctx.db.session() as session:
        row = invoices.invoice_row(session, ctx.request.path_params["uuid"], today)
        if kind == "reminder" and row.status in ("draft", "paid"):
            message = ctx.t(
                "Invoice {number} is not owed (not sent or paid): there is nothing to remind.",
                number=row.number,
            )
            return ctx.render("error.html", status=400, status_code=400, message=message)
        factory = session.get(Factory, invoices.find(session, row.number).factory_id)
        assert factory is not None
        to = invoice_pdf.Addressee(
            factory.name_en,
            factory.name_zh,
            factory.address,
            factory.city,
            factory.contact_name,
            factory.contact_email,
        )
    data = (
        invoice_pdf.invoice_pdf(row, to, today)
        if kind == "invoice"
        else invoice_pdf.reminder_pdf(row, to, today)
    )
    audit.log(ctx.db, ctx.actor, f"{kind}.pdf", row.number, "", ctx.remote)
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{row.number}-{kind}.pdf"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def invoice_pdf_page(ctx: Ctx) -> Response:
    return _pdf(ctx, "invoice")


def reminder_pdf_page(ctx: Ctx) -> Response:
    return _pdf(ctx, "reminder")


# --- the fund --------------------------------------------------------------------------------


def _fund_range(ctx: Ctx) -> tuple[date | None, date | None]:
    q = ctx.request.query_params
    return query_date(q.get("from", "")), query_date(q.get("to", ""))


def fund_page(ctx: Ctx) -> Response:
    start, end = _fund_range(ctx)
    with ctx.db.session() as session:
        months = fund.income_by_month(session, start, end)
        balance = fund.fund_balance(session)
        share = settings.read(session, settings.FUND_SHARE_PERCENT)
    return ctx.render(
        "invoice_fund.html",
        months=months,
        bars=fund.chart_bars(months),
        balance=balance,
        share=share,
        start=start,
        end=end,
        width=fund.CHART_WIDTH,
        height=fund.CHART_HEIGHT,
        bottom=fund.CHART_BOTTOM,
        period_total=sum((m.amount_usd for m in months), Decimal("0.00")),
    )


def fund_export(ctx: Ctx) -> Response:
    kind = ctx.request.path_params["kind"]
    start, end = _fund_range(ctx)
    with ctx.db.session() as session:
        months = fund.income_by_month(session, start, end)
    audit.log(ctx.db, ctx.actor, "export.fund", kind, f"{len(months)} rows", ctx.remote)
    return exports.download(
        kind,
        "fund",
        ["month", "income USD", "invoices"],
        ([m.month, m.amount_usd, m.invoices] for m in months),
    )


# --- settings --------------------------------------------------------------------------------


def _settings_values(ctx: Ctx) -> list[tuple[settings.NumberSetting, object]]:
    with ctx.db.session() as session:
        return [(s, settings.read(session, s)) for s in settings.ALL]


def settings_page(ctx: Ctx, error: str = "", status: int = 200) -> Response:
    key = ctx.request.query_params.get("done", "")
    return ctx.render(
        "invoice_settings.html",
        status=status,
        values=_settings_values(ctx),
        error=error,
        done=ctx.t(DONE[key]) if key in DONE and not error else "",
        can_edit=ctx.user is not None and ctx.user.role in ADMINS,
    )


def settings_save(ctx: Ctx) -> Response:
    try:
        with ctx.db.session() as session:
            for setting in settings.ALL:
                text = ctx.field(setting.key)
                if not text.strip():
                    raise UserError("{setting}: give a value", setting=setting.label)
                if settings.parse(setting, text) != settings.read(session, setting):
                    settings.write(session, setting, text, ctx.actor, ctx.remote)
    except UserError as exc:
        return settings_page(ctx, exc.text(ctx.lang), 400)
    return RedirectResponse("/follow-up/settings?done=settings", status_code=303)


ROUTES = (
    ("/invoices", ("GET",), STAFF, invoice_list, "invoices"),
    ("/invoices.{kind:str}", ("GET",), STAFF, invoice_export, "invoices_export"),
    ("/invoices/{uuid}", ("GET",), STAFF, invoice_detail, "invoice"),
    ("/invoices/{uuid}/send", ("POST",), MANAGERS, invoice_send, "invoice_send"),
    ("/invoices/{uuid}/receive", ("POST",), MANAGERS, invoice_receive, "invoice_receive"),
    ("/invoices/{uuid}/pay", ("POST",), MANAGERS, invoice_pay, "invoice_pay"),
    ("/invoices/{uuid}/invoice.pdf", ("GET",), STAFF, invoice_pdf_page, "invoice_pdf"),
    ("/invoices/{uuid}/reminder.pdf", ("GET",), STAFF, reminder_pdf_page, "invoice_reminder"),
    ("/fund", ("GET",), STAFF, fund_page, "fund"),
    ("/fund.{kind:str}", ("GET",), STAFF, fund_export, "fund_export"),
    ("/follow-up/settings", ("GET",), MANAGERS, settings_page, "followup_settings"),
    ("/follow-up/settings", ("POST",), ADMINS, settings_save, "followup_settings_save"),
)
