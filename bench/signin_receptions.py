"""What the benchmark's salespeople do once alerted, and a watcher that nobody ever holds two open visits.

Each alerted phone taps 我来接待 on its banner, and `hold` seconds after the alert ends the reception as a salesperson
does: 结束接待 on its visit's card, grade C in the record dialog (the rest as the sign-in prefilled it), 保存并结束接待
— each a tap sent over the page's own websocket. Everything that writes goes through the one app process, as on a
real day; the watcher only reads, from its own process.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event as MpEvent
from typing import Any

from .signin_clients import StaffPhone

GREET_AFTER_S = 0.2  # the salesperson looks at the banner, then taps


class Receptions:
    """Alerted salespeople greet their visitor, then end the reception `hold` seconds later (hold 0: never)."""

    def __init__(self, phones: list[StaffPhone], hold: float) -> None:
        self.phones = {phone.staff_id: phone for phone in phones}
        self.hold = hold
        self.tasks: list[asyncio.Task[None]] = []
        self.counts: Counter[str] = Counter()

    def alerted(self, customer: str, staff_id: int) -> None:
        """The first alert for this customer reached this salesperson's phone."""
        self.tasks.append(asyncio.create_task(self._receive(customer, self.phones[staff_id])))

    def figures(self) -> dict[str, Any]:
        refused = {k.removeprefix('refused: '): v for k, v in self.counts.items() if k.startswith('refused: ')}
        return {
            'greeted': self.counts['greeted'],
            'ended_by_phones': self.counts['ended'],
            'not_ended_by_phones': dict(Counter(refused).most_common(5)),
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
        if await phone.finish():
            self.counts['ended'] += 1
        else:
            self.counts['refused: the record dialog did not come or did not close'] += 1


def watcher(database_url: str, stop: MpEvent, results: Queue, ready: MpEvent) -> None:
    """Ten times a second, from a consistent snapshot of the database: who holds two open visits at once; `ready`
    is set after the first look."""
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
    while True:
        with db.session() as s:
            held_two |= set(s.exec(two).all())
        looks += 1
        ready.set()
        if stop.wait(0.1):
            break
    results.put({'held_two': len(held_two), 'looks': looks})
