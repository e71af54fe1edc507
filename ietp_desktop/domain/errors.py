"""The one error family every layer raises for problems a user can act on.

Each message names what is wrong and where (file, item, row, visit); front ends print the
message as it is, with no traceback.
"""


class UserError(Exception):
    """Bad input or a refused operation, explained in one line."""


class NotFound(UserError):
    """An id, file or record the user named does not exist."""


class ValidationFailed(UserError):
    """Input that breaks a rule; `problems` lists each one."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = problems or []
