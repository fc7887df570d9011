"""Errors a clerk can act on. Each carries an untranslated English message and parameters."""

from __future__ import annotations

from app.kernel.messages import CONTEXT


class UserError(Exception):
    """Something the user can fix or must be told; never a bug.

    `message` is an English source string marked with QT_TRANSLATE_NOOP("messages", ...);
    `params` fill its {placeholders} after translation; `field` names the input at fault.
    """

    context = CONTEXT

    def __init__(self, message: str, field: str | None = None, **params) -> None:
        self.message = message
        self.field = field
        self.params = params
        super().__init__(self.text())

    def text(self, translate=None) -> str:
        template = translate(self.context, self.message) if translate else self.message
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return template


class ValidationError(UserError):
    """One or more field errors; nothing was saved. `errors` maps field -> UserError."""

    def __init__(self, errors: dict[str, UserError]) -> None:
        self.errors = errors
        first_field, first = next(iter(errors.items()))
        super().__init__(first.message, field=first_field, **first.params)

    @classmethod
    def single(cls, field: str, message: str, **params) -> "ValidationError":
        return cls({field: UserError(message, field=field, **params)})


class ConflictError(UserError):
    """Someone else changed the record first; the other change survives."""


class NotFound(UserError):
    pass


class PermissionDenied(UserError):
    pass


class AuthError(UserError):
    pass


class StorageError(UserError):
    """The database cannot be used as it is (locked, read-only, full, corrupted, unreachable)."""
