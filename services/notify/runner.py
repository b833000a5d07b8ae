"""The app's one sender, started and stopped with the app (main.py registers these)."""

from __future__ import annotations

import asyncio
import contextlib

from nicegui import background_tasks

from . import ladder
from .outbox import clear_committed, on_committed
from .sender import Sender

_running: dict[str, Sender | asyncio.Task[None]] = {}


def start_sender() -> None:
    """Start the background sender (and the unanswered-alert sweep) on the app's loop."""
    if 'task' in _running:
        return
    sender = Sender()
    on_committed(sender.wake)
    _running['sender'] = sender
    _running['task'] = background_tasks.create(sender.run(), name='notify sender')
    _running['sweep'] = background_tasks.create(ladder.sweep_forever(), name='notify unanswered sweep')


async def stop_sender() -> None:
    clear_committed()
    for name in ('task', 'sweep'):
        task = _running.pop(name, None)
        if isinstance(task, asyncio.Task):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
    _running.clear()
