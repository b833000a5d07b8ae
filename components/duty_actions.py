"""Running a duty action from a page: the logged-in staff member, a short session in a worker, refusals shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from nicegui import run, ui
from sqlmodel import Session

import config
import db
from components.session import current_staff
from models import Staff
from services.core.errors import DomainError
from services.photos import store as photo_store

T = TypeVar('T')


async def act(action: Callable[[Session, Staff], T]) -> T | None:
    """`action(session, actor)` for the logged-in staff member; a refused one shows its reason and gives None."""
    actor = current_staff()
    if actor is None:
        ui.navigate.to('/login')
        return None
    try:
        return await run.io_bound(_in_session, action, actor)
    except DomainError as e:
        ui.notify(e.translated(), type='negative', multi_line=True)
        return None


async def add_photo(subject_of: Callable[[Session, Staff], photo_store.Subject], data: bytes) -> bool:
    """Check who may add a photo to what, then run it through the pipeline; True when stored."""
    root = config.current().photos_dir

    def store(s: Session, actor: Staff) -> object:
        return photo_store.add_photo(s, actor=actor, data=data, subject=subject_of(s, actor), root=root)

    return await act(store) is not None


def _in_session(action: Callable[[Session, Staff], T], actor: Staff) -> T:
    with db.session() as s:
        return action(s, actor)
