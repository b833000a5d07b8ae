"""This process's place in its group: the bus and the job leases on PostgreSQL, nothing on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from services.core import events

from .bus import PgBus
from .jobs import Leases, lock_key

_bus: PgBus | None = None
_leases: Leases | None = None


def join(engine: Engine, *, processes: int = 1) -> None:
    """On PostgreSQL, periodic jobs are leased (whoever else runs the app's jobs on the database: run_once), and
    with more than one process (ANCHANG_PROCESSES) every emit is also published to the group's other processes and
    theirs re-emitted here. One process has nobody to tell: there the bus would only add a round trip after every
    change, in the site's writer, and a listener reading back each of its own messages. On SQLite events stay in
    this process (there is only one). Call `start` once the app's loop runs."""
    global _bus, _leases
    leave()
    if engine.dialect.name != 'postgresql':
        return
    _leases = Leases(make_url(engine.url).set(drivername='postgresql').render_as_string(hide_password=False))
    if processes > 1:
        _bus = PgBus(engine)
        events.use_bus(_bus)


def start() -> None:
    """Start listening to the other processes."""
    if _bus is not None:
        _bus.start()


def leave() -> None:
    """Stop listening and let go of every job this process holds (at shutdown, and between tests)."""
    global _bus, _leases
    events.use_bus(None)
    if _bus is not None:
        _bus.stop()
    if _leases is not None:
        _leases.close()
    _bus = _leases = None


def run_once(name: str) -> bool:
    """True if this process is the one of its group that runs the periodic job `name`: ask at every run.

    The first process to ask holds `name` (a PostgreSQL advisory lock on a connection of its own) for as long as it
    lives; when it dies or loses that connection, the next process to ask takes the job over. On SQLite there is
    one process, so always True. Cheap: one round trip.

        if group.run_once('complaint_sweep'):
            escalate_overdue(session)
    """
    return True if _leases is None else _leases.hold(name)


def health(engine: Engine) -> dict[str, object]:
    """What the proxy and an operator need to know about this process: can it serve, and what it holds."""
    try:
        with engine.connect() as c:
            c.execute(text('SELECT 1'))
        database = True
    except Exception:
        database = False
    bus = 'in-process' if _bus is None else _bus.state
    return {
        'ok': database and bus in ('in-process', 'listening'),
        'database': database,
        'bus': bus,
        'process': None if _bus is None else _bus.origin,
        'jobs': [] if _leases is None else _leases.held(),
    }


@contextmanager
def one_at_a_time(engine: Engine, name: str) -> Iterator[None]:
    """The group's processes do this one after another (at start: the migrations and the first run), waiting for
    each other on a PostgreSQL advisory lock; on SQLite there is one process, nothing to wait for."""
    if engine.dialect.name != 'postgresql':
        yield
        return
    with engine.connect().execution_options(isolation_level='AUTOCOMMIT') as c:
        c.execute(text('SELECT pg_advisory_lock(:key)'), {'key': lock_key(name)})
        try:
            yield
        finally:
            c.execute(text('SELECT pg_advisory_unlock(:key)'), {'key': lock_key(name)})
