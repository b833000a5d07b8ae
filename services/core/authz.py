"""The one role and site check behind every page and every action."""

from __future__ import annotations

from models import Complaint, Role, Staff
from services.core.errors import PermissionDenied

ALL_ROLES = frozenset(Role)
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


def allowed(actor: Staff | None, roles: frozenset[Role] = ALL_ROLES, *, site_id: int | None = None) -> bool:
    """Whether `actor` (active) has one of `roles` and may act on `site_id` (the admin on every site)."""
    if actor is None or not actor.active or actor.role not in roles:
        return False
    return site_id is None or actor.role == Role.ADMIN or actor.site_id == site_id


def require(actor: Staff | None, roles: frozenset[Role] = ALL_ROLES, *, site_id: int | None = None) -> Staff:
    """`actor` when allowed, else PermissionDenied."""
    if actor is None or not allowed(actor, roles, site_id=site_id):
        raise PermissionDenied()
    return actor


def scope_site(actor: Staff, site_id: int | None = None) -> int | None:
    """The site a query of `actor` is limited to: their own, or for the admin the one asked for (None: all)."""
    if actor.role == Role.ADMIN:
        return site_id
    if site_id is not None and site_id != actor.site_id:
        raise PermissionDenied()
    return actor.site_id


def may_see_complaint(actor: Staff, complaint: Complaint) -> bool:
    """The site's managers, the group admin, and whoever took it in (not the salesperson complained about)."""
    if allowed(actor, MANAGERS, site_id=complaint.site_id):
        return True
    return allowed(actor, site_id=complaint.site_id) and complaint.taken_by_id == actor.id
