"""Writing to the audit log; the caller commits with its own change."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, SQLModel

from models import AuditLog, Staff

SECRET_FIELDS = {'password_hash'}


def snapshot(row: SQLModel | None) -> dict[str, Any] | None:
    """A JSON-safe copy of a row for the log, without secrets."""
    if row is None:
        return None
    return {k: v for k, v in row.model_dump(mode='json').items() if k not in SECRET_FIELDS}


def record(
    session: Session,
    *,
    actor: Staff | None,
    action: str,
    entity: str,
    entity_id: int | None,
    site_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one audit entry to the session's transaction."""
    session.add(
        AuditLog(
            actor_id=actor.id if actor else None,
            site_id=site_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
        )
    )
