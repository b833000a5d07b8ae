"""Customers: search, the shared contact log, ownership, reception records, follow-ups, outcomes, calls, the
timeline and the daily customer analysis.

This package is the area's public face: other areas and the pages import the modules named in `__all__`."""

from . import analysis, calls, contacts, followups, outcomes, ownership, records, search, timeline

__all__ = ['analysis', 'calls', 'contacts', 'followups', 'outcomes', 'ownership', 'records', 'search', 'timeline']
