"""Database sessions (SESSION_ENGINE) that read the session and its member in one query.

Every logged-in request loads its session, then its member: two queries, each of which the
ORM spent ten times its own cost building (decision 0043). Here the session row
(`core.MemberSession`) carries the id of the member it is logged in as, written from its data
whenever Django saves it, so `load` reads the data and the member's row together, in SQL
written once per process. The member is handed to the authentication backend
(`member_loaded`), and Django's own checks run on it as before: the session's user id and
auth hash, and whether the member may log in. Writing, expiry and clearing are Django's."""

import re
from contextvars import ContextVar
from typing import Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

from riffhouse.core.rows import columns_sql, instance_from_row, primary_key_column

_KEY = re.compile(f"[{re.escape(VALID_KEY_CHARS)}]{{8,40}}")

# The member read with the session in this thread, until the backend takes it.
_member: ContextVar[Model | None] = ContextVar("session_member", default=None)


def member_loaded(*, pk: Any) -> Model | None:
    """The member read with this request's session, if it is member `pk` (taken: a second
    ask reads the database)."""
    member = _member.get()
    _member.set(None)
    return member if member is not None and str(member.pk) == str(pk) else None


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        """Only keys Django could have made (its characters, 8 to 40 of them): anything else
        in the cookie is no session rather than a query (a NUL byte is an error to
        PostgreSQL, which made a 500 of a forged cookie)."""
        return bool(key) and _KEY.fullmatch(key or "") is not None

    @classmethod
    def get_model_class(cls) -> type[AbstractBaseSession]:
        from riffhouse.core.models import MemberSession

        return MemberSession

    def create_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        session = super().create_model_instance(data)
        try:
            session.member_id = int(data[SESSION_KEY])  # type: ignore[attr-defined]
        except (KeyError, TypeError, ValueError):
            session.member_id = None  # type: ignore[attr-defined]
        return session

    def load(self) -> dict[str, Any]:
        _member.set(None)
        if self.session_key is None:
            return {}
        model, user = self.model, get_user_model()
        alias = router.db_for_read(model)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(
                _sql(model, user, alias),
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # unknown or expired: a new session, as Django does
            return {}
        if row[1] is not None:
            _member.set(instance_from_row(model=user, alias=alias, row=row[1:]))
        return self.decode(str(row[0]))


_statements: dict[tuple[type[AbstractBaseSession], type[Model], str], str] = {}


def _sql(model: type[AbstractBaseSession], user: type[Model], alias: str) -> str:
    found = _statements.get((model, user, alias))
    if found is None:
        quote = connections[alias].ops.quote_name
        sessions, members = quote(model._meta.db_table), quote(user._meta.db_table)
        key = quote(primary_key_column(model=user, alias=alias))
        found = _statements[(model, user, alias)] = (
            f"SELECT {sessions}.{quote('session_data')},"  # noqa: S608 -- names from the models
            f" {columns_sql(model=user, alias=alias, table=user._meta.db_table)}"
            f" FROM {sessions} LEFT JOIN {members}"
            f" ON {members}.{key} = {sessions}.{quote('member_id')}"
            f" WHERE {sessions}.{quote('session_key')} = %s"
            f" AND {sessions}.{quote('expire_date')} > %s"
        )
    return found
