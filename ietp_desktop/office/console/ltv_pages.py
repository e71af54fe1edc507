"""The report as its specialist signed it, before the office's seal (chain of custody).

The console's "Open the report" gives the sealed file the office stores (PAdES B-LTA, verifies
after the signer's certificate expires). This page gives its first bytes, the original, whose
sha256 is the one the laptop sent and the office kept."""

from __future__ import annotations

import io

from starlette.responses import Response, StreamingResponse

from ietp_desktop.domain.errors import NotFound
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.console import visit_page
from ietp_desktop.office.console.invoice_pages import STAFF
from ietp_desktop.office.console.web import Ctx
from ietp_desktop.office.report_seal import original_report


def report_original(ctx: Ctx) -> Response:
    uuid = ctx.request.path_params["uuid"]
    revision = int(ctx.request.path_params["revision"])
    visit_id = visit_page.require_visit_id(ctx.db, uuid)
    path = visit_page.report_file(ctx.db, ctx.console.config.office_dir, uuid, revision)
    with ctx.db.session() as session:
        data = original_report(session, path, visit_id, revision)
    if data is None:
        raise NotFound("the office holds no report for revision {revision}", revision=revision)
    audit.log(ctx.db, ctx.actor, "report.open-original", f"{uuid} r{revision}", "", ctx.remote)
    name = f"visit-{uuid[:8]}-r{revision}-original.pdf"
    return StreamingResponse(
        io.BytesIO(data),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


ROUTES = (
    (
        "/visits/{uuid}/report/{revision:int}/original",
        ("GET",),
        STAFF,
        report_original,
        "report_original",
    ),
)
