"""Assignments bundles waiting for a specialist's laptop to fetch them from the server.

`<office>/outbox/<e-mail>/<time>-<bundle id>.ietpbundle`: keyed by e-mail, so a laptop whose
certificate was renewed still receives them. Fetching is idempotent on the laptop (an
assignments bundle already imported changes nothing), so bundles stay here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ietp_desktop.office.assignments import find_specialist_certificate
from ietp_desktop.security import certificates as certs
from ietp_desktop.storage.types import utcnow

OUTBOX_DIR = "outbox"


def outbox_dir(office_dir: Path, email: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "@._-" else "_" for c in email.strip().lower())
    return Path(office_dir) / OUTBOX_DIR / safe


def publish(office_dir: Path, bundle: Path, specialist: str) -> Path:
    """Copy `bundle` into the outbox of `specialist` (e-mail or certificate file)."""
    email = certs.email_of(find_specialist_certificate(office_dir, specialist))
    folder = outbox_dir(office_dir, email)
    folder.mkdir(parents=True, exist_ok=True)
    # to the microsecond: a laptop fetches them in name order, and a plan changed twice in one
    # second would otherwise come in random order (the older refused as stale)
    target = folder / f"{utcnow():%Y%m%dT%H%M%S%f}-{Path(bundle).stem[-36:]}.ietpbundle"
    temporary = folder / f".{target.name}.tmp"
    shutil.copyfile(bundle, temporary)
    temporary.replace(target)
    return target
