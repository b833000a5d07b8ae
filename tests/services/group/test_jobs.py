"""Periodic jobs run in one process of the group; health says what this process can do and holds."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

import db
from services import group
from services.core import events
from services.group.jobs import Leases


@pytest.fixture
def pg(database_url: str) -> Iterator[Engine]:
    if not database_url.startswith('postgresql'):
        pytest.skip('job leases between processes need PostgreSQL')
    engine = db.init_engine(database_url)
    yield engine
    group.leave()
    engine.dispose()


def _dsn(engine: Engine) -> str:
    return make_url(engine.url).set(drivername='postgresql').render_as_string(hide_password=False)


def test_a_job_runs_in_one_process_until_it_goes(pg: Engine) -> None:
    first, second = Leases(_dsn(pg)), Leases(_dsn(pg))
    assert first.hold('complaint_sweep')
    assert first.hold('complaint_sweep')  # again at its next run
    assert not second.hold('complaint_sweep')
    assert second.hold('report_drafts')  # another job is another lock
    first.close()  # the process exits (or loses its connection): its jobs are free
    assert _soon(lambda: second.hold('complaint_sweep'))  # once the server has ended first's backend
    assert second.held() == ['complaint_sweep', 'report_drafts']
    second.close()


def _soon(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    """True once `check` is: the server releases a closed connection's locks when its backend exits, just after."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_run_once_on_sqlite_is_always_true(database_url: str) -> None:
    group.join(db.init_engine(database_url)) if database_url.startswith('sqlite') else pytest.skip('SQLite only')
    assert group.run_once('complaint_sweep')
    assert group.run_once('complaint_sweep')
    assert group.health(db.get_engine()) == {
        'ok': True,
        'database': True,
        'bus': 'in-process',
        'process': None,
        'jobs': [],
    }


def test_one_process_on_postgresql_leases_its_jobs_and_keeps_its_events(pg: Engine) -> None:
    """Nobody to tell: no bus (a round trip after every change, for nothing); its periodic jobs still leased."""
    group.join(pg, processes=1)
    try:
        group.start()
        assert group.run_once('complaint_sweep')
        report = group.health(pg)
        assert report['ok'] and report['bus'] == 'in-process' and report['jobs'] == ['complaint_sweep']
    finally:
        group.leave()


def test_health_of_a_process_in_a_group(pg: Engine) -> None:
    here = events.rotation_version(1)  # this process's own count (earlier tests moved it)
    group.join(pg, processes=2)
    assert group.health(pg)['bus'] == 'connecting' or group.health(pg)['bus'] == 'stopped'
    group.start()
    assert group.run_once('complaint_sweep')
    for _ in range(50):
        report = group.health(pg)
        if report['bus'] == 'listening':
            break
        import time

        time.sleep(0.1)
    assert report['ok'] and report['database'] and report['jobs'] == ['complaint_sweep']
    assert isinstance(report['process'], str)
    group.leave()
    assert events.rotation_version(1) == here  # back to this process's own count


def test_processes_starting_together_prepare_one_after_another(pg: Engine) -> None:
    import threading

    inside: list[str] = []
    order: list[str] = []

    def prepare(name: str) -> None:
        with group.one_at_a_time(pg, 'prepare'):
            inside.append(name)
            order.append(f'{name} in {len(inside)}')
            threading.Event().wait(0.2)
            inside.remove(name)

    threads = [threading.Thread(target=prepare, args=(n,)) for n in 'ab']
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(order) == ['a in 1', 'b in 1']  # never both inside at once
