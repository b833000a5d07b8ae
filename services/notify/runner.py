"""The app's one sender, started and stopped with the app (main.py registers these)."""

from __future__ import annotations

import asyncio

from nicegui import background_tasks

from .outbox import clear_committed, on_committed
from .sender import Sender

_running: dict[str, Sender | asyncio.Task[None]] = {}


def start_sender() -> None:
    """Start the background sender on the app's loop (unanswered alerts: components.greet_sweep)."""
    if 'task' in _running:
        return
    sender = Sender()
    on_committed(sender.wake)
    _running['sender'] = sender
    _running['task'] = background_tasks.create(sender.run(), name='notify sender')


async def stop_sender() -> None:
    """Cancel the sender; wait for it a moment only (a shutdown must not hang on a slow database)."""
    clear_committed()
    task = _running.pop('task', None)
    _running.clear()
    if not isinstance(task, asyncio.Task):
        return
    task.cancel()
    if task.get_loop() is asyncio.get_running_loop() and not task.done():
        await asyncio.wait([task], timeout=2.0)
