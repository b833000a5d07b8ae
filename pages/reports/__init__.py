"""The manager's office pages: today (on the home page), the monthly report, minutes, morning meetings."""

from . import competitors, minutes, monthly, morning, office
from .group import group_today
from .minutes import to_sign_card
from .today import manager_today

ROUTERS = [office.router, monthly.router, minutes.router, morning.router, competitors.router]

__all__ = ['ROUTERS', 'group_today', 'manager_today', 'to_sign_card']
