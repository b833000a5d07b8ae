"""Customers: search, one customer's file, follow-ups, calls and the daily analysis."""

from . import analysis, calls, file, followups, search

__all__ = ['analysis', 'calls', 'file', 'followups', 'search']
