"""The bus between a group's processes: PostgreSQL LISTEN/NOTIFY on one dedicated connection per process.

Every committed emit is published as a small NOTIFY (the event and its ids) and re-emitted by the other processes
as the same nicegui Event, so their pages refresh and re-read from the database. A rotation change also bumps the
site's version in `group_version` in the same statement: boards are cached per version, and the version comes from
the database, so a process never keeps serving a board another process has changed.

NOTIFY is delivered at commit and never replayed to a listener that was away: after every (re)connect the bus
LISTENs first, then reads the versions and re-emits what changed while it was away (resync).
LISTEN needs a session of its own: point the bus at PostgreSQL itself, never through a transaction pooler.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
import uuid
from typing import Any

import psycopg
from nicegui import Event
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from services.core import events
from services.core.events import Unanswered, VisitorAlert

CHANNEL = 'anchang_events'
MAX_PAYLOAD = 7900  # PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more
CHECK_EVERY_S = 5.0  # an idle listener asks the server this often whether its connection still works
log = logging.getLogger(__name__)

EVENTS: dict[str, Event[Any]] = {
    'staff_changed': events.staff_changed,
    'site_changed': events.site_changed,
    'rotation_changed': events.rotation_changed,
    'visitor_assigned': events.visitor_assigned,
    'visitor_unanswered': events.visitor_unanswered,
    'duty_changed': events.duty_changed,
    'complaint_changed': events.complaint_changed,
}
NAMES = {id(event): name for name, event in EVENTS.items()}
RESYNCED = ('site_changed', 'staff_changed', 'duty_changed', 'complaint_changed')  # per site, after a reconnect

_REST = 'SELECT count(pg_notify(:channel, p)) FROM unnest(CAST(:rest AS text[])) AS p'  # the other messages
_BUMP = """
WITH v AS (
    INSERT INTO group_version (key, version) VALUES (:key, 1)
    ON CONFLICT (key) DO UPDATE SET version = group_version.version + 1
    RETURNING version
)
SELECT version, pg_notify(:channel, jsonb_set(CAST(:payload AS jsonb), '{v}', to_jsonb(version))::text),
    (SELECT count(pg_notify(:channel, p)) FROM unnest(CAST(:rest AS text[])) AS p)
