"""All tables, one module per area."""

from .audit import AuditLog
from .auth import LoginThrottle
from .base import UTCDateTime, utcnow
from .site import Site
from .staff import Role, Staff

__all__ = ['AuditLog', 'LoginThrottle', 'Role', 'Site', 'Staff', 'UTCDateTime', 'utcnow']
