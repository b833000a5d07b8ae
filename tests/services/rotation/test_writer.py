"""Each site's writer (services/rotation/writer.py): a site's work in turn, a refusal its own, and the pages' worker
threads never held by work waiting for a site."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from nicegui import core, run
from nicegui.testing import User

import db
from services.core.errors import DomainError, ValidationError
from services.notify import runner
from services.rotation import roster, writer
from services.signin import queue
from services.signin import register as signin
from tests.helpers.signin import JSON, fields, seed


async def test_a_sites_work_is_done_in_turn_and_a_refusal_costs_no_other(user: User) -> None:
    done: list[tuple[str, int]] = []

    def piece(n: int) -> int:
        done.append(('begun', n))
        time.sleep(0.005)  # long enough for a second thread to start meanwhile, were there one
        done.append(('ended', n))
        if n == 2:
            raise ValidationError('visit', '该接待已结束')
        return n * 10

    outcomes = await asyncio.gather(*(writer.write(7, piece, n) for n in range(5)), return_exceptions=True)
    assert outcomes[:2] == [0, 10] and outcomes[3:] == [30, 40]
    assert isinstance(outcomes[2], DomainError)
    assert done == [(step, n) for n in range(5) for step in ('begun', 'ended')]  # one at a time, as they came


async def test_sign_ins_go_before_the_taps_waiting(user: User) -> None:
    release = threading.Event()
    done: list[str] = []
    held = asyncio.ensure_future(writer.write(11, release.wait, 5))  # the writer is busy with this
    await asyncio.sleep(0.05)
    taps = [asyncio.ensure_future(writer.write(11, done.append, f'tap {n}')) for n in range(3)]
    groups = [asyncio.ensure_future(writer.write(11, done.append, f'group {n}', first=True)) for n in range(2)]
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(held, *taps, *groups)
    assert done == ['group 0', 'group 1', 'tap 0', 'tap 1', 'tap 2']


@pytest.mark.parametrize('one_writer', [True, False], ids=['sqlite', 'postgresql'])
async def test_work_waiting_for_a_site_holds_no_thread_the_pages_read_with(
    user: User, monkeypatch: pytest.MonkeyPatch, one_writer: bool
) -> None:
    """On an opening day every tap of the site waits for the one before it; the phones' reads go on meanwhile (in
    NiceGUI's pool the waiting taps took its threads, and every read queued behind them). Another site's work goes
    on too where the database lets two sites write at once (PostgreSQL); SQLite's one queue takes it in turn."""
    monkeypatch.setattr(writer, '_one_writer', lambda: one_writer)
    release = threading.Event()
    held = [asyncio.ensure_future(writer.write(8, release.wait, 5)) for _ in range(writer.THREADS + 4)]
    other = asyncio.ensure_future(writer.write(9, lambda: 'another site'))
    try:
        assert await asyncio.wait_for(run.io_bound(lambda: 'read'), 1) == 'read'
        await asyncio.wait([other], timeout=1)
        assert other.done() != one_writer
        assert not any(task.done() for task in held)
    finally:
        release.set()
    assert await asyncio.gather(*held) == [True] * len(held)
    assert await other == 'another site'


async def test_work_that_comes_while_the_server_stops_is_refused_with_a_message(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(type(core.app), 'is_stopping', property(lambda _: True))
    with pytest.raises(DomainError) as refused:
        await writer.write(10, lambda: 'never')
    assert refused.value.message == '服务器正在重启，请稍后再试'


async def test_on_sqlite_database_work_runs_on_the_event_loop_and_other_work_in_a_thread_in_turn(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a thread each SQLite statement gave up the GIL and waited to take it back from the busy loop."""
    monkeypatch.setattr(writer, '_one_writer', lambda: True)
    ran: list[tuple[str, bool]] = []

    def note(name: str) -> None:
        ran.append((name, threading.current_thread() is threading.main_thread()))

    quick = writer.database_work(lambda name: note(name))
    await _app_started()
    try:
        await asyncio.gather(
            writer.write(3, quick, 'sign-in'), writer.write(3, note, 'other'), writer.write(4, quick, 'tap')
        )
    finally:
        writer._ON_LOOP.discard(quick)
    assert ran == [('sign-in', True), ('other', False), ('tap', True)]


async def _app_started() -> None:
    """The app's alert sender stopped, and its last write done: it writes in a thread (its lease, its claims), and
    meanwhile a piece rightly goes to a thread."""
    await runner.stop_sender()
    for _ in range(200):
        with db.write_lock_if_free() as free:
            if free:
                return
        await asyncio.sleep(0.01)


@pytest.mark.parametrize('held', ['database', 'site'])
async def test_database_work_goes_to_a_thread_while_another_thread_holds_its_lock(
    user: User, monkeypatch: pytest.MonkeyPatch, held: str
) -> None:
    """The loop never waits for another thread's transaction (a periodic job, a page's own write): the piece waits in
    a writer thread, and the loop goes on meanwhile."""
    if db.get_engine().dialect.name != 'sqlite':
        pytest.skip('this process holds a write lock of its own on SQLite only')
    monkeypatch.setattr(writer, '_one_writer', lambda: True)
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        if held == 'database':
            with db.session(write_lock=True):
                taken.set()
                release.wait(5)
        else:
            with roster.site_lock_if_free(5) as free:
                assert free
                taken.set()
                release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(5)
    on_loop: list[bool] = []

    def work() -> None:
        on_loop.append(threading.current_thread() is threading.main_thread())
        with db.session(write_lock=True):  # as every piece's work does
            pass

    quick = writer.database_work(work)
    try:
        piece = asyncio.ensure_future(writer.write(5, quick))
        await asyncio.sleep(0.1)  # the loop is free: this sleep ends
        assert piece.done() != (held == 'database')  # the piece waits for the lock in its thread
        release.set()
        await asyncio.wait_for(piece, 5)
    finally:
        release.set()
        holder.join(5)
        writer._ON_LOOP.discard(quick)
    assert on_loop == [False]


async def test_a_sign_in_on_sqlite_is_written_on_the_event_loop_once_its_site_is_known(user: User) -> None:
    """The first group of a site code goes to a thread: the writer knows the site it locks only by its id, which that
    group learns."""
    if db.get_engine().dialect.name != 'sqlite':
        pytest.skip('PostgreSQL writes in threads: each statement waits for the server')
    on_loop: list[bool] = []
    real = queue.write_group

    def spy(site_code: str, requests: list[signin.SignInRequest]) -> list[signin.SignInResult | Exception]:
        on_loop.append(threading.current_thread() is threading.main_thread())
        return real(site_code, requests)

    _, token = seed()
    await _app_started()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(queue, 'write_group', writer.database_work(spy))
        answers = [
            await user.http_client.post(f'/v/{token}', data=fields(phone=phone), headers=JSON)
            for phone in ('13900000001', '13900000002')
        ]
    writer._ON_LOOP.discard(spy)
    assert all(a.json()['ok'] for a in answers) and on_loop == [False, True]


async def test_sqlites_queue_goes_on_after_its_taker_is_cancelled(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """The taker is a task of the loop: cancelled with it (the app stopping), the next write starts another."""
    monkeypatch.setattr(writer, '_one_writer', lambda: True)
    release = threading.Event()
    held = asyncio.ensure_future(writer.write(12, release.wait, 5))
    await asyncio.sleep(0.05)
    for task in list(writer._draining):
        task.cancel()
    await asyncio.sleep(0.05)
    release.set()
    held.cancel()
    assert await asyncio.wait_for(writer.write(12, lambda: 'next'), 5) == 'next'
