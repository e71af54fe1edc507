"""Every keyboard shortcut of the window, in one table: menus, actions and the Help list read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    action: str  # key used by the code
    label: str  # English text, translated when shown
    keys: tuple[str, ...]  # QKeySequence strings; the first is shown first


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("next_item", "Next item", ("Ctrl+Down", "Alt+N")),
    Shortcut("previous_item", "Previous item", ("Ctrl+Up", "Alt+P")),
    Shortcut("next_required", "Next required item still open", ("Ctrl+J",)),
    Shortcut("next_section", "Next section", ("Ctrl+PgDown",)),
    Shortcut("previous_section", "Previous section", ("Ctrl+PgUp",)),
    Shortcut("search", "Go to search", ("Ctrl+F",)),
    Shortcut("raise_finding", "Raise finding for the current item", ("Ctrl+R",)),
    Shortcut("back_to_list", "Back to the visit list", ("Ctrl+L",)),
    Shortcut("help_shortcuts", "Keyboard shortcuts", ("F1",)),
    Shortcut("quit", "Quit", ("Ctrl+Q",)),
)


def shortcut(action: str) -> Shortcut:
    return next(s for s in SHORTCUTS if s.action == action)
