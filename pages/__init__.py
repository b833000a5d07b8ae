"""Thin page functions, one module per area; `ROUTERS` is what main.py mounts."""

from . import account, entrance, home, login, rotation, sites, staff, tv, visitor

ROUTERS = [
    login.router,
    home.router,
    account.router,
    staff.router,
    sites.router,
    rotation.router,
    tv.router,
    entrance.router,
    visitor.router,
]
