"""A group of sites on several app processes over one PostgreSQL: the events bus, job leases, health.

Public face: `join(engine)` and `start()` in main.py's compose, `leave()` at shutdown; `run_once(name)` for any
periodic job; `health(engine)` for the proxy's health check;
`one_at_a_time(engine, name)` for what processes starting together must not do at once (migrations).
"""

from .bus import CHANNEL, PgBus
from .jobs import lock_key
from .process import health, join, leave, one_at_a_time, run_once, start

__all__ = ['CHANNEL', 'PgBus', 'health', 'join', 'leave', 'lock_key', 'one_at_a_time', 'run_once', 'start']
