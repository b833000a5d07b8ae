"""Thin page functions, one module per area; `ROUTERS` is what main.py mounts."""

from . import account, customers, entrance, home, login, rotation, rotation_manage, sites, staff, tv, walkin

ROUTERS = [
    walkin.router,  # the visitor's light page first: /v/ is plain HTML
    login.router,
    home.router,
    account.router,
    staff.router,
    sites.router,
    rotation.router,
    rotation_manage.router,
    customers.router,
    tv.router,
    entrance.router,
]
