"""Thin page functions, one module per area; `ROUTERS` is what main.py mounts."""

from . import account, home, login, sites, staff

ROUTERS = [login.router, home.router, account.router, staff.router, sites.router]
