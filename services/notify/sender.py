"""The background sender: claims due deliveries, merges a robot's into few messages within its rate, sends, and
writes each receipt; retries with back-off. One process sends (PostgreSQL: an advisory lock); what was committed
before a crash is sent after the restart."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Connection, text, update
from sqlmodel import Session, col, select

import db
from models import (
    DeliveryStatus,
    NotifyDelivery,
    NotifySend,
    PushSubscription,
    utcnow,
)

from . import channels, claims
from .channels import ROBOTS, Message, Outcome
from .claims import MAX_CLAIM, Job

MAX_ATTEMPTS = 8
MAX_BACKOFF_S = 120.0
PERSONAL_CONCURRENCY = 32
LEASE_KEY = 0x616E6368  # 'anch': the advisory lock of the one sending process


def backoff(attempts: int) -> float:
    """1, 2, 4 … seconds (capped), with a little jitter so retries of many alerts do not march in step."""
    return float(min(MAX_BACKOFF_S, 2 ** max(0, attempts - 1))) * random.uniform(0.9, 1.1)  # noqa: S311 - jitter, not a secret


class Sender:
    """Run with `await sender.run()` (forever) or step with `await sender.run_once()` in tests."""

    def __init__(self, *, timeout_s: float = 5.0, poll_s: float = 1.0, clock: Callable[[], datetime] = utcnow) -> None:
        self.timeout_s, self.poll_s, self.clock = timeout_s, poll_s, clock
        self.tokens = channels.Tokens()
        self._flying: dict[int, set[int]] = {}  # per robot, its requests whose answers are not yet written
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lease: Connection | None = None
        self._recovered = False
        self._client: httpx.AsyncClient | None = None

    def wake(self) -> None:
        """Look for due deliveries now (safe from any thread: called after a commit that enqueued)."""
        if self._loop is not None and self._wake is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        try:
            while True:
                try:
                    delay = await self.run_once()
                except Exception:  # a busy or lost database: the sender must live on and look again
                    logging.exception('notify: looking for due alerts failed')
                    delay = 2.0
                # not asyncio.wait_for: on Python 3.11 it swallows a cancel that comes as the wake is set (the
                # sender then lived on past stop_sender, and every shutdown waited its 2 s for it)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await self._wake.wait()
                self._wake.clear()
        finally:
            await self.close()

    async def run_once(self) -> float:
        """Claim and start sending what is due; returns how long to sleep before the next look."""
        if not await _io(self._hold_lease):
            return 5.0  # another process sends; look again in a while in case it stopped
        if not self._recovered:
            await _io(recover, self.clock())
            self._recovered = True
        jobs, next_due = await _io(self._claim, {robot: set(ids) for robot, ids in self._flying.items()})
        for job in jobs or []:
            if job.kind in ROBOTS:
                self._flying.setdefault(job.channel_id, set()).update(request for _, _, request in job.messages)
            task = asyncio.get_running_loop().create_task(self._send(job))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return max(0.02, min(self.poll_s, next_due if next_due is not None else self.poll_s))

    async def drain(self, *, timeout_s: float = 30.0, settle_s: float = 0.1) -> None:
        """Tests: send until nothing is in flight and nothing is due within `settle_s` (retries wait)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while loop.time() < deadline:
            delay = await self.run_once()
            if self._tasks:
                await asyncio.wait(list(self._tasks))
                continue
            if delay > settle_s:
                return
            await asyncio.sleep(delay)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._lease is not None:
            with contextlib.suppress(Exception):  # the pool keeps the connection: a session lock would stay with it
                self._lease.execute(text('SELECT pg_advisory_unlock(:k)'), {'k': LEASE_KEY})
                self._lease.commit()
                self._lease.close()
            self._lease = None

    def _hold_lease(self) -> bool:
        engine = db.get_engine()
        if engine.dialect.name != 'postgresql':
            return True  # a SQLite file belongs to one app process
        if self._lease is not None:
            try:
                self._lease.exec_driver_sql('SELECT 1')
                self._lease.commit()
                return True
            except Exception:
                self._lease, self._recovered = None, False
        connection = engine.connect()
        held = connection.execute(text('SELECT pg_try_advisory_lock(:k)'), {'k': LEASE_KEY}).scalar()
        connection.commit()
        if held:
            self._lease = connection
            return True
        connection.close()
        return False

    def _claim(self, flying: dict[int, set[int]]) -> tuple[list[Job], float | None]:
        now = self.clock()
        with db.session() as s:  # a look without the write lock first: most looks find nothing due
            if not claims.anything_due(s, now):
                return [], claims.next_due(s, now, {})
        with db.session(write_lock=True) as s:
            query = select(NotifyDelivery).where(
                NotifyDelivery.status == DeliveryStatus.PENDING, NotifyDelivery.next_at <= now
            )
            query = query.order_by(col(NotifyDelivery.next_at)).limit(MAX_CLAIM).with_for_update(skip_locked=True)
            jobs, blocked = claims.jobs(s, list(s.exec(query)), now, flying)
            s.commit()
            return jobs, claims.next_due(s, now, blocked)

    async def _send(self, job: Job) -> None:
        """Send a job's messages and write their receipts. A robot's next alerts need not wait for this job (a
        time-out held them 5 s): its requests count in the robot's minute from their claim until their answers are
        written (`_flying`), then from the answers' times."""
        client = self._http()
        if job.kind in ROBOTS:  # one after another: a merged message's order is kept
            results = [(ids, sid, await self._one(client, job, m)) for m, ids, sid in job.messages]
        else:
            gate = asyncio.Semaphore(PERSONAL_CONCURRENCY)

            async def one(m: Message) -> Outcome:
                async with gate:
                    return await self._one(client, job, m)

            outcomes = await asyncio.gather(*(one(m) for m, _, _ in job.messages))
            results = [(ids, sid, o) for (_, ids, sid), o in zip(job.messages, outcomes, strict=True)]
        await self._record(results)
        if job.kind in ROBOTS:
            self._flying[job.channel_id].difference_update(request for _, _, request in job.messages)
            self.wake()  # a robot whose minute was full of requests on their way may send again

    async def _record(self, results: list[tuple[list[int], int, Outcome]]) -> None:
        """Write the receipts, trying again while the database is busy: a receipt not written leaves its deliveries
        claimed, and only a restart would send them again."""
        for attempt in range(1000):
            try:
                await _io(record, results, self.clock())
                return
            except Exception:
                logging.exception('notify: writing receipts failed (try %d)', attempt + 1)
                await asyncio.sleep(min(5.0, 0.2 * 2**attempt))

    async def _one(self, client: httpx.AsyncClient, job: Job, message: Message) -> Outcome:
        try:
            return await channels.send(client, job.kind, job.config, message, self.tokens)
        except Exception as e:  # a channel's odd answer must not stop the sender
            return Outcome(False, f'{type(e).__name__}: {str(e)[:80]}')

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout_s)
        return self._client


