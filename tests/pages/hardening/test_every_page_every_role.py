"""Finding 7: no role gets a server error on any page, a second site's manager included (ids of the demo site)."""

import logging

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import col, select

import db
from models import Checklist, Complaint, Customer, Role, Visit
from pages import ROUTERS
from services import demo
from tests.helpers.factories import PASSWORD, make_site, make_staff

ROLES = ['demoadmin', 'manager', 'lina', 'zhaoxue', 'other-manager']


def seed() -> dict[str, int]:
    """The demo site, a second site with its own manager, and one id of each kind the demo has."""
    with db.session() as s:
        demo.load_demo(s)
        other = make_site(s, name='江畔·云境')
        make_staff(s, site=other, role=Role.MANAGER, name='孙经理', username='other-manager')
        first = {
            'complaint_id': s.exec(select(Complaint.id).order_by(col(Complaint.id))).first(),
            'customer_id': s.exec(select(Customer.id).order_by(col(Customer.id))).first(),
            'checklist_id': s.exec(select(Checklist.id).order_by(col(Checklist.id))).first(),
            'visit_id': s.exec(select(Visit.id).order_by(col(Visit.id))).first(),
        }
    return {k: v or 1 for k, v in first.items()}


def pages(ids: dict[str, int]) -> list[str]:
    """Every staff page the app serves, its path parameters filled in."""
    paths = []
    for route in _page_routes():
        path = route
        for key, value in ids.items():
            path = path.replace('{' + key + '}', str(value))
        if '{' not in path:
            paths.append(path)
    return paths


def _page_routes() -> list[str]:
    found = {
        str(getattr(route, 'path', ''))
        for router in ROUTERS
        for route in router.routes
        if 'GET' in (getattr(route, 'methods', None) or set())
    }
    return sorted(p for p in found - {'/logout', '/login'} if not p.startswith(('/v/', '/tv/')))


async def log_in(user: User, login: str) -> None:
    password = demo.DEMO_PASSWORD if login != 'other-manager' else PASSWORD
    await user.open('/login')
    user.find('手机号或用户名').type(login)
    user.find('密码').type(password)
    user.find(kind=ui.button, content='登录').click()
    await user.should_see('您好', retries=50)


@pytest.mark.parametrize('login', ROLES)
async def test_no_page_answers_a_server_error(user: User, login: str, caplog: pytest.LogCaptureFixture) -> None:
    ids = seed()
    await log_in(user, login)
    walked = []
    for path in pages(ids):
        caplog.clear()
        with caplog.at_level(logging.ERROR):
            try:
                status = (await user.http_client.get(path, follow_redirects=True)).status_code
            except Exception as e:  # the test client re-raises what the server answered 500 for
                status, caplog.records[:0] = 500, [logging.makeLogRecord({'msg': repr(e), 'levelno': 40})]
            await user.open('/me')  # the page before has been built and, had it raised, logged it by now
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert status < 500 and errors == [], (login, path, status, errors[:1])
        walked.append(path)
    assert len(walked) >= 20 and '/analysis' in walked and '/routes' in walked
