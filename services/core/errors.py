"""Domain errors carry a Chinese message (the translation key) and its parameters."""

from __future__ import annotations

from typing import Any

from services.core.i18n import t


class DomainError(Exception):
    """A rule of the domain refused the action; the message is for the user."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.params = params

    def __reduce__(self) -> tuple[Any, ...]:
        """Picklable, so an error raised in a worker process (run.cpu_bound) reaches the page intact."""
        return _rebuild, (type(self), self.message, self.params, getattr(self, 'field', None))

    def translated(self) -> str:
        """The message in the current user's language."""
        return t(self.message, **self.params)


class ValidationError(DomainError):
    """A field's value is not acceptable."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


class PermissionDenied(DomainError):
    """The actor's role or site does not allow this."""

    def __init__(self, message: str = '没有权限执行此操作') -> None:
        super().__init__(message)


class NotFound(DomainError):
    """The thing does not exist, or not for this actor's site."""

    def __init__(self, message: str = '找不到该记录') -> None:
        super().__init__(message)


def _rebuild(cls: type[DomainError], message: str, params: dict[str, Any], field: str | None) -> DomainError:
    error = DomainError.__new__(cls)
    DomainError.__init__(error, message, **params)
    if field is not None:
        error.field = field  # type: ignore[attr-defined]
    return error
