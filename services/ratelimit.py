"""Fixed-window rate limits kept in the database (they hold across restarts and processes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models import RateCounter


def allow(session: Session, key: str, *, limit: int, window: timedelta, now: datetime) -> bool:
    """Count one request for `key`; False once `limit` requests fell in the current window. Caller commits."""
    row = session.get(RateCounter, key[:120]) or RateCounter(key=key[:120], window_start=now, count=0)
    if now - row.window_start >= window:
        row.window_start, row.count = now, 0
    row.count += 1
    session.add(row)
    return row.count <= limit


def preload(session: Session, keys: tuple[str, ...]) -> None:
    """Read the counters of several keys in one query, so that allow() finds them without one query each."""
    list(session.exec(select(RateCounter).where(col(RateCounter.key).in_([key[:120] for key in keys]))))
