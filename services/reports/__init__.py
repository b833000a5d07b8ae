"""The manager's office: today at a glance, morning meetings, weekly minutes, the monthly report and its files."""

from . import alerts, dashboard, demo, group, minutes, morning, week
from .filing import (
    DUE_DAY,
    Draft,
    SiteStatus,
    cover,
    draft,
    due_on,
    export_site,
    exports,
    file,
    file_stem,
    filed,
    filings,
    group_status,
    is_late,
    report_month,
    save_parts,
)
from .minutes_pdf import minutes_pdf
from .monthly import TEXT_KEYS, Report, build
from .tables import Section, Table

__all__ = [
    'DUE_DAY',
    'TEXT_KEYS',
    'Draft',
    'Report',
    'Section',
    'SiteStatus',
    'Table',
    'alerts',
    'build',
    'cover',
    'dashboard',
    'demo',
    'draft',
    'due_on',
    'export_site',
    'exports',
    'file',
    'file_stem',
    'filed',
    'filings',
    'group',
    'group_status',
    'is_late',
    'minutes',
    'minutes_pdf',
    'morning',
    'report_month',
    'save_parts',
    'week',
]
