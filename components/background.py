"""Reading for a page off the event loop: the read runs in a worker thread, the drawing back on the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from nicegui import background_tasks, run, ui
from nicegui.client import Client

T = TypeVar('T')


def read_then(read: Callable[[], T | None], draw: Callable[[T], object], *, name: str) -> None:
    """`read()` in a worker thread, then `draw(result)` on this page, unless the page has gone or the server stops."""
    client = ui.context.client

    async def go() -> None:
        value = await run.io_bound(read)
        if value is None or not alive(client):
            return
        with client:
            draw(value)

    background_tasks.create(go(), name=name)


def alive(client: Client) -> bool:
    """The page is still open (its phone may have gone while a read was on its way)."""
    return client.id in Client.instances
