"""All tables, one module per area."""

from .audit import AuditLog
from .auth import LoginThrottle, RateCounter
from .base import UTCDateTime, utcnow
from .competitor import Competitor, CompetitorSurvey
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
from .group import GroupVersion
from .notify import (
    ChannelKind,
    DeliveryStatus,
    NotifyAlert,
    NotifyChannel,
    NotifyDelivery,
    NotifySend,
    PushSubscription,
)
from .photo import Photo
from .record import ContactKind, ContactLog, ReceptionRecord
from .report import (
    ActionItem,
    MinutesSignature,
    MinutesStatus,
    MonthlyReport,
    MorningMeeting,
    ReportFiling,
    WeeklyMinutes,
)
from .rotation import LunchSlot, RosterEntry, StaffState, TurnEntry, TurnKind
from .site import Site
from .staff import Role, Staff
from .tour import Tour, TourStop, TourStopVisit
from .visit import Visit, VisitStatus

__all__ = [
    'ActionItem',
    'Anchor',
    'AuditLog',
    'ChannelKind',
    'Checklist',
    'ChecklistItem',
    'ChecklistKind',
    'ChecklistStatus',
    'ChecklistTemplate',
    'Competitor',
    'CompetitorSurvey',
    'Complaint',
    'ComplaintStatus',
    'ComplaintStep',
    'ContactKind',
    'ContactLog',
    'Customer',
    'DeliveryStatus',
    'DisciplineRecord',
    'DisplayToken',
    'DutyAssignment',
    'FollowUp',
    'GroupVersion',
    'ItemResult',
    'LoginThrottle',
    'LunchSlot',
    'MinutesSignature',
    'MinutesStatus',
    'MonthlyReport',
    'MorningMeeting',
    'NotifyAlert',
    'NotifyChannel',
    'NotifyDelivery',
    'NotifySend',
    'PhoneCall',
    'Photo',
    'PushSubscription',
    'RateCounter',
    'ReceptionRecord',
    'Rectification',
    'ReportFiling',
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
    'WeeklyMinutes',
    'utcnow',
]
