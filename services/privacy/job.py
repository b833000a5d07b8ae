"""The retention sweep: started once per process at start-up, doing its work once across processes."""

from __future__ import annotations

import asyncio
import logging

from nicegui import background_tasks, run

import db

from .anonymise import anonymise_expired

RETENTION_SWEEP_SECONDS = 6 * 3600.0  # retention counts in years: four looks a day are plenty
FIRST_SWEEP_AFTER_S = 120.0  # not in the rush of a start (migrations, the first phones reconnecting)
log = logging.getLogger(__name__)


def start_retention_job() -> None:
    """Run the sweep soon after start and every few hours while the app runs (main.py registers this at start)."""
    background_tasks.create(_forever(), name='retention sweep')


def run_retention_sweep() -> int:
    """One sweep: customers past their site's retention anonymised; how many (0 when another process has it)."""
    with db.session() as s:
        return anonymise_expired(s)


async def _forever() -> None:
    await asyncio.sleep(FIRST_SWEEP_AFTER_S)
    while True:
        try:
            done = await run.io_bound(run_retention_sweep)
            if done:
                log.info('retention: %s customers anonymised', done)
        except Exception:  # a busy database now is no reason to stop sweeping later
            log.exception('retention sweep failed')
        await asyncio.sleep(RETENTION_SWEEP_SECONDS)
