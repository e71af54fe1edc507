"""Test set-up: the closing-meeting signatures completion needs (specialist and senior manager)."""

from __future__ import annotations

from ietp_desktop.reports.sample import signature_png
from ietp_desktop.services.visits import signatures
from ietp_desktop.storage.db import Database


def sign_closing(db: Database, uuid: str, senior: str, specialist: str = "Tester") -> None:
    signatures.save_signature(db, uuid, "specialist", specialist, signature_png(3))
    signatures.save_signature(db, uuid, "factory", senior, signature_png(5))
