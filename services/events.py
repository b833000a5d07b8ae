"""Domain events, emitted by services after their transaction commits; pages subscribe to refresh."""

from __future__ import annotations

from nicegui import Event

staff_changed: Event[int | None] = Event()
"""A staff account of this site id was added, changed or deactivated."""

site_changed: Event[int] = Event()
"""A site's details or settings changed."""

ALL_EVENTS = (staff_changed, site_changed)
