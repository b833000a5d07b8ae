"""Where the areas are connected: each hook one area offers another, added once, explicitly (main.py calls it)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from services import complaints, customers, duty, reports, rotation


def connect() -> None:
    """Add every cross-area hook; calling it again adds nothing twice."""
    rotation.roster.add_hold_out_check(customers.followups.overdue_staff)  # overdue follow-ups hold people out
    rotation.board.add_counts(_complaint_counts)
    rotation.board.add_counts(_duty_counts)


def _complaint_counts(session: Session, site_id: int, now: datetime) -> dict[str, int]:
    open_, late = complaints.lists.counts(session, site_id=site_id, now=now)
    return {'open_complaints': open_, 'overdue_complaints': late}


def _duty_counts(session: Session, site_id: int, now: datetime) -> dict[str, int]:
    return {'overdue_checklists': duty.board.overdue_checklists(session, site_id=site_id, now=now)}


def sweep_deadlines(session: Session, *, now: datetime) -> None:
    """Once a minute (one process of a group): overdue complaints escalate; overdue checklists and reports due or
    late alert their people through the outbox. Each commits its own changes."""
    complaints.deadlines.escalate_overdue(session, now=now)
    duty.alerts.alert_overdue(session, now=now)
    reports.alerts.alert_due(session, now=now)
