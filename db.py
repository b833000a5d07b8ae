"""The one engine, short sessions, the write lock and the migrations."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, exc
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

MIGRATIONS_DIR = Path(__file__).parent / 'migrations'
_engine: Engine | None = None
_reader: Engine | None = None  # the same engine's connections in autocommit, for `reading` on PostgreSQL
BUSY_TIMEOUT_S = 10
# A SQLite file has one writer at a time: this process's writers queue here, in order, rather than in SQLite's
# busy-timeout sleeps (where a waiting writer naps up to 100 ms between looks and can lose every race).
_writers: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_writers_guard = threading.Lock()


def make_engine(url: str) -> Engine:
    """An engine for `url`: SQLite with WAL, foreign keys and a busy timeout, or PostgreSQL."""
    if url.startswith('postgresql://'):
        url = 'postgresql+psycopg://' + url.removeprefix('postgresql://')
    if not url.startswith('sqlite'):
        # LIFO: the connection used last is used next, so a quiet process keeps one warm connection (not pinged, its
        # statements prepared: psycopg prepares one on the server at its fifth run on a connection) rather than
        # cycling through ten that each went idle long enough to be pinged
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_use_lifo=True)
        event.listen(engine.pool, 'checkin', _idle_from_now)
        event.listen(engine.pool, 'checkout', _ping_if_idle)
        return engine
    in_memory = url in ('sqlite://', 'sqlite:///:memory:')
    engine = create_engine(
        url,
        connect_args={'check_same_thread': False, 'timeout': 10},
        **({'poolclass': StaticPool} if in_memory else {}),
    )
    event.listen(engine, 'connect', _sqlite_on_connect)
    event.listen(engine, 'begin', _sqlite_on_begin)
    return engine


PING_IDLE_S = 10.0
"""A pooled PostgreSQL connection idle longer than this is pinged before use (a restarted server, a dropped
connection). Not every one, as pool_pre_ping would: that is a round trip more per session, and on a busy machine
each round trip can wait for the CPU (bench.customers at 200k customers: phone look-up p50 2.5 → 0.9 ms, p95 8.0 →
5.8 ms, without it and with the owner's name in the same query)."""


def _idle_from_now(_dbapi_connection: Any, record: Any) -> None:
    record.info['idle_since'] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    if time.monotonic() - record.info.get('idle_since', time.monotonic()) < PING_IDLE_S:
        return
    try:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # outside a transaction: none left open (a reading session needs none)
        dbapi_connection.execute('SELECT 1')
        dbapi_connection.autocommit = autocommit
    except Exception as e:
        raise exc.DisconnectionError('the pooled connection was closed meanwhile') from e  # the pool makes a new one


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, so a writer can take the lock first
    cursor = dbapi_connection.cursor()
    for pragma in (
        'journal_mode=WAL',
        'synchronous=NORMAL',
        'foreign_keys=ON',
        f'busy_timeout={BUSY_TIMEOUT_S * 1000}',
    ):
        cursor.execute(f'PRAGMA {pragma}')
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get('write_lock', False)
    connection.exec_driver_sql('BEGIN IMMEDIATE' if immediate else 'BEGIN')


def init_engine(url: str) -> Engine:
    """Make the process-wide engine (replacing any earlier one, e.g. between tests)."""
    global _engine, _reader
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(url)
    _reader = _engine.execution_options(isolation_level='AUTOCOMMIT') if _engine.dialect.name == 'postgresql' else None
    return _engine


def get_engine() -> Engine:
    if _engine is None:
        raise RuntimeError('db.init_engine() has not been called')
    return _engine


@contextmanager
def session(*, write_lock: bool = False) -> Iterator[Session]:
    """A short session; `write_lock` takes the database's write lock at once (SQLite BEGIN IMMEDIATE).

    On PostgreSQL the callers lock the rows they change with SELECT ... FOR UPDATE instead.
    """
    with Session(get_engine(), expire_on_commit=False) as s:
        if write_lock:
            begin_write(s)
        yield s


class ReadSession(Session):
    """A session that only reads: see `reading`."""


@event.listens_for(ReadSession, 'before_flush')
def _no_writes(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError('db.reading() is for reads: write through db.session()')


@contextmanager
def reading() -> Iterator[Session]:
    """A short session for a page's or a look-up's reads, nothing written.

    On PostgreSQL its connection runs in autocommit: no BEGIN before the first query and no ROLLBACK at the end, so
    a one-query look-up is one round trip instead of three. Nothing is lost: at READ COMMITTED every statement takes its
    own snapshot inside a transaction too. On SQLite (no round trips; one snapshot for the whole read) it is an
    ordinary session.
    """
    engine = get_engine()
    with ReadSession(_reader or engine, expire_on_commit=False) as s:
        yield s


def end_read(session: Session) -> None:
    """End a transaction that has only read, so the next one can start as a writer."""
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError('the session has changes that are not committed')
        session.commit()


def begin_write(session: Session) -> None:
    """Start the transaction as a writer: on SQLite take the write lock now (BEGIN IMMEDIATE), so a transaction
    that reads and then writes never fails at its first write; PostgreSQL's row locks need nothing here."""
    end_read(session)
    engine = session.get_bind()
    if engine.dialect.name != 'sqlite' or not isinstance(engine, Engine):
        return
    writer = _writer_queue(engine)
    # bounded: should this thread already write through another session, SQLite's busy timeout decides, as before
    queued = writer.acquire(timeout=BUSY_TIMEOUT_S)
    release = release_at_end(session, writer.release if queued else lambda: None)
    try:
        session.connection(execution_options={'write_lock': True})
    except BaseException:
        session.rollback()
        release()
        raise


@contextmanager
def write_lock_if_free() -> Iterator[bool]:
    """SQLite: True, holding this process's write lock until the block ends, if no other thread holds it now (work on
    the event loop must not wait for a thread's transaction; a session begun inside takes it again, as its own
    thread); False, holding nothing, if one does. Other databases: True, nothing held."""
    engine = get_engine()
    if engine.dialect.name != 'sqlite':
        yield True
        return
    with held_if_free(_writer_queue(engine)) as taken:
        yield taken


@contextmanager
def held_if_free(lock: threading.RLock) -> Iterator[bool]:
    """True, holding `lock` until the block ends, if no other thread holds it now; False, holding nothing, if one
    does."""
    taken = lock.acquire(blocking=False)
    try:
        yield taken
    finally:
        if taken:
            lock.release()


def release_at_end(session: Session, release: Callable[[], object]) -> Callable[[], None]:
    """Call `release` once, when the session's current transaction ends (commit, rollback or close; a savepoint
    ending inside it does not count). Returns a function that releases now if that has not happened yet."""
    done = False

    def once() -> None:
        nonlocal done
        if not done:
            done = True
            release()

    def ended(_session: Session, transaction: Any) -> None:
        if transaction.parent is None:
            once()

    event.listen(session, 'after_transaction_end', ended)
    return once


def _writer_queue(engine: Engine) -> threading.RLock:
    with _writers_guard:
        return _writers.setdefault(engine, threading.RLock())


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option('script_location', str(MIGRATIONS_DIR))
    cfg.set_main_option('sqlalchemy.url', url.replace('%', '%%'))
    return cfg


def migrate(engine: Engine | None = None) -> None:
    """Bring the schema to the newest migration."""
    engine = engine or get_engine()
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes['connection'] = connection
        command.upgrade(cfg, 'heads')  # parts may branch from the same revision
