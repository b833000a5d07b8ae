"""What the benchmark's salespeople do once alerted, and a watcher that nobody ever holds two open visits.

Each alerted phone taps 我来接待 on its banner (a click over the page's own websocket), and `hold` seconds after the
alert ends the reception through the app: POST /_bench/finish/<visit> with its own session cookie, which runs what
保存并结束接待 runs (bench/hooks.py). Everything that writes goes through the one app process, as on a real
day; the watcher only reads, from its own process.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event as MpEvent
from typing import Any

import aiohttp

from .signin_clients import StaffPhone

GREET_AFTER_S = 0.2  # the salesperson looks at the banner, then taps
RETRY_S = 0.2
VISIT_ID = re.compile(r'/done/(\d+)')


class Receptions:
    """Alerted salespeople greet their visitor, then end the reception `hold` seconds later (hold 0: never)."""

    def __init__(self, phones: list[StaffPhone], http: aiohttp.ClientSession, base_url: str, hold: float) -> None:
        self.phones = {phone.staff_id: phone for phone in phones}
        self.http, self.base_url, self.hold = http, base_url, hold
        self.visit_ids: dict[str, int] = {}  # visitor's surname → visit id, from the answer their phone got
        self.tasks: list[asyncio.Task[None]] = []
        self.counts: Counter[str] = Counter()

    def signed_in(self, customer: str, result_url: str) -> None:
        """A visitor's phone was answered: its result page names the visit."""
        if found := VISIT_ID.search(result_url):
            self.visit_ids[customer] = int(found.group(1))

    def alerted(self, customer: str, staff_id: int) -> None:
        """The first alert for this customer reached this salesperson's phone."""
        self.tasks.append(asyncio.create_task(self._receive(customer, self.phones[staff_id])))

    def figures(self) -> dict[str, Any]:
        refused = {k.removeprefix('refused: '): v for k, v in self.counts.items() if k.startswith('refused: ')}
        return {
            'greeted': self.counts['greeted'],
            'ended_by_phones': self.counts['ended'],
            'not_ended_by_phones': dict(Counter(refused).most_common(5)),
            'end_retries_busy': self.counts['busy'],
        }

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def _receive(self, customer: str, phone: StaffPhone) -> None:
        await asyncio.sleep(GREET_AFTER_S)
        self.counts['greeted'] += await phone.greet(customer)
        if not self.hold:
            return
        await asyncio.sleep(max(0.0, self.hold - GREET_AFTER_S))
        while customer not in self.visit_ids:  # an alert can come before the visitor's own answer
            await asyncio.sleep(RETRY_S)
        await self._end(phone, self.visit_ids[customer])

    async def _end(self, phone: StaffPhone, visit_id: int) -> None:
        url = f'{self.base_url}/_bench/finish/{visit_id}'
        while True:
            try:
                async with self.http.post(url, headers={'Cookie': phone.cookie}, allow_redirects=False) as r:
                    status, body = r.status, await r.text()
            except (TimeoutError, aiohttp.ClientError) as e:
                status, body = 0, f'{type(e).__name__}'
            if status == 200:
                self.counts['ended'] += 1
                return
            if status not in (0, 503):
                self.counts[f'refused: {status} {body[:80]}'] += 1
                return
            self.counts['busy'] += 1
            await asyncio.sleep(RETRY_S)


def watcher(database_url: str, stop: MpEvent, results: Queue) -> None:
    """Ten times a second, from a consistent snapshot of the database: who holds two open visits at once."""
    from sqlalchemy import func
    from sqlmodel import col, select

    import db
    from models import Visit
    from services.rotation import reception

    db.init_engine(database_url)
    held_two: set[int | None] = set()
    looks = 0
    two = (
        select(Visit.assigned_id)
        .where(col(Visit.status).in_(reception.OPEN))
        .group_by(col(Visit.assigned_id))
        .having(func.count() > 1)
    )
    while not stop.wait(0.1):
        with db.session() as s:
            held_two |= set(s.exec(two).all())
        looks += 1
    results.put({'held_two': len(held_two), 'looks': looks})
