"""Complaints (投诉): the rules, intake, each step of the handling, deadlines and escalation, the lists.

This package is the area's public face: other areas and the pages import the modules named in `__all__`."""

from . import deadlines, handling, intake, lists, rules

__all__ = ['deadlines', 'handling', 'intake', 'lists', 'rules']
