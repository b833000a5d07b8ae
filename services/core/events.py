"""Domain events, emitted by services after their transaction commits; pages subscribe to refresh."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Protocol

from nicegui import Event, core


@dataclass(frozen=True)
class VisitorAlert:
    """A visitor is waiting for this salesperson."""

    site_id: int
    visit_id: int
    staff_id: int
    customer: str  # 王先生
    party_size: int
    returning: bool
    by_owner: bool
    on_behalf_of: str | None  # the owner's name when received on their behalf (代接)
    shadow: bool = False  # the alert goes to a first-month colleague shadowing the receiver
    typed_as: str | None = None  # a returning phone signed in under another name (测先生): staff confirm who it is
    owner_id: int | None = None  # 代接: the owner, whose phone is told who received their customer
    reminder: bool = False  # the same alert again: nobody has tapped 我来接待 yet
    arrived_at: float = 0.0  # the sign-in, as a Unix time (it crosses the group's bus as JSON); 0: not known


@dataclass(frozen=True)
class Unanswered:
    """Nobody answered a visitor's alert in time: it passed from one salesperson to another (or waits)."""

    site_id: int
    visit_id: int
    customer: str
    missed_id: int
    missed: str  # who did not answer
    now_with: str | None  # who has the visitor now; None: nobody free, the visitor waits


staff_changed: Event[int | None] = Event()
"""A staff account of this site id was added, changed or deactivated."""

site_changed: Event[int] = Event()
"""A site's details or settings changed."""

rotation_changed: Event[int] = Event()
"""The rotation of this site id changed: order, states, visits or the ledger."""

visitor_assigned: Event[VisitorAlert] = Event()
"""A visitor was assigned to a salesperson, who must be alerted at once."""

duty_changed: Event[int] = Event()
"""Something on this site id's duty changed: a roster, a checklist item, a photo, a review, a rectification."""

complaint_changed: Event[int] = Event()
"""A complaint of this site id was taken in, moved a step, escalated or given a photo."""

visitor_unanswered: Event[Unanswered] = Event()
"""A visitor's alert went unanswered and passed on: the site's manager is told."""

ALL_EVENTS = (
    staff_changed,
    site_changed,
    rotation_changed,
    visitor_assigned,
    duty_changed,
    complaint_changed,
    visitor_unanswered,
)


class Bus(Protocol):
    """Carries each committed emit to the app's other processes, and keeps the versions caches key on
    (services.group on PostgreSQL). Without one, events and versions stay in this process."""

    def publish(self, event: Event[Any], args: tuple[Any, ...]) -> None: ...

    def publish_all(self, messages: list[tuple[Event[Any], tuple[Any, ...]]]) -> None: ...

    def version(self, site_id: int) -> int: ...


_bus: Bus | None = None


def use_bus(bus: Bus | None) -> None:
    """The seam for several processes: from now on every emit is also published through `bus`."""
    global _bus
    _bus = bus


def emit(event: Event[Any], *args: Any) -> None:
    """After a commit: published to the other processes (if a bus is in use), and emitted here."""
    if _bus is not None:
        _bus.publish(event, args)
    emit_here(event, *args)


def emit_here(event: Event[Any], *args: Any) -> None:
    """Emit on the app's event loop: services run in worker threads, subscribers belong to the loop."""
    loop = core.loop
    if loop is None or loop.is_closed() or not loop.is_running():
        event.emit(*args)  # no app running (a script, a service test)
        return
    try:
        on_loop = asyncio.get_running_loop() is loop
    except RuntimeError:
        on_loop = False
    if on_loop:
        event.emit(*args)
    else:
        loop.call_soon_threadsafe(event.emit, *args)


_rotation_versions: dict[int, int] = {}


def rotation_version(site_id: int) -> int:
    """How many rotation changes this site has had (in this process, or across the group's with a bus): readers
    cache one board per version."""
    return _rotation_versions.get(site_id, 0) if _bus is None else _bus.version(site_id)


def emit_rotation(site_id: int, alerts: list[VisitorAlert]) -> None:
    """After a rotation change commits: every board refreshes, every assigned salesperson is alerted — here first,
    the alerts needing no read; then the other processes, all in one message to the bus; then this process's boards
    (after the bus, which keeps the version they are cached on)."""
    _rotation_versions[site_id] = rotation_version(site_id) + 1
    for alert in alerts:
        emit_here(visitor_assigned, alert)
    if _bus is not None:
        _bus.publish_all([(rotation_changed, (site_id,)), *((visitor_assigned, (alert,)) for alert in alerts)])
    emit_here(rotation_changed, site_id)


def emit_duty(site_id: int) -> None:
    """After a duty change commits: pages of the site's duty day refresh."""
    emit(duty_changed, site_id)
