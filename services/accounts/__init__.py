"""Accounts: logging in, staff, sites and their settings, the first run.

This package is the area's public face: other areas and the pages import the modules named in `__all__`."""

from . import auth, setup, sites, staff

__all__ = ['auth', 'setup', 'sites', 'staff']
