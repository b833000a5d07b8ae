"""A group of sites on several app processes over one PostgreSQL: the events bus, job leases, health.

Public face: `join(engine)` and `start()` in main.py's compose, `leave()` at shutdown; `run_once(name)` for any
periodic job; `health(engine)` for the proxy's health check.
"""

from .bus import CHANNEL, PgBus
from .jobs import lock_key
from .process import health, join, leave, run_once, start

__all__ = ['CHANNEL', 'PgBus', 'health', 'join', 'leave', 'lock_key', 'run_once', 'start']
