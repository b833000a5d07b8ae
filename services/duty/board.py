"""What the duty part adds to the rotation board: today's overdue checklists (read only)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from services.duty.checklists import overdue_count


def overdue_checklists(session: Session, *, site_id: int, now: datetime) -> int:
    """Today's checklists of the site past their due time and not handed in."""
    return overdue_count(session, site_id=site_id, now=now)
