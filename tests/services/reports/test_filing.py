"""Filing the monthly report: the draft follows the records, a filed version stays as filed, lateness."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from models import Customer, Role
from services import reports
from services.core.errors import PermissionDenied, ValidationError
from tests.helpers.factories import make_site, make_staff
from tests.services.reports.month_helpers import MONTH, october

NOV_3, NOV_6 = datetime(2026, 11, 3, 2, tzinfo=UTC), datetime(2026, 11, 6, 2, tzinfo=UTC)


def deals_in(report: reports.Report) -> int:
    return next(r for r in report.sections[0].tables[0].rows if r[0] == '成交套数')[1]


def test_the_manager_files_and_a_filed_version_stays_as_it_was(session: Session) -> None:
    month = october(session)
    me = month.manager
    with pytest.raises(ValidationError):  # the written analysis first
        reports.file(session, actor=me, month=MONTH, now=NOV_3)
    reports.save_parts(
        session,
        actor=me,
        month=MONTH,
        texts={'analysis': '网络渠道带来一半来访。'},
        spend={'网络': '3000'},
        targets={'deals': 2},
    )
    first = reports.file(session, actor=me, month=MONTH, now=NOV_3)
    assert (first.version, first.data['signer']) == (1, '王静')
    late_deal = Customer(
        site_id=month.site.id or 0,
        surname='赵',
        title='女士',
        phone='13700000001',
        outcome='deal',
        outcome_on=date(2026, 10, 30),
        deal_amount_wan=200,
    )
    session.add(late_deal)
    session.commit()
    assert deals_in(reports.draft(session, actor=me, month=MONTH).built) == 2  # the draft follows the records
    _, kept = reports.filed(session, actor=me, filing_id=first.id or 0)
    assert deals_in(kept) == 1  # … the filed version does not
    assert kept.sections[0].text == '网络渠道带来一半来访。'
    second = reports.file(session, actor=me, month=MONTH, now=NOV_6)
    assert [f.version for f in reports.filings(session, actor=me, month=MONTH)] == [2, 1]
    assert deals_in(reports.filed(session, actor=me, filing_id=second.id or 0)[1]) == 2


def test_the_admin_sees_every_site_and_who_is_late_after_the_fifth(session: Session) -> None:
    month = october(session)
    other = make_site(session, name='江景', code='JJ')
    admin = make_staff(session, site=None, role=Role.ADMIN, name='集团')
    reports.save_parts(session, actor=month.manager, month=MONTH, texts={'analysis': '平稳'}, spend={}, targets={})
    reports.file(session, actor=month.manager, month=MONTH, now=NOV_3)
    on_the_4th = {
        s.site: s for s in reports.group_status(session, actor=admin, now=datetime(2026, 11, 4, 2, tzinfo=UTC))
    }
    assert on_the_4th['江景'].late is False and on_the_4th['江景'].filed_version == 0
    after = {s.site: s for s in reports.group_status(session, actor=admin, now=NOV_6)}
    assert after['江景'].late is True and after['江景'].month == MONTH
    assert (after['云庐'].late, after['云庐'].filed_version, after['云庐'].signer) == (False, 1, '王静')
    assert other.id and reports.due_on(MONTH) == date(2026, 11, 5)
    with pytest.raises(PermissionDenied):
        reports.group_status(session, actor=month.manager)
    with pytest.raises(PermissionDenied):
        reports.file(session, actor=month.lina, month=MONTH)


def test_the_command_line_writes_the_filed_version_else_the_draft(session: Session) -> None:
    month = october(session)
    stem, xlsx, pdf = reports.export_site(session, site_code='YL', month=MONTH)
    assert stem.endswith('草稿') and xlsx[:2] == b'PK' and pdf[:5] == b'%PDF-'
    reports.save_parts(session, actor=month.manager, month=MONTH, texts={'analysis': '平稳'}, spend={}, targets={})
    reports.file(session, actor=month.manager, month=MONTH, now=NOV_3)
    assert reports.export_site(session, site_code='YL', month=MONTH)[0].endswith('-v1')
