"""What the workspace asks of the pages beside the checklist sections.

Each is a QWidget built as `Page(context, parent)`; the workspace keeps them in a
`list[WorkspacePage]`, so mypy checks every page class against these protocols.
"""

from __future__ import annotations

from typing import Protocol

from ietp_desktop.ui.common.changes import Changes


class WorkspacePage(Protocol):
    def title(self) -> str:
        """The entry in the workspace's list, in the current language."""
        ...

    def refresh(self, changes: Changes = Changes.ALL) -> None:
        """Reload what `changes` touch; all of it when the page is shown."""
        ...

    def retranslate(self) -> None:
        """Set every text again after a live language switch."""
        ...


class HoldsTyping(Protocol):
    """A page whose editors save when left: the workspace flushes it before the language
    changes, a dialog opens or the visit closes."""

    def flush(self) -> None: ...
