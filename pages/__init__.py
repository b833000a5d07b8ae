"""Thin page functions, one subpackage per area as in services/; `ROUTERS` is what main.py mounts."""

from . import accounts, complaints, customers, duty, home, notify, privacy, rotation, signin, tours
from . import reports as reports_pages

ROUTERS = [
    signin.walkin.router,  # the visitor's light page first: /v/ is plain HTML
    accounts.login.router,
    home.router,
    accounts.account.router,
    accounts.staff.router,
    accounts.sites.router,
    rotation.board.router,
    rotation.manage.router,
    rotation.fairness.router,
    rotation.lunch.router,
    rotation.rules.router,
    customers.search.router,
    customers.file.router,
    privacy.router,  # /customers/{id}/data
    tours.tour.router,
    customers.followups.router,
    customers.calls.router,
    customers.analysis.router,
    tours.routes.router,
    rotation.tv.router,
    signin.entrance.router,
    duty.today.router,
    duty.checklist.router,
    duty.review.router,
    duty.plan.router,
    complaints.lists.router,
    complaints.new.router,  # /complaints/new before /complaints/{id}
    complaints.detail.router,
    *notify.ROUTERS,
    *reports_pages.ROUTERS,
]
