"""Optionally remember a key passphrase in the OS keyring.

Without a usable keyring backend (headless Linux, CI) every call is a quiet no-op: `recall`
returns None and the reason is logged once at INFO level.
"""

from __future__ import annotations

import logging

import keyring
import keyring.errors
from keyring.backends import fail

SERVICE = "ietp-desktop"
_log = logging.getLogger(__name__)


def _backend_usable() -> bool:
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        _log.info("no OS keyring available; passphrases are not remembered")
        return False
    return True


def remember(key_id: str, passphrase: str) -> bool:
    """Store the passphrase; False when no keyring could take it."""
    if not _backend_usable():
        return False
    try:
        keyring.set_password(SERVICE, key_id, passphrase)
    except keyring.errors.KeyringError as exc:
        _log.info("keyring refused to store a passphrase: %s", exc)
        return False
    return True


def recall(key_id: str) -> str | None:
    if not _backend_usable():
        return None
    try:
        return keyring.get_password(SERVICE, key_id)
    except keyring.errors.KeyringError as exc:
        _log.info("keyring could not be read: %s", exc)
        return None


def forget(key_id: str) -> None:
    if not _backend_usable():
        return
    try:
        keyring.delete_password(SERVICE, key_id)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        _log.info("keyring could not forget a passphrase: %s", exc)
