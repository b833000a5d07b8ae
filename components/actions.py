"""Running a service for the logged-in staff member from a button, showing a refused action's reason."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import background_tasks, ui

import db
from components.session import current_staff
from models import Staff
from services.core.errors import DomainError
from services.rotation import writer


async def act(action: Callable[..., object]) -> bool:
    """`action(session, actor)` — a change of the actor's site's rotation — in the site's writer; False (and a
    notice) when it was refused."""
    actor = current_staff()
    if actor is None:
        ui.navigate.to('/login')
        return False
    try:
        await writer.write(actor.site_id, _run, action, actor)
    except DomainError as e:
        ui.notify(e.translated(), type='negative')
        return False
    return True


@writer.database_work
def _run(action: Callable[..., object], actor: Staff) -> None:
    with db.session() as s:
        action(s, actor)


def in_page(work: Callable[[], Awaitable[object]]) -> None:
    """A tap's async work, run with the page as its context, taken as the tap arrives. As an async handler NiceGUI
    would start it a moment later in the context of the element tapped, which a live redraw (a card of my day) may
    have deleted by then: the tap would be lost."""
    client = ui.context.client

    async def in_client() -> None:
        with client:
            await work()

    background_tasks.create(in_client(), name='tap')
