"""The duty part's one event: pages of a site's duty day refresh when it fires."""

from __future__ import annotations

from .events import duty_changed, emit

__all__ = ['duty_changed', 'emit_duty']


def emit_duty(site_id: int) -> None:
    """After a duty change commits."""
    emit(duty_changed, site_id)
