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
