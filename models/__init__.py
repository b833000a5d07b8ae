"""All tables, one module per area."""

from .audit import AuditLog
from .auth import LoginThrottle, RateCounter
from .base import UTCDateTime, utcnow
from .customer import Customer
from .display import DisplayToken
from .rotation import RosterEntry, StaffState, TurnEntry, TurnKind
from .site import Site
from .staff import Role, Staff
from .visit import Visit, VisitStatus

__all__ = [
    'AuditLog',
    'Customer',
    'DisplayToken',
    'LoginThrottle',
    'RateCounter',
    'Role',
    'RosterEntry',
    'Site',
    'Staff',
    'StaffState',
    'TurnEntry',
    'TurnKind',
    'UTCDateTime',
    'Visit',
    'VisitStatus',
    'utcnow',
]