FROM v
"""


def rotation_key(site_id: int) -> str:
    return f'rotation:{site_id}'


class PgBus:
    """This process's end of the bus (events.Bus): publishes from any thread, listens in a thread of its own."""

    def __init__(self, engine: Engine, *, channel: str = CHANNEL) -> None:
        self.engine = engine
        self.channel = channel
        self.origin = uuid.uuid4().hex[:12]  # our own messages come back to us: skip them
        self.state = 'stopped'  # connecting, listening, reconnecting, stopped
        self.connects = 0
        self.name = f'anchang bus {self.origin}'  # its connection's application_name, as pg_stat_activity shows it
        self._dsn = make_url(engine.url).set(drivername='postgresql').render_as_string(hide_password=False)
        self._versions: dict[int, int] = {}
        self._versions_lock = threading.Lock()
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start listening (returns at once; `wait_listening` waits for the first connection)."""
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self.state = 'connecting'
            self._thread = threading.Thread(target=self._run, name='anchang group bus', daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.state = 'stopped'
        self._listening.clear()

    def wait_listening(self, timeout: float) -> bool:
        return self._listening.wait(timeout)

    def version(self, site_id: int) -> int:
        return self._versions.get(site_id, 0)

    def publish(self, event: Event[Any], args: tuple[Any, ...]) -> None:
        """Tell the other processes (the change is committed: a failure here is logged, never raised)."""
        self.publish_all([(event, args)])

    def publish_all(self, messages: list[tuple[Event[Any], tuple[Any, ...]]]) -> None:
        """Several emits of one commit in one round trip: a group of 50 sign-ins is one rotation change and 50
        alerts, and a round trip each, in the writer's thread, kept the next group and the other processes' alerts
        waiting (bench.signin --processes 2)."""
        rotation: tuple[int, str] | None = None  # (site id, payload): the version is bumped with its message
        rest: list[str] = []
        for event, args in messages:
            name = NAMES.get(id(event))
            if name is None:
                continue
            payload = json.dumps({'o': self.origin, 'e': name, 'a': [_encode(a) for a in args]}, ensure_ascii=False)
            if len(payload.encode()) > MAX_PAYLOAD:
                log.error('group bus: %s too large to publish (%d bytes)', name, len(payload))
            elif name == 'rotation_changed' and rotation is None:
                rotation = (args[0], payload)
            else:
                rest.append(payload)
        if rotation is None and not rest:
            return
        try:
            params: dict[str, Any] = {'channel': self.channel, 'rest': rest}
            with self.engine.connect().execution_options(isolation_level='AUTOCOMMIT') as c:
                if rotation is not None:
                    params |= {'key': rotation_key(rotation[0]), 'payload': rotation[1]}
                    row = c.execute(text(_BUMP), params)
                    self._seen(rotation[0], row.scalar_one())
                else:
                    c.execute(text(_REST), params)
        except Exception:
            log.exception('group bus: could not publish %s', [NAMES.get(id(e)) for e, _ in messages])

    def _run(self) -> None:
        delay = 0.2
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn, **{**CONNECT_ARGS, 'application_name': self.name}) as conn:
                    conn.execute(f'LISTEN {self.channel}')  # first: nothing committed from now on is missed
                    self._resync(conn, reconnected=self.connects > 0)
                    self.connects += 1
                    self.state, delay = 'listening', 0.2
                    self._listening.set()
                    self._listen(conn)
            except Exception as e:  # the server went away, restarted, or refused us: try again
                if not self._stop.is_set():
                    log.warning('group bus: connection lost (%s); reconnecting', e)
            self._listening.clear()
            if not self._stop.is_set():
                self.state = 'reconnecting'
                self._stop.wait(delay)
                delay = min(delay * 2, 5.0)

    def _listen(self, conn: psycopg.Connection[Any]) -> None:
        checked = time.monotonic()
        while not self._stop.is_set():
            for notify in conn.notifies(timeout=0.5):
                self._receive(notify.payload)
            if time.monotonic() - checked > CHECK_EVERY_S:
                conn.execute('SELECT 1')  # raises on a connection that died quietly
                checked = time.monotonic()

    def _receive(self, payload: str) -> None:
        try:
            message = json.loads(payload)
            event, args = EVENTS[message['e']], [_decode(a) for a in message['a']]
        except (ValueError, KeyError, TypeError):
            log.warning('group bus: unreadable message %r', payload[:200])
            return
        if message.get('v') is not None:
            self._seen(args[0], int(message['v']))
        if message.get('o') != self.origin:
            events.emit_here(event, *args)

    def _resync(self, conn: psycopg.Connection[Any], *, reconnected: bool) -> None:
        """The versions as the database has them; boards whose version moved meanwhile (and, after a reconnect,
        every site's other pages) refresh."""
        rows = conn.execute("SELECT key, version FROM group_version WHERE key LIKE 'rotation:%'").fetchall()
        moved = [site_id for key, version in rows if self._seen(site_id := int(key.split(':')[1]), version)]
        for site_id in moved if self.connects else []:
            events.emit_here(events.rotation_changed, site_id)
        if reconnected:
            for (site_id,) in conn.execute('SELECT id FROM site').fetchall():
                for name in RESYNCED:
                    events.emit_here(EVENTS[name], site_id)

    def _seen(self, site_id: int, version: int) -> bool:
        """Keep the newest version known for the site; True if it moved."""
        with self._versions_lock:
            if version > self._versions.get(site_id, 0):
                self._versions[site_id] = version
                return True
            return False


CONNECT_ARGS: dict[str, Any] = {
    'autocommit': True,
    'connect_timeout': 3,
    'application_name': 'anchang group bus',
    'keepalives': 1,  # a peer that vanished (a cable, a crashed host) is noticed in ~10 s, not hours
    'keepalives_idle': 5,
    'keepalives_interval': 2,
    'keepalives_count': 3,
    # and the server notices a vanished process as soon, releasing its job locks for another process
    'options': '-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3',
}


PAYLOADS: dict[str, type[VisitorAlert] | type[Unanswered]] = {'alert': VisitorAlert, 'unanswered': Unanswered}
"""The events whose payload is a small dataclass: it crosses whole (no secrets, well under NOTIFY's 8,000 bytes)."""


def _encode(arg: Any) -> Any:
    for key, kind in PAYLOADS.items():
        if isinstance(arg, kind):
            return {key: dataclasses.asdict(arg)}
    return arg


def _decode(arg: Any) -> Any:
    if isinstance(arg, dict) and len(arg) == 1:
        ((key, fields),) = arg.items()
        if key in PAYLOADS and isinstance(fields, dict):
            return PAYLOADS[key](**fields)
    return arg
