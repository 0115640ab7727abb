"""Database sessions (SESSION_ENGINE) that read the session and its member in one query.

Every logged-in request loads its session, then its member: two queries, each of which the
ORM spent ten times its own cost building (decision 0043). Here the session row
(`core.MemberSession`) carries the id of the member it is logged in as, written from its data
whenever Django saves it, so `load` reads the data and the member's row together, in SQL
written once per process. The member is handed to the authentication backend
(`member_loaded`), and Django's own checks run on it as before: the session's user id and
auth hash, and whether the member may log in. Writing, expiry and clearing are Django's.

Other values every logged-in page needs ride in the same statement (decision 0044): an app
registers them with `read_with_session` (the cache generations, the unread count), so a kept
page costs the database one round trip, not three."""

import re
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import connections, router
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from riffhouse.core.rows import (
    columns_count,
    columns_sql,
    instance_from_row,
    primary_key_column,
)

_KEY = re.compile(f"[{re.escape(VALID_KEY_CHARS)}]{{8,40}}")

# The member read with the session in this thread, until the backend takes it.
_member: ContextVar[Model | None] = ContextVar("session_member", default=None)


def member_loaded(*, pk: Any) -> Model | None:
    """The member read with this request's session, if it is member `pk` (taken: a second
    ask reads the database)."""
    member = _member.get()
    _member.set(None)
    return member if member is not None and str(member.pk) == str(pk) else None


@dataclass(frozen=True)
class _Read:
    columns: tuple[str, ...]
    take: Callable[[tuple[Any, ...]], None] | None


# What other apps read with the session, by name, in the order registered.
_reads: dict[str, _Read] = {}


def read_with_session(
    *,
    name: str,
    columns: Sequence[str],
    take: Callable[[tuple[Any, ...]], None] | None = None,
) -> None:
    """Read `columns` in the session's statement from now on. Each is an SQL expression that
    gives one value (a scalar subquery most often), in which `{member}` stands for the logged-in
    member's id (NULL for a session without one). What was read goes to `take` while the
    session loads, or, without `take`, is kept for this request: `session_read(request,
    name=)`. Registered by the app whose tables the columns read, in its `AppConfig.ready()`
    (registering a name again replaces it)."""
    _reads[name] = _Read(tuple(columns), take)
    _statements.clear()


def session_read(request: HttpRequest, *, name: str) -> tuple[Any, ...] | None:
    """What `name`'s columns read when this request's session loaded; None when its session
    has not loaded (or holds no member's login), or nothing is registered by that name. The
    values are as the request began: a caller that may have written since reads afresh."""
    session = getattr(request, "session", None)
    read: dict[str, tuple[Any, ...]] | None = getattr(session, "_read_with_session", None)
    return None if read is None else read.get(name)


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
        self._read_with_session: dict[str, tuple[Any, ...]] = {}
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
        width = 1 + columns_count(model=user, alias=alias)
        if row[1] is not None:
            _member.set(instance_from_row(model=user, alias=alias, row=row[1:width]))
            for name, read in _reads.items():
                values = tuple(row[width : width + len(read.columns)])
                width += len(read.columns)
                if read.take is None:
                    self._read_with_session[name] = values
                else:
                    read.take(values)
        return self.decode(str(row[0]))


_statements: dict[tuple[type[AbstractBaseSession], type[Model], str], str] = {}


def _sql(model: type[AbstractBaseSession], user: type[Model], alias: str) -> str:
    found = _statements.get((model, user, alias))
    if found is None:
        quote = connections[alias].ops.quote_name
        sessions, members = quote(model._meta.db_table), quote(user._meta.db_table)
        key = quote(primary_key_column(model=user, alias=alias))
        member = f"{members}.{key}"
        also = "".join(
            f", {column.format(member=member)}"
            for read in _reads.values()
            for column in read.columns
        )
        found = _statements[(model, user, alias)] = (
            f"SELECT {sessions}.{quote('session_data')},"  # noqa: S608 -- names from the models
            f" {columns_sql(model=user, alias=alias, table=user._meta.db_table)}{also}"
            f" FROM {sessions} LEFT JOIN {members}"
            f" ON {members}.{key} = {sessions}.{quote('member_id')}"
            f" WHERE {sessions}.{quote('session_key')} = %s"
            f" AND {sessions}.{quote('expire_date')} > %s"
        )
    return found
