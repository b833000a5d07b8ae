"""Each site's writer: the work that takes a site's lock — a group of visitors' sign-ins, a greeting, a record and
its end, a change of state — waits here per site and is done by one thread at a time, in the order it came (the
visitors' sign-ins first: the visitor at the door and the alert of the salesperson who is up come before any tap).

On an opening day every tap of a site wants the same lock (roster.lock_site). Run on NiceGUI's worker threads, the
taps waiting for it held those threads, and every phone's reads queued behind them: with the whole reception cycle
at 50 visitors a second (bench.signin --hold 1, 200 phones), a save waited 1.7 s and a read of my day 2.7 s at the
median while the server's loop sat idle three quarters of the time (py-spy --idle: the four threads in lock_site).
Here a site's work takes one thread of this module's own pool while any is waiting, runs it in turn — each piece in
its own transaction, so one refused tap costs no other anything — and answers each caller as its piece is done.
The lock still guards the database (other processes of a group, the periodic jobs); in this process nobody queues
for it any more.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from nicegui import core

import db
from services.core.errors import DomainError

T = TypeVar('T')

THREADS = 8
"""Threads for the sites' writers (one site writes one piece at a time, so more sites than threads only wait their
turn). Their own: in NiceGUI's pool, shared with every page's reads, each queued behind those."""
_threads = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix='site writer')


@dataclass
class _Piece:
    work: Callable[..., Any]
    args: tuple[Any, ...]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop
    first: bool


@dataclass
class _Queue:
    """A site's work not yet taken (a queue, not domain state); `busy` while a writer thread takes from it."""

    pieces: list[_Piece] = field(default_factory=list)
    busy: bool = False


_queues: dict[Hashable, _Queue] = {}
_guard = threading.Lock()  # the queues are filled on the event loop and emptied by the writer threads
_ONE = object()  # SQLite's queue: every site's


def _one_writer() -> bool:
    """SQLite writes one transaction at a time, whichever site it is for: there, every site's work waits in one
    queue, where a writer thread per site waited for SQLite's lock and took the GIL from the event loop meanwhile
    (bench.signin --sites 20, two runs each: alert p95 166 / 75 → 37 / 50 ms; with 500 phones on 25 sites that one
    writer is full, p95 265 / 1,032 → 813 / 694 ms). PostgreSQL locks each site's row: a writer a site."""
    return db.get_engine().dialect.name == 'sqlite'


def stopping() -> DomainError:
    return DomainError('服务器正在重启，请稍后再试')


async def write(site: Hashable | None, work: Callable[..., T], *args: Any, first: bool = False) -> T:
    """`work(*args)` in the site's writer, after what was waiting before it (`first`: before all but other such
    work); its result, or what it raised. `site` is the site's id (any key the callers of one site agree on; None:
    the work of someone of no one site)."""
    loop = asyncio.get_running_loop()
    piece = _Piece(work, args, loop.create_future(), loop, first)
    with _guard:
        queue = _queues.setdefault(_ONE if _one_writer() else site, _Queue())
        waiting = queue.pieces
        waiting.insert(sum(p.first for p in waiting) if first else len(waiting), piece)
        start, queue.busy = not queue.busy, True
    if start:
        try:
            _threads.submit(_take, queue)
        except RuntimeError:  # the pool is shut down: the process is ending
            _take(queue, stopped=True)
    return await piece.future


def _take(queue: _Queue, *, stopped: bool = False) -> None:
    """In a writer thread: the site's work, one piece at a time, each caller answered as its piece is done. Taken
    one by one, not all that was waiting, so that work asked `first` meanwhile goes next."""
    while True:
        with _guard:
            if not queue.pieces:
                queue.busy = False
                return
            piece = queue.pieces.pop(0)
        result: Any = None
        error: BaseException | None = stopping() if stopped or core.app.is_stopping else None
        if error is None:
            try:
                result = piece.work(*piece.args)
            except Exception as e:  # the caller's own outcome
                error = e
        with contextlib.suppress(RuntimeError):  # its loop closed: nobody waits for it any more
            piece.loop.call_soon_threadsafe(_settle, piece.future, result, error)


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # the caller went away meanwhile (a phone that closed its page)
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
