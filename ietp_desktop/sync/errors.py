"""The refusal every bundle check raises."""

from __future__ import annotations

from pathlib import Path

from ietp_desktop.domain.errors import UserError
from ietp_desktop.i18n import tr


class BundleRefused(UserError):
    """A bundle failed a check; the message names the file and what is wrong."""

    def __init__(self, bundle: Path | str, reason: str) -> None:
        super().__init__(
            tr("bundle {file} refused: {reason}", file=Path(bundle).name, reason=reason)
        )
        self.bundle = Path(bundle)
        self.reason = reason


class SourceChanged(UserError):
    """A payload source no longer has the sha256 it was given; nothing was written."""

    def __init__(self, name: str) -> None:
        super().__init__(
            tr("'{name}' has changed since it was recorded; export stopped", name=name)
        )
        self.name = name
