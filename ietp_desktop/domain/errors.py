"""The one error family every layer raises for problems a user can act on.

Each message names what is wrong and where (file, item, row, visit). It is raised as an
English template with its values, `UserError("row {row}: no date", row=7)`, and rendered where
it is shown: `str(error)` uses the renderer the program installed (the translation catalogue in
the UI's language; plain English until one is installed), `error.text("zh")` a given language.
Front ends print the message as it is, with no traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

Renderer = Callable[[str, Mapping[str, object], "str | None"], str]


def english(message: str, params: Mapping[str, object], language: str | None = None) -> str:
    return message.format(**params) if params else message


_renderer: list[Renderer] = [english]


def use_renderer(renderer: Renderer) -> None:
    """Render every user error through `renderer` from now on (i18n installs the catalogue)."""
    _renderer[0] = renderer


class UserError(Exception):
    """Bad input or a refused operation, explained in one line."""

    def __init__(self, message: str, /, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params: dict[str, object] = params

    def text(self, language: str | None = None) -> str:
        return _renderer[0](self.message, self.params, language)

    def __str__(self) -> str:
        return self.text()


class NotFound(UserError):
    """An id, file or record the user named does not exist."""


class ValidationFailed(UserError):
    """Input that breaks a rule; `problems` lists each one."""

    def __init__(
        self, message: str, problems: list[str] | None = None, /, **params: object
    ) -> None:
        super().__init__(message, **params)
        self.problems: list[str] = problems or []
