"""The background job behind unanswered alerts (the ladder): every few seconds, off the event loop, a reminder at the
site's reminder time (20 s), then passing the visitor on after its answer time, the managers and the TV told
(services.rotation.unanswered; each step goes to the phones' channels through the notification outbox). Each site's
step is done by the site's writer (services/rotation/writer.py), in turn with its sign-ins and taps."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from nicegui import background_tasks, run

import db
from models import utcnow
from services import group
from services.rotation import unanswered, writer

SWEEP_SECONDS = 5.0  # an alert passes on within this long after the site's time (60 s by default)
log = logging.getLogger(__name__)


async def sweep_forever() -> None:
    """For the life of the app: remind, then pass on, the alerts nobody has answered."""
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        try:
            await sweep_once()
        except Exception:  # a database hiccup must not end the loop
            log.exception('unanswered alert sweep failed')


def start() -> None:
    background_tasks.create(sweep_forever(), name='unanswered alerts')


async def sweep_once() -> None:
    now = utcnow()
    for site_id in await run.io_bound(_sites) or []:
        await writer.write(site_id, _sweep_site, site_id, now)


def _sites() -> list[int]:
    if not group.run_once('greet_sweep'):  # another process of the group sweeps
        return []
    with db.reading() as s:
        return unanswered.sites_with_alerts(s)


@writer.database_work
def _sweep_site(site_id: int, now: datetime) -> None:
    with db.session() as s:
        unanswered.sweep_site(s, site_id=site_id, now=now)
