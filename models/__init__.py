"""All tables, one module per area."""

from .audit import AuditLog
from .auth import LoginThrottle, RateCounter
from .base import UTCDateTime, utcnow
from .complaint import Complaint, ComplaintStatus, ComplaintStep, Severity
from .customer import Customer
from .display import DisplayToken
from .duty import (
    Anchor,
    Checklist,
    ChecklistItem,
    ChecklistKind,
    ChecklistStatus,
    ChecklistTemplate,
    DisciplineRecord,
    DutyAssignment,
    ItemResult,
    Rectification,
    TemplateItem,
)
from .followup import FollowUp, PhoneCall
from .photo import Photo
from .record import ContactKind, ContactLog, ReceptionRecord
from .rotation import LunchSlot, RosterEntry, StaffState, TurnEntry, TurnKind
from .site import Site
from .staff import Role, Staff
from .tour import Tour, TourStop, TourStopVisit
from .visit import Visit, VisitStatus

__all__ = [
    'Anchor',
    'AuditLog',
    'Checklist',
    'ChecklistItem',
    'ChecklistKind',
    'ChecklistStatus',
    'ChecklistTemplate',
    'Complaint',
    'ComplaintStatus',
    'ComplaintStep',
    'ContactKind',
    'ContactLog',
    'Customer',
    'DisciplineRecord',
    'DisplayToken',
    'DutyAssignment',
    'FollowUp',
    'ItemResult',
    'LoginThrottle',
    'LunchSlot',
    'PhoneCall',
    'Photo',
    'RateCounter',
    'ReceptionRecord',
    'Rectification',
    'Role',
    'RosterEntry',
    'Severity',
    'Site',
    'Staff',
    'StaffState',
    'TemplateItem',
    'Tour',
    'TourStop',
    'TourStopVisit',
    'TurnEntry',
    'TurnKind',
    'UTCDateTime',
    'Visit',
    'VisitStatus',
    'utcnow',
]
