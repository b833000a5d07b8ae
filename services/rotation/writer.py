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

On SQLite the work marked `database_work` (it waits for nothing but the database) runs on the event loop itself, one
piece at a time, between the loop's other work. SQLite has no round trips: in a thread, each of a sign-in's sixteen
statements gave up the GIL and then waited to take it back from the loop, which on an opening day is busy sending
every phone its board. On a 2-core machine (bench.signin --sites 20, the burst's first five seconds) a sign-in
group took 11.4 ms from start to end at the median for 7.2 ms of its own CPU, and the one writer was busy 86 % of
the time, so the visitors queued; on the loop the same group took 7.1 ms for 6.9 ms of CPU. A piece runs on the loop
only if no thread holds the site's or the database's write lock at that moment (a periodic job, a page's own write):
then it goes to a writer thread, as before, and the loop never waits for another thread's transaction. (Only another
process writing the same SQLite file would make the loop wait, up to the busy timeout: SQLite is the one-process
default; a group of processes runs on PostgreSQL.) PostgreSQL's statements each wait for the server: its writers
stay in threads.
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
from services.rotation import roster

T = TypeVar('T')
W = TypeVar('W', bound=Callable[..., Any])

THREADS = 4
"""Threads for the sites' writers (one site writes one piece at a time, so more sites than threads only wait their
turn). Their own: in NiceGUI's pool, shared with every page's reads, each queued behind those. Four, not eight: on
PostgreSQL each writer's statement gives up the GIL and waits to take it back, and more writers only wait longer for
it (bench.signin --sites 20 on PostgreSQL, a 2-core machine, 2026-12-08, two runs each: alert p95 3,928 / 3,186 ms
with eight, 1,288 / 1,884 ms with four)."""
_threads = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix='site writer')


@dataclass
class _Piece:
    work: Callable[..., Any]
    args: tuple[Any, ...]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop
    first: bool
    site: Hashable | None


@dataclass
class _Queue:
    """A site's work not yet taken (a queue, not domain state); `busy` while a writer thread takes from it."""

    pieces: list[_Piece] = field(default_factory=list)
    busy: bool = False


_queues: dict[Hashable, _Queue] = {}
_guard = threading.Lock()  # the queues are filled on the event loop and emptied by the writer threads
_ONE = object()  # SQLite's queue: every site's
_ON_LOOP: set[Callable[..., Any]] = set()  # the work marked database_work
_draining: set[asyncio.Task[None]] = set()  # SQLite's queue being taken on the loop


def database_work(work: W) -> W:
    """Mark `work` as waiting for nothing but the database (no event, no sleep, no outside service): with SQLite it
    may run on the event loop (see above). Unmarked work always runs in a writer thread."""
    _ON_LOOP.add(work)
    return work


def _one_writer() -> bool:
    """SQLite writes one transaction at a time, whichever site it is for: there, every site's work waits in one
    queue, taken on the event loop, where a writer thread per site waited for SQLite's lock and took the GIL from the
    event loop meanwhile (bench.signin --sites 20, two runs each: alert p95 166 / 75 → 37 / 50 ms; with 500 phones on
    25 sites that one writer is full, p95 265 / 1,032 → 813 / 694 ms). PostgreSQL locks each site's row: a writer
    thread a site."""
    return db.get_engine().dialect.name == 'sqlite'


def stopping() -> DomainError:
    return DomainError('服务器正在重启，请稍后再试')


async def write(site: Hashable | None, work: Callable[..., T], *args: Any, first: bool = False) -> T:
    """`work(*args)` in the site's writer, after what was waiting before it (`first`: before all but other such
    work); its result, or what it raised. `site` is the id of the site the work locks (any key the callers of one
    site agree on, such as a site code before its id is known, or None, the work of someone of no one site: such
    work always runs in a thread)."""
    loop = asyncio.get_running_loop()
    piece = _Piece(work, args, loop.create_future(), loop, first, site)
    one = _one_writer()
    with _guard:
        queue = _queues.setdefault(_ONE if one else site, _Queue())
        waiting = queue.pieces
        waiting.insert(sum(p.first for p in waiting) if first else len(waiting), piece)
        start, queue.busy = not queue.busy, True
    if start and one:
        task = loop.create_task(_drain(queue), name='the sites writer (SQLite)')
        _draining.add(task)  # a reference, or the task may be collected before it is done
        task.add_done_callback(_draining.discard)
    elif start:
        try:
            _threads.submit(_take, queue)
        except RuntimeError:  # the pool is shut down: the process is ending
            _take(queue, stopped=True)
    return await piece.future


def _take(queue: _Queue, *, stopped: bool = False) -> None:
    """In a writer thread: the site's work, one piece at a time, each caller answered as its piece is done. Taken
    one by one, not all that was waiting, so that work asked `first` meanwhile goes next."""
    while (piece := _next(queue)) is not None:
        result, error = _outcome(piece, stopped=stopped)
        with contextlib.suppress(RuntimeError):  # its loop closed: nobody waits for it any more
            piece.loop.call_soon_threadsafe(_settle, piece.future, result, error)


async def _drain(queue: _Queue) -> None:
    """On the event loop: SQLite's one queue, a piece at a time, each on the loop if it may (database_work, and no
    thread holds a lock it needs), else in a writer thread, awaited (the order stays)."""
    try:
        while (piece := _next(queue)) is not None:
            if piece.work in _ON_LOOP and isinstance(piece.site, int):  # the site the work locks: its id
                with roster.site_lock_if_free(piece.site) as site_free, db.write_lock_if_free() as db_free:
                    outcome = _outcome(piece) if site_free and db_free else None
            else:
                outcome = None
            if outcome is None:
                try:
                    outcome = await asyncio.wrap_future(_threads.submit(_outcome, piece))
                except RuntimeError:  # the pool is shut down: the process is ending
                    outcome = None, stopping()
            _answer(piece, *outcome)
            await asyncio.sleep(0)  # the caller's answer, and what the loop has waiting, before the next piece
    except BaseException:  # cancelled with its loop (the app stops): the next write starts another
        with _guard:
            queue.busy = False
        raise


def _answer(piece: _Piece, result: Any, error: BaseException | None) -> None:
    """Settle the piece's caller on its own loop (a caller of an earlier loop, between tests, is told through it)."""
    if piece.loop is asyncio.get_running_loop():
        _settle(piece.future, result, error)
    else:
        with contextlib.suppress(RuntimeError):  # its loop closed: nobody waits for it any more
            piece.loop.call_soon_threadsafe(_settle, piece.future, result, error)


def _next(queue: _Queue) -> _Piece | None:
    """The queue's next piece, taken from it; None, the queue no longer busy, when nothing waits."""
    with _guard:
        if not queue.pieces:
            queue.busy = False
            return None
        return queue.pieces.pop(0)


def _outcome(piece: _Piece, *, stopped: bool = False) -> tuple[Any, BaseException | None]:
    if stopped or core.app.is_stopping:
        return None, stopping()
    try:
        return piece.work(*piece.args), None
    except Exception as e:  # the caller's own outcome
        return None, e


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # the caller went away meanwhile (a phone that closed its page)
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
