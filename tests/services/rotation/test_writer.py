"""Each site's writer (services/rotation/writer.py): a site's work in turn, a refusal its own, and the pages' worker
threads never held by work waiting for a site."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from nicegui import core, run
from nicegui.testing import User

from services.core.errors import DomainError, ValidationError
from services.rotation import writer


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
