"""Typed, expected errors. Their message is user-facing text, shown ephemerally by the central handler.

Anything that is *not* a :class:`UserError` is a bug: it is logged with a traceback and the member
sees a short apology with an id that matches the log line.
"""

from __future__ import annotations


class DramabotError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigError(DramabotError):
    """The configuration or the environment is unusable (CLI: one line, exit code 2)."""


class StoreError(DramabotError):
    """The database cannot be opened or migrated (CLI: one line, exit code 2)."""


class UserError(DramabotError):
    """Something a member did that we refuse, with text that tells them why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(UserError):
    """An option value is out of range or malformed."""


class NotFound(UserError):
    """The thing the member named does not exist."""


class NotAllowed(UserError):
    """The member lacks the permission the action needs."""


class OnCooldown(UserError):
    """The member is acting too fast."""


class StoreBusy(UserError):
    """Another process held the database's write lock for longer than we wait: nothing was written."""

    def __init__(self, message: str = ("The database is busy right now, so nothing was saved. "
                                       "Please try again in a moment.")) -> None:
        super().__init__(message)
