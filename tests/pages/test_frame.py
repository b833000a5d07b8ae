"""The shell every staff page builds reads nothing on the event loop: its site name, visitor alerts and complaint bar
come from worker threads (or a cache), so a burst of sign-ins does not stall every phone."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from nicegui.testing import User
from sqlmodel import Session

import db
from models import Role
from services.accounts import sites
from services.accounts.sites import SiteForm
from services.complaints import intake
from services.rotation import reception
from tests.helpers.factories import make_staff
from tests.helpers.login import log_in
from tests.helpers.rotation import arrive
from tests.helpers.team import seed

FRAME_FILES = {'frame.py', 'alert.py', 'complaint_alert.py'}
Reads = list[tuple[bool, set[str]]]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    """Every database session opened: (on the event loop's thread?, the files on its call stack)."""
    opened: Reads = []
    real: Callable[..., AbstractContextManager[Session]] = db.session

    def spy(**options: bool) -> AbstractContextManager[Session]:
        files = {Path(f.filename).name for f in traceback.extract_stack()}
        opened.append((threading.current_thread() is threading.main_thread(), files))
        return real(**options)

    monkeypatch.setattr(db, 'session', spy)
    return opened


def by_frame(reads: Reads) -> Iterator[bool]:
    """For each read the shared frame made: was it on the event loop?"""
    return (on_loop for on_loop, files in reads if files & FRAME_FILES)


async def test_the_frame_of_a_manager_reads_its_site_and_complaints_off_the_loop(user: User, reads: Reads) -> None:
    people = seed()
    with db.session() as s:
        intake.file(
            s,
            actor=people['a'],
            form=intake.ComplaintForm(
                channel='来电', category='delivery', severity='urgent', what_happened='交房延期', surname='刘',
                title='女士', phone='13800001234',
            ),
        )  # fmt: skip
    await log_in(user, 'wangjing')
    await user.should_see('王静，您好', retries=30)
    reads.clear()
    await user.open('/me')
    await user.should_see('云庐', retries=30)  # the header's site name
    await user.should_see('新投诉待受理', retries=30)  # the complaint bar
    assert any(True for _ in by_frame(reads)), 'the frame read its data'
    assert not any(by_frame(reads)), 'no read of the frame ran on the event loop'


async def test_a_salespersons_pending_alert_is_read_off_the_loop(user: User, reads: Reads) -> None:
    people = seed()
    with db.session() as s:
        reception.check_in(s, actor=people['a'])
    arrive(people['site'])
    await log_in(user, 'lina')
    await user.should_see('请接待客户', retries=30)
    assert any(True for _ in by_frame(reads)) and not any(by_frame(reads))


async def test_the_site_name_is_cached_until_the_site_changes(user: User, reads: Reads) -> None:
    people = seed()
    await log_in(user, 'wangjing')
    await user.should_see('云庐', retries=30)
    reads.clear()
    await user.open('/me')
    await user.should_see('云庐', retries=30)
    assert not any('frame.py' in files for _, files in reads), 'the second page took the name from the cache'
    with db.session() as s:
        admin = make_staff(s, site=None, role=Role.ADMIN, name='集团', username='groupadmin')
        site = people['site']
        sites.update_site(s, actor=admin, site_id=site.id or 0, form=SiteForm(name='云庐二期', code=site.code))
    await user.open('/me')
    await user.should_see('云庐二期', retries=30)
