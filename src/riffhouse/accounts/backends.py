"""Log in with either the username or the email address, under the log-in throttling.

Our log-in page and the API's token endpoint call `services.user_authenticate` directly;
this backend routes everything else that authenticates through Django (the admin site's
log-in form) through the same service, so no door skips the lock.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.core.http import client_ip
from riffhouse.core.rows import instance_by_pk
from riffhouse.core.sessions import member_loaded


class UsernameOrEmailBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The member of a logged-in request, read on every one of them: with its session
        (core.sessions), or by one statement written once rather than a queryset built each
        time (decision 0043)."""
        loaded = member_loaded(pk=user_id)
        user = loaded if isinstance(loaded, User) else instance_by_pk(model=User, pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        from riffhouse.accounts import services  # services names this backend: import late

        if not username or password is None:
            return None
        try:
            return services.user_authenticate(
                login=username,
                password=password,
                ip=client_ip(request) if request is not None else "unknown",
            )
        except ApplicationError as error:
            if error.code == "too_many_attempts":
                raise PermissionDenied(error.detail) from error  # stop: try no other backend
            return None
