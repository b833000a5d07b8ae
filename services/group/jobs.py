"""Periodic jobs that must run in one process of the group only: PostgreSQL advisory locks."""

from __future__ import annotations

import hashlib
import logging
import threading
from typing import Any

import psycopg

from .bus import CONNECT_ARGS

log = logging.getLogger(__name__)


class Leases:
    """The jobs this process holds: session advisory locks on one connection of its own, kept while it lives."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._conn: psycopg.Connection[Any] | None = None
        self._held: set[str] = set()
        self._lock = threading.Lock()

    def hold(self, name: str) -> bool:
        """True if this process holds `name` (taking it now if no other process does)."""
        with self._lock:
            try:
                conn = self._connection()
                if name in self._held:
                    conn.execute('SELECT 1')  # still ours only while our connection lives
                    return True
                row = conn.execute('SELECT pg_try_advisory_lock(%s)', (lock_key(name),)).fetchone()
            except psycopg.Error as e:
                log.warning('run_once(%r): database unreachable (%s); not running it here', name, e)
                self._drop()
                return False
            if row and row[0]:
                self._held.add(name)
                return True
            return False

    def held(self) -> list[str]:
        return sorted(self._held)

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            self._held.clear()  # the server released our locks with the old connection
            self._conn = psycopg.connect(self._dsn, **{**CONNECT_ARGS, 'application_name': 'anchang jobs'})
        return self._conn

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None
        self._held.clear()


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for a job's name."""
    return int.from_bytes(hashlib.blake2b(f'anchang:{name}'.encode(), digest_size=8).digest(), 'big', signed=True)
