"""The one error family that services raise.

The web turns it into a form error or a flash message, the API into a JSON body naming the field,
and the CLI into a line on stderr — each in exactly one place.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    """A business rule was broken. `field_errors` maps field names to messages (Chinese)."""

    def __init__(self, message: str, extra: dict | None = None, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        self.field_errors = field_errors or {}

    @classmethod
    def from_validation_error(cls, exc: ValidationError, message: str = "数据校验未通过") -> ApplicationError:
        if hasattr(exc, "error_dict"):
            fields = {name: [str(m) for e in errs for m in e.messages] for name, errs in exc.error_dict.items()}
        else:
            fields = {"__all__": [str(m) for m in exc.messages]}
        details = "；".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in fields.items())
        return cls(f"{message}：{details}", field_errors=fields)

    def as_dict(self) -> dict:
        return {"message": self.message, "fields": self.field_errors, **({"extra": self.extra} if self.extra else {})}


class PermissionDeniedError(ApplicationError):
    """The user may not act on this record (outside their role or units)."""


class ConflictError(ApplicationError):
    """A stale write: somebody saved the record after this user loaded it."""
