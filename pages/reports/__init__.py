"""The manager's office pages: today (on the home page), the monthly report, minutes, morning meetings."""

from . import monthly, office
from .group import group_today
from .today import manager_today

ROUTERS = [office.router, monthly.router]

__all__ = ['ROUTERS', 'group_today', 'manager_today']
