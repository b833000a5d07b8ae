"""Today's figures for the manager and every site side by side for the admin, against the demo's morning."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session, select

import db
from models import Role, Site, Staff, utcnow
from services import demo
from services.reports import dashboard, group
from services.rotation import roster


def test_the_manager_sees_today_as_the_records_have_it(session: Session) -> None:
    with db.session() as s:
        site = demo.load_demo(s, history_days=0)
    manager = session.exec(select(Staff).where(Staff.username == 'manager')).one()
    today = roster.local_day(session.get(Site, site.id), utcnow())  # type: ignore[arg-type]
    figures = dashboard.today(session, actor=manager)
    rows = (
        session.connection()
        .execute(
            text(
                "SELECT returning_customer, count(*) FROM visit WHERE site_id=:s AND day=:d AND status <> 'invalid' "
                'GROUP BY returning_customer'
            ),
            {'s': site.id, 'd': today},
        )
        .all()
    )
    counts = {bool(r): n for r, n in rows}
    assert (figures.new, figures.returning) == (counts.get(False, 0), counts.get(True, 0))
    assert sum(n for _, n in figures.receptions) == figures.new + figures.returning
    assert figures.invalid == 1 and figures.greet_median_s and figures.greet_slowest
    assert [t.customer for t in figures.touring] == ['陈先生']
    assert figures.complaints_open >= 1 and figures.complaints_overdue == 1
    assert figures.followups_due + figures.followups_overdue > 0
    on_shift = session.connection().execute(
        text('SELECT s.name FROM roster_entry r JOIN staff s ON s.id = r.staff_id WHERE r.site_id=:s AND r.day=:d'),
        {'s': site.id, 'd': today},
    )
    assert {name for (name,) in on_shift} <= {name for name, _ in figures.receptions}
    assert (
        sum(figures.grades.values())
        == session.connection()
        .execute(
            text(
                'SELECT count(*) FROM reception_record r JOIN visit v ON v.id = r.visit_id '
                'WHERE v.site_id=:s AND v.day=:d'
            ),
            {'s': site.id, 'd': today},
        )
        .scalar()
    )


def test_the_admin_sees_every_site(session: Session) -> None:
    with db.session() as s:
        demo.load_demo(s, history_days=0)
    session.add(Site(name='第二项目', code='TWO'))
    session.commit()
    admin = session.exec(select(Staff).where(Staff.role == Role.ADMIN, Staff.username == 'demoadmin')).one()
    rows = {r.site: r for r in group.group_today(session, actor=admin)}
    assert set(rows) >= {'滨江·云庐售楼处', '第二项目'}
    assert rows['滨江·云庐售楼处'].visits == 6 and rows['第二项目'].visits == 0
    assert rows['滨江·云庐售楼处'].complaints_overdue == 1
    demo_site = session.exec(select(Site).where(Site.name == '滨江·云庐售楼处')).one()
    month_start = roster.local_day(demo_site, utcnow()).replace(day=1)
    deals = session.connection().execute(
        text("SELECT count(*) FROM customer WHERE site_id=:s AND outcome='deal' AND outcome_on >= :m"),
        {'s': demo_site.id, 'm': month_start},
    )
    assert rows['滨江·云庐售楼处'].deals_month == deals.scalar() and rows['第二项目'].deals_month == 0
