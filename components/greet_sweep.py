"""The background job behind unanswered alerts: every few seconds, reminders and passing on (off the event loop)."""

from __future__ import annotations

import asyncio
import logging

from nicegui import background_tasks, run

import db
from models import utcnow
from services.rotation import unanswered

SWEEP_SECONDS = 5.0  # an alert passes on within this long after the site's time (60 s by default)
log = logging.getLogger(__name__)


async def sweep_forever() -> None:
    """For the life of the app: remind, then pass on, the alerts nobody has answered."""
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        try:
            await run.io_bound(_sweep)
        except Exception:  # a database hiccup must not end the loop
            log.exception('unanswered alert sweep failed')


def start() -> None:
    background_tasks.create(sweep_forever(), name='unanswered alerts')


def _sweep() -> None:
    with db.session() as s:
        unanswered.sweep(s, now=utcnow())
