"""The app's one sender, started and stopped with the app (main.py registers these)."""

from __future__ import annotations

import asyncio

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
    """Cancel the sender and the sweep; wait for them a moment only (a shutdown must not hang on a slow database)."""
    clear_committed()
    tasks = [t for name in ('task', 'sweep') if isinstance(t := _running.pop(name, None), asyncio.Task)]
    _running.clear()
    for task in tasks:
        task.cancel()
    current = asyncio.get_running_loop()
    mine = [t for t in tasks if t.get_loop() is current and not t.done()]
    if mine:
        await asyncio.wait(mine, timeout=2.0)
