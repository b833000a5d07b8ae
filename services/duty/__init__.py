"""Duty (值班): the roster of duty officers, checklist templates and checklists with photo proof, 整改, the
manager's review and discipline records.

This package is the area's public face: other areas and the pages import the modules named in `__all__`."""

from . import alerts, board, checklists, discipline, rectification, review, roster, templates

__all__ = ['alerts', 'board', 'checklists', 'discipline', 'rectification', 'review', 'roster', 'templates']
