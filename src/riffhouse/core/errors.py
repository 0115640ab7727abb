"""The one error type services raise for a request that cannot be carried out.

Views turn it into a form error or a message; the API turns it into
`{"detail": ..., "code": ...}` with `status`. Anything else escaping a service is a bug.
"""

from django.core.exceptions import BadRequest


class ApplicationError(Exception):
    """A refusal with a reason a person can read and a stable machine-readable code."""

    status = 400

    def __init__(
        self,
        detail: str,
        *,
        code: str = "invalid",
        status: int | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.field = field
        self.headers = headers or {}
        if status is not None:
            self.status = status


class NotFound(ApplicationError):
    status = 404

    def __init__(self, detail: str = "Not found.", *, code: str = "not_found") -> None:
        super().__init__(detail, code=code)


class PermissionDenied(ApplicationError):
    status = 403

    def __init__(self, detail: str, *, code: str = "permission_denied") -> None:
        super().__init__(detail, code=code)


class RequestRefused(BadRequest):
    """A request refused before any view reads it (malformed or forbidden text, too large),
    answered by `core.views.bad_request`: `{"detail", "code"}` under /api/, a page elsewhere."""

    def __init__(self, detail: str, *, code: str = "bad_request", status: int = 400) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.status = status
