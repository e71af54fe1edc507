"""Console pages of the factory register: list with PV window states, add, edit, import."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts import audit
from ietp_desktop.office.accounts.users import ADMINISTRATOR, COORDINATOR, READ_ONLY, REVIEWER
from ietp_desktop.office.console import exports
from ietp_desktop.office.console.web import Ctx, Handler
from ietp_desktop.office.factories import editing, import_list, register
from ietp_desktop.office.factories.fields import FactoryFields, FieldProblem, parse_fields
from ietp_desktop.office.factories.states import STATE_LABELS

STAFF = frozenset({ADMINISTRATOR, COORDINATOR, REVIEWER, READ_ONLY})
MANAGERS = frozenset({ADMINISTRATOR, COORDINATOR})
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
IMPORT_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")
FIELD_LABELS = {
    "ietp_id": "IETP id",
    "name_en": "Name (English)",
    "name_zh": "Name (Chinese)",
    "address": "Address",
    "city": "City",
    "region": "Region",
    "headcount": "Headcount",
    "seal_issued_on": "Seal issue date",
    "contact_name": "Contact",
    "contact_email": "Contact e-mail",
}
DONE = {
    "added": "The factory has been added.",
    "changed": "The factory has been changed.",
    "imported": "The list has been imported: {added} added, {updated} updated.",
}
EXPORT_HEADER = [
    "IETP id", "name", "name (zh)", "address", "city", "region", "headcount",
    "seal issued", "window opens", "window closes", "state", "last visit", "contact",
    "contact e-mail",
]  # fmt: skip


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _filter(ctx: Ctx) -> register.FactoryFilter:
    q = ctx.request.query_params
    state = q.get("state", "")
    return register.FactoryFilter(
        text=q.get("q", "")[:100],
        region=q.get("region", "")[:80],
        state=state if state in STATE_LABELS else "",
    )


def _done(ctx: Ctx) -> str:
    q = ctx.request.query_params
    key = q.get("done", "")
    if key == "imported":
        return ctx.t(DONE[key], added=q.get("added", "0")[:6], updated=q.get("updated", "0")[:6])
    return ctx.t(DONE[key]) if key in DONE else ""


def factories_page(ctx: Ctx, error: str = "", status: int = 200, **form: object) -> Response:
    flt = _filter(ctx)
    with ctx.db.session() as session:
        rows = register.list_factories(session, date.today(), flt, limit=2000)
        region_choices = register.regions(session)
    return ctx.render(
        "factories.html",
        status=status,
        rows=rows,
        flt=flt,
        region_choices=region_choices,
        states=STATE_LABELS,
        fields=FIELD_LABELS,
        today=date.today(),
        error=error,
        done=_done(ctx),
        form=form,
    )


def factories_export(ctx: Ctx) -> Response:
    kind = ctx.request.path_params["kind"]
    with ctx.db.session() as session:
        rows = register.list_factories(session, date.today(), _filter(ctx))
    audit.log(ctx.db, ctx.actor, "export.factories", kind, f"{len(rows)} rows", ctx.remote)
    return exports.download(
        kind,
        "factories",
        EXPORT_HEADER,
        (
            [
                r.ietp_id,
                r.name_en,
                r.name_zh,
                r.address,
                r.city,
                r.region,
                r.headcount,
                r.seal_issued_on,
                r.window_opens,
                r.window_closes,
                r.state.value,
                r.last_visit_on,
                r.contact_name,
                r.contact_email,
            ]
            for r in rows
        ),
    )


def _fields_of_form(ctx: Ctx, ietp_id: str | None = None) -> FactoryFields:
    raw: dict[str, object] = {name: ctx.field(name) for name in FIELD_LABELS}
    if ietp_id is not None:
        raw["ietp_id"] = ietp_id
    try:
        return parse_fields(raw)
    except FieldProblem as problem:
        raise UserError(
            "{column}: {problem}",
            column=ctx.t(FIELD_LABELS[problem.field]),
            problem=problem.text(ctx.lang),
        ) from None


def factory_add(ctx: Ctx) -> Response:
    try:
        fields = _fields_of_form(ctx)
        editing.add_factory(ctx.db, fields, actor=ctx.actor, remote=ctx.remote)
    except UserError as exc:
        typed = {name: ctx.field(name) for name in FIELD_LABELS}
        return factories_page(ctx, exc.text(ctx.lang), 400, **typed)
    return _see_other(f"/factories?done=added&q={quote(fields.ietp_id, safe='')}")


def _edit_page(ctx: Ctx, error: str = "", status: int = 200) -> Response:
    ietp_id = ctx.request.path_params["ietp_id"]
    with ctx.db.session() as session:
        factory = register.get_factory(session, ietp_id)
        values = {name: getattr(factory, name) for name in FIELD_LABELS}
    if ctx.form is not None:
        values |= {name: ctx.field(name) for name in FIELD_LABELS if name != "ietp_id"}
    return ctx.render(
        "factories_edit.html",
        status=status,
        ietp_id=ietp_id,
        values=values,
        fields=FIELD_LABELS,
        error=error,
    )


def factory_edit_form(ctx: Ctx) -> Response:
    return _edit_page(ctx)


def factory_edit(ctx: Ctx) -> Response:
    ietp_id = ctx.request.path_params["ietp_id"]
    try:
        fields = _fields_of_form(ctx, ietp_id)
        editing.edit_factory(ctx.db, ietp_id, fields, actor=ctx.actor, remote=ctx.remote)
    except UserError as exc:
        return _edit_page(ctx, exc.text(ctx.lang), 400)
    return _see_other(f"/factories?done=changed&q={quote(ietp_id, safe='')}")


def factory_import(ctx: Ctx) -> Response:
    upload = ctx.form.get("file") if ctx.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return factories_page(ctx, ctx.t("Choose a CSV or XLSX file to import."), 400)
    name = Path(upload.filename).name[:120]
    suffix = Path(name).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        return factories_page(ctx, ctx.t("{file}: import a .csv or .xlsx file", file=name), 400)
    data = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return factories_page(ctx, ctx.t("{file} is larger than 20 MB", file=name), 400)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            result = import_list.import_factory_list(
                ctx.db, path, actor=ctx.actor, remote=ctx.remote, name=name
            )
        except UserError as exc:
            return factories_page(ctx, exc.text(ctx.lang), 400)
    return _see_other(
        f"/factories?done=imported&added={len(result.added)}&updated={len(result.updated)}"
    )


factory_import.max_files = 1  # type: ignore[attr-defined]

# (path, methods, roles, handler, name): routes.py makes each a Route of its table
ROUTES: tuple[tuple[str, tuple[str, ...], frozenset[str], Handler, str], ...] = (
    ("/factories", ("GET",), STAFF, factories_page, "factories"),
    ("/factories.{kind:str}", ("GET",), STAFF, factories_export, "factories_export"),
    ("/factories", ("POST",), MANAGERS, factory_add, "factory_add"),
    ("/factories/import", ("POST",), MANAGERS, factory_import, "factory_import"),
    ("/factories/{ietp_id}/edit", ("GET",), MANAGERS, factory_edit_form, "factory_edit_form"),
    ("/factories/{ietp_id}/edit", ("POST",), MANAGERS, factory_edit, "factory_edit"),
)
