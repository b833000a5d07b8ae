"""Running a service for the logged-in staff member from a button, showing a refused action's reason."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import run, ui

import db
from components.session import current_staff
from models import Staff
from services.core.errors import DomainError


async def act(action: Callable[..., object]) -> bool:
    """`action(session, actor)` in a worker thread; False (and a notice) when it was refused."""
    actor = current_staff()
    if actor is None:
        ui.navigate.to('/login')
        return False
    try:
        await run.io_bound(_run, action, actor)
    except DomainError as e:
        ui.notify(e.translated(), type='negative')
        return False
    return True


def _run(action: Callable[..., object], actor: Staff) -> None:
    with db.session() as s:
        action(s, actor)
