"""Fixed-window rate limits kept in the database (they hold across restarts and processes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models import RateCounter


def allow(session: Session, limits: dict[str, int], *, window: timedelta, now: datetime) -> bool:
    """Count one request against each key's limit, reading all their counters in one query; False if any key went
    over its limit in the current window. Every count stands, allowed or not. The caller commits."""
    keys = {key[:120]: limit for key, limit in limits.items()}
    found = session.exec(select(RateCounter).where(col(RateCounter.key).in_(list(keys))))
    rows = {row.key: row for row in found}
    allowed = True
    for key, limit in keys.items():
        row = rows.get(key) or RateCounter(key=key, window_start=now, count=0)
        if now - row.window_start >= window:
            row.window_start, row.count = now, 0
        row.count += 1
        session.add(row)
        allowed = allowed and row.count <= limit
    return allowed
