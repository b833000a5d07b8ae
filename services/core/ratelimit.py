"""Fixed-window rate limits kept in the database (they hold across restarts and processes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models import RateCounter


def counters(session: Session, keys: list[str]) -> dict[str, RateCounter]:
    """The stored counters of these keys, in one query (a group of requests reads all of theirs at once)."""
    wanted = sorted({key[:120] for key in keys})
    if not wanted:
        return {}
    return {row.key: row for row in session.exec(select(RateCounter).where(col(RateCounter.key).in_(wanted)))}


def count(rows: dict[str, RateCounter], limits: dict[str, int], *, window: timedelta, now: datetime) -> bool:
    """Count one request against each key's limit, on counters read by counters() (a new one is added to `rows`);
    False if any key went over its limit in the current window. Every count stands, allowed or not. The caller adds
    the rows to its session and commits."""
    allowed = True
    for key, limit in limits.items():
        key = key[:120]
        row = rows.get(key)
        if row is None:
            row = rows[key] = RateCounter(key=key, window_start=now, count=0)
        if now - row.window_start >= window:
            row.window_start, row.count = now, 0
        row.count += 1
        allowed = allowed and row.count <= limit
    return allowed
