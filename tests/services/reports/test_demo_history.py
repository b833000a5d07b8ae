"""The demo's history goes through the real services and leaves every report something to show."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

import db
from models import MinutesStatus, ReportFiling, Site, Visit, WeeklyMinutes, utcnow
from services import demo, reports
from services.reports.demo import demo_history
from services.rotation import roster


def test_three_weeks_of_history_fill_the_reports_and_leave_last_month_to_file(session: Session) -> None:
    with db.session() as s:
        site = demo.load_demo(s, history_days=0)
        demo_history(s, site_id=site.id or 0, days=21)
    today = roster.local_day(site, utcnow())
    past = session.exec(select(func.count()).where(Visit.site_id == site.id, col(Visit.day) < today)).one()
    assert past > 3
    filed = session.exec(select(ReportFiling)).all()
    assert [f.version for f in filed] == [1] and filed[0].data['signer'] == '王静'
    minutes = session.exec(select(WeeklyMinutes)).one()
    assert minutes.status == MinutesStatus.SIGNING and len(minutes.items) == 9
    built = reports.build(session, session.get(Site, site.id), reports.report_month(site, utcnow()))  # type: ignore[arg-type]
    assert built.sections[0].tables[0].rows
