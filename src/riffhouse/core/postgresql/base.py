"""Django's PostgreSQL backend, with its health check made without a round trip while the
connection is plainly alive.

With CONN_HEALTH_CHECKS, Django asks a kept connection `SELECT 1` before the first query of
every request, so that a connection the server closed (a restart, an idle timeout) is
replaced rather than failing the request. That is a round trip on every request: on a page
answered with one query, half the database's share of the answer (decision 0044).

A server that closes a connection says so on its socket (a termination notice, then the end
of the stream), so an idle connection whose socket has nothing to read has not been closed
by the server. Here the health check first looks at the socket, without waiting: nothing to
read, and no transaction open, means alive; anything else gets Django's `SELECT 1`, and
the connection is replaced if that fails. A connection cut with no word from the server (a
network gone silent) is not caught by either: `SELECT 1` would wait out the same timeout.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_done: bool
    health_check_enabled: bool

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self.socket_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def socket_quiet(self) -> bool:
        """Whether the connection is idle, outside any transaction, with nothing for it to
        read: nothing the server sent (a closing connection's notice) is waiting."""
        connection = self.connection
        try:
            if connection.info.transaction_status != pq.TransactionStatus.IDLE:
                return False
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # closed, or no socket any more
            return False
        return not readable
