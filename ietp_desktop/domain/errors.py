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
_language: list[Callable[[], str]] = [lambda: "en"]


def use_renderer(renderer: Renderer, language: Callable[[], str]) -> None:
    """Render every user error through `renderer` from now on (i18n installs the catalogue),
    with `language` telling the current language for values rendered without one."""
    _renderer[0] = renderer
    _language[0] = language


def current(language: str | None = None) -> str:
    """`language`, or the current one when None."""
    return language or _language[0]()


def render(message: str, params: Mapping[str, object], language: str | None = None) -> str:
    """`message` with its values in `language` (default: the current one); values that are
    themselves phrases, periods or errors are rendered in the same language first."""
    language = current(language)
    return _renderer[0](message, localized(params, language), language)


def localized(params: Mapping[str, object], language: str) -> dict[str, object]:
    return {
        name: value.text(language) if isinstance(value, Localized | UserError) else value
        for name, value in params.items()
    }


class Localized:
    """A value shown to a user that renders itself in a language: `text(language)`, and
    `str()` in the current one."""

    __slots__ = ()

    def text(self, language: str | None = None) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.text()


class UserError(Exception):
    """Bad input or a refused operation, explained in one line."""

    def __init__(self, message: str, /, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params: dict[str, object] = params

    def text(self, language: str | None = None) -> str:
        return render(self.message, self.params, language)

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
