"""The bus between processes on PostgreSQL: two buses in one test stand for two app processes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy import event as sqlalchemy_event
from sqlmodel import Session

import db
from services import group
from services.core import events
from services.core.events import VisitorAlert
from tests.helpers.factories import make_site


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    if not database_url.startswith('postgresql'):
        pytest.skip('the bus between processes needs PostgreSQL')
    engine = db.init_engine(database_url)
    yield engine
    events.use_bus(None)
    engine.dispose()


@pytest.fixture
def buses(engine: Engine) -> Iterator[Callable[[], group.PgBus]]:
    """Makes listening buses on the test's database (each a process of the group); all stopped after the test."""
    made: list[group.PgBus] = []

    def make() -> group.PgBus:
        bus = group.PgBus(engine, channel='anchang_test')
        bus.start()
        assert bus.wait_listening(5)
        made.append(bus)
        return bus

    yield make
    for bus in made:
        bus.stop()


class Received:
    """What one event was emitted with in this process, in order."""

    def __init__(self, event: Any) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.arrived = threading.Event()
        event.subscribe(self._got)

    def _got(self, arg: Any) -> None:  # every event has one argument
        self.calls.append((arg,))
        self.arrived.set()

    def wait(self, n: int = 1, timeout: float = 2.0) -> list[tuple[Any, ...]]:
        deadline = time.monotonic() + timeout
        while len(self.calls) < n and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.calls


def test_a_change_published_by_one_process_is_emitted_once_by_the_other(buses: Callable[[], group.PgBus]) -> None:
    a, _b = buses(), buses()
    seen = Received(events.complaint_changed)
    a.publish(events.complaint_changed, (7,))
    assert seen.wait() == [(7,)]  # b re-emitted it; a skipped its own message (it emitted locally already)
    time.sleep(0.2)
    assert seen.calls == [(7,)]


def test_a_visitor_alert_crosses_whole(buses: Callable[[], group.PgBus]) -> None:
    a, _b = buses(), buses()
    seen = Received(events.visitor_assigned)
    alert = VisitorAlert(
        site_id=1,
        visit_id=2,
        staff_id=3,
        customer='王先生',
        party_size=2,
        returning=True,
        by_owner=False,
        on_behalf_of='李娜',
    )
    a.publish(events.visitor_assigned, (alert,))
    assert seen.wait() == [(alert,)]


def test_rotation_versions_live_in_the_database(buses: Callable[[], group.PgBus], engine: Engine) -> None:
    a, b = buses(), buses()
    seen = Received(events.rotation_changed)
    for _ in range(3):
        a.publish(events.rotation_changed, (5,))
    assert a.version(5) == 3  # at once, for the publisher's own readers
    assert seen.wait(3) == [(5,)] * 3
    assert b.version(5) == 3
    with engine.connect() as c:
        assert c.execute(text("SELECT version FROM group_version WHERE key = 'rotation:5'")).scalar_one() == 3
    assert buses().version(5) == 3  # a process started later knows it from the start


def test_the_seam_publishes_every_committed_emit(buses: Callable[[], group.PgBus]) -> None:
    a, b = buses(), buses()
    events.use_bus(a)
    seen = Received(events.rotation_changed)
    events.emit_rotation(9, [])
    assert events.rotation_version(9) == 1
    assert seen.wait(2) == [(9,), (9,)]  # here at once, and re-emitted by b
    assert b.version(9) == 1


def test_a_commits_rotation_change_and_alerts_cross_in_one_round_trip(
    buses: Callable[[], group.PgBus], engine: Engine
) -> None:
    a, b = buses(), buses()
    events.use_bus(a)
    boards, alerts = Received(events.rotation_changed), Received(events.visitor_assigned)
    sent = [
        VisitorAlert(
            site_id=4,
            visit_id=n,
            staff_id=n,
            customer='王先生',
            party_size=1,
            returning=False,
            by_owner=False,
            on_behalf_of=None,
        )
        for n in range(1, 51)
    ]
    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)
    sqlalchemy_event.listen(engine, 'before_cursor_execute', listen)
    try:
        events.emit_rotation(4, sent)
    finally:
        sqlalchemy_event.remove(engine, 'before_cursor_execute', listen)
    assert len(statements) == 1  # the version, the rotation change and 50 alerts
    assert alerts.wait(100) == [(alert,) for alert in sent] * 2  # here, and re-emitted by b in order
    assert boards.wait(2) == [(4,), (4,)]
    assert b.version(4) == a.version(4) == 1


def test_every_event_crosses_processes() -> None:
    assert {id(e) for e in events.ALL_EVENTS} == set(group.bus.NAMES)


def test_a_process_that_reconnects_resyncs_its_boards(buses: Callable[[], group.PgBus], engine: Engine) -> None:
    with Session(engine) as s:
        site_id = make_site(s).id or 0
    a, b = buses(), buses()
    boards, complaints = Received(events.rotation_changed), Received(events.complaint_changed)
    _disconnect(engine, b)
    a.publish(events.rotation_changed, (site_id,))  # while b is away: a NOTIFY it never gets
    deadline = time.monotonic() + 10
    while b.connects < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert b.state == 'listening'
    assert b.version(site_id) == 1
    assert (site_id,) in boards.wait(1)
    assert (site_id,) in complaints.wait(1)  # the other pages of every site refresh too


def _disconnect(engine: Engine, bus: group.PgBus) -> None:
    """Cut the bus's connection from the server's side, as a restart or a network failure would."""
    with engine.connect().execution_options(isolation_level='AUTOCOMMIT') as c:
        killed = c.execute(
            text('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name'),
            {'name': bus.name},
        ).scalars()
        assert list(killed) == [True]
