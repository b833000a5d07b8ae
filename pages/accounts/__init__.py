"""Logging in, my account, staff and sites."""

from . import account, login, sites, staff

__all__ = ['account', 'login', 'sites', 'staff']
