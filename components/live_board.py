"""One read of a site's board per rotation change, shared by every phone showing it (not one read per phone)."""

from __future__ import annotations

import asyncio

from nicegui import background_tasks, run

import db
from models import utcnow
from services import events
from services.board import Board, site_board

_reads: dict[int, tuple[int, asyncio.Task[Board | None]]] = {}  # site id → (version, its read): a cache


async def read(site_id: int) -> Board | None:
    """The site's board as of its latest rotation change, read off the event loop once for all phones."""
    version = events.rotation_version(site_id)
    cached = _reads.get(site_id)
    if cached is None or cached[0] != version or (cached[1].done() and cached[1].exception() is not None):
        task = background_tasks.create(run.io_bound(_read, site_id), name=f'board {site_id}')
        cached = _reads[site_id] = (version, task)
    return await asyncio.shield(cached[1])


def _read(site_id: int) -> Board:
    with db.session() as s:
        return site_board(s, site_id=site_id, now=utcnow())