def recover(now: datetime) -> None:
    """At the sender's start: what a dead sender had claimed is due again. A request it had on the way may have
    reached the channel: at least once, not exactly once (Web Push replaces a repeat by its topic; a phone shows
    one notification per page by its tag)."""
    with db.session(write_lock=True) as s:
        s.exec(
            update(NotifyDelivery)
            .where(col(NotifyDelivery.status) == DeliveryStatus.SENDING)
            .values(status=DeliveryStatus.PENDING)
        )
        s.exec(  # requests a dead sender had on the way may have reached the robot as late as now
            update(NotifySend).where(col(NotifySend.error) == claims.SENDING).values(at=now, error='interrupted')
        )
        s.commit()


def record(results: list[tuple[list[int], int, Outcome]], now: datetime) -> None:
    """Write what each request came to: receipts sent, retries due later, or given up."""
    with db.session(write_lock=True) as s:
        for delivery_ids, send_id, outcome in results:
            request = s.get(NotifySend, send_id)
            if request is not None:  # stamped with the answer's time, which is after the robot counted it
                request.ok, request.error, request.at = outcome.ok, outcome.error[:200], now
            for d in s.exec(select(NotifyDelivery).where(col(NotifyDelivery.id).in_(delivery_ids))):
                _settle(s, d, outcome, now)
        s.commit()


def _settle(s: Session, d: NotifyDelivery, outcome: Outcome, now: datetime) -> None:
    if outcome.ok:
        d.status, d.sent_at, d.last_error = DeliveryStatus.SENT, now, ''
        return
    d.last_error = outcome.error[:200]
    if outcome.gone and d.target.isdigit() and (sub := s.get(PushSubscription, int(d.target))) is not None:
        sub.active = False
    if not outcome.retry or d.attempts >= MAX_ATTEMPTS:
        d.status = DeliveryStatus.FAILED
        return
    d.status, d.next_at = DeliveryStatus.PENDING, now + timedelta(seconds=max(outcome.wait_s, backoff(d.attempts)))


async def _io(fn: Callable[..., Any], *args: Any) -> Any:
    """Database work off the event loop."""
    return await asyncio.to_thread(fn, *args)
