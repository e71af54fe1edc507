""" "Check new records" on a wage or hours CAP line: the factory's attendance and payroll
files are read with the laptop's importer and checked with its calculators
(office/cap_followup/records_check, as `office cap records` does). Files that need the
reviewer's confirmation wait in the office folder until confirmed; nothing is stored before.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from ietp_desktop.domain.errors import UserError
from ietp_desktop.office.accounts.users import ADMINISTRATOR, COORDINATOR, REVIEWER
from ietp_desktop.office.cap_followup import records_check, records_reading
from ietp_desktop.office.cap_followup.records_reading import (
    MAX_RECORDS_BYTES,
    MAX_RECORDS_FILES,
    safe_name,
)
from ietp_desktop.office.console import cap_pages
from ietp_desktop.office.console.web import Ctx
from ietp_desktop.security.atomic import atomic_write_bytes

REVIEWERS = frozenset({ADMINISTRATOR, COORDINATOR, REVIEWER})
PENDING = "cap-records-pending"
STALE_SECONDS = 24 * 3600
_SHA = re.compile(r"^[0-9a-f]{64}$")


def _pending_dir(ctx: Ctx) -> Path:
    return Path(ctx.console.config.office_dir) / PENDING


def _line_url(uuid: str, code: str) -> str:
    return f"/cap/visits/{uuid}/lines/{quote(code)}"


def _uploads(ctx: Ctx) -> list[tuple[str, bytes]]:
    assert ctx.form is not None
    files: list[tuple[str, bytes]] = []
    for key, value in ctx.form.multi_items():
        if key == "records" and isinstance(value, UploadFile) and value.filename:
            value.file.seek(0)
            files.append((str(value.filename), value.file.read(MAX_RECORDS_BYTES + 1)))
    return files


def _run(ctx: Ctx, files: list[tuple[str, bytes]], confirm: bool) -> Response:
    mapping = ctx.field("mapping")[: records_reading.MAX_MAPPING + 1]
    assert ctx.user is not None
    uuid = ctx.request.path_params["uuid"]
    code = ctx.request.path_params["finding"]
    try:
        outcome = records_check.check_line_records(
            ctx.db,
            ctx.console.config.office_dir,
            uuid,
            code,
            files,
            actor=ctx.actor,
            role=ctx.user.role,
            remote=ctx.remote,
            confirm=confirm,
            mapping=mapping,
        )
    except UserError as exc:
        return cap_pages.line_page(ctx, exc.text(ctx.lang), 400)
    if isinstance(outcome, records_check.Pending):
        return _confirm_page(ctx, uuid, code, files, outcome, mapping)
    _drop_pending(ctx, files)
    return RedirectResponse(_line_url(uuid, code) + "?done=checked#records", 303)


def _confirm_page(
    ctx: Ctx,
    uuid: str,
    code: str,
    files: list[tuple[str, bytes]],
    pending: records_check.Pending,
    mapping: str,
) -> Response:
    """The preview of each file, as the laptop shows it, with a button to go on."""
    folder = _pending_dir(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    _drop_stale(folder)
    tokens: list[tuple[str, str]] = []
    for name, content in files:
        read = next((f for f in pending.files if f.filename == safe_name(name)), None)
        if read is None:
            continue
        target = folder / read.sha256
        if not target.is_file():
            atomic_write_bytes(target, content)
        tokens.append((read.sha256, read.filename))
    return ctx.render(
        "cap_records_confirm.html",
        uuid=uuid,
        code=code.strip().upper(),
        pending=pending,
        tokens=tokens,
        mapping=mapping,
    )


def records_upload(ctx: Ctx) -> Response:
    return _run(ctx, _uploads(ctx), confirm=False)


def records_confirm(ctx: Ctx) -> Response:
    assert ctx.form is not None
    folder = _pending_dir(ctx)
    files: list[tuple[str, bytes]] = []
    names = ctx.form.getlist("name")
    for index, sha in enumerate(ctx.form.getlist("file")):
        sha = str(sha)
        path = folder / sha
        if not _SHA.match(sha) or not path.is_file():
            return cap_pages.line_page(
                ctx, ctx.t("The files to confirm are no longer held; upload them again."), 400
            )
        name = str(names[index]) if index < len(names) else sha[:12]
        files.append((name, path.read_bytes()))
    if not files:
        return cap_pages.line_page(ctx, ctx.t("Choose the files to check."), 400)
    return _run(ctx, files, confirm=True)


def _drop_stale(folder: Path) -> None:
    """Files a reviewer never confirmed are dropped after a day."""
    limit = time.time() - STALE_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _drop_pending(ctx: Ctx, files: list[tuple[str, bytes]]) -> None:
    import hashlib

    folder = _pending_dir(ctx)
    for _, content in files:
        (folder / hashlib.sha256(content).hexdigest()).unlink(missing_ok=True)


records_upload.max_files = MAX_RECORDS_FILES + 1  # type: ignore[attr-defined]
records_upload.max_body = MAX_RECORDS_FILES * MAX_RECORDS_BYTES + (1 << 20)  # type: ignore[attr-defined]

# (path, methods, roles, handler, name): the rows this module adds to routes.ROUTES
ROUTES: tuple[tuple[str, tuple[str, ...], frozenset[str], Any, str], ...] = (
    (
        "/cap/visits/{uuid}/lines/{finding}/records",
        ("POST",),
        REVIEWERS,
        records_upload,
        "cap_records",
    ),
    (
        "/cap/visits/{uuid}/lines/{finding}/records/confirm",
        ("POST",),
        REVIEWERS,
        records_confirm,
        "cap_records_confirm",
    ),
)
