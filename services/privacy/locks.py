"""A job that runs in every process but must do its work once: PostgreSQL advisory locks, SQLite's write lock."""

from __future__ import annotations

import zlib

from sqlalchemy import text
from sqlmodel import Session

import db


def once_across_processes(session: Session, name: str) -> bool:
    """Take the lock `name` for this transaction; False when another process holds it (skip the work this time).

    PostgreSQL: a transaction-level advisory lock, freed at commit or rollback. SQLite: the database's write lock
    (BEGIN IMMEDIATE), which queues a second process behind the first; the work must then find nothing left to do.
    """
    if session.get_bind().dialect.name == 'postgresql':
        key = zlib.crc32(f'anchang/{name}'.encode())  # a stable 32-bit key per job name
        return bool(session.execute(text('SELECT pg_try_advisory_xact_lock(:key)'), {'key': key}).scalar())
    db.begin_write(session)
    return True
