"""The factory page: certificate status and its history, visits, open CAP lines, invoices and
escalations on one screen."""

from __future__ import annotations

from datetime import date

from starlette.responses import Response

from ietp_desktop.office.console.invoice_pages import STAFF
from ietp_desktop.office.console.web import Ctx
from ietp_desktop.office.escalations import factory_overview


def factory_page(ctx: Ctx) -> Response:
    with ctx.db.session() as session:
        overview = factory_overview.load(session, ctx.request.path_params["ietp_id"], date.today())
    return ctx.render("factory_overview.html", f=overview)


ROUTES = (("/factories/{ietp_id}", ("GET",), STAFF, factory_page, "factory_overview"),)
