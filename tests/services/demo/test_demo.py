"""The demo site loads through the real services: a morning of visits, duty, and complaints in every state."""

from sqlmodel import Session, select

import db
from models import Complaint, ComplaintStatus, FollowUp, Site, utcnow
from services import demo
from services.rotation import fairness, roster


def test_the_demo_has_a_complaint_in_every_state_and_one_escalated(session: Session) -> None:
    with db.session() as s:
        site = demo.load_demo(s)
        assert demo.load_demo(s).id == site.id  # idempotent
    with db.session() as s:
        found = list(s.exec(select(Complaint).where(Complaint.site_id == site.id)))
        due = [f.due_on for f in s.exec(select(FollowUp).where(FollowUp.site_id == site.id))]
        today = roster.local_day(s.get(Site, site.id), utcnow())  # type: ignore[arg-type]
    assert {c.status for c in found} == set(ComplaintStatus)
    assert [c.severity for c in found if c.acknowledge_escalated_at] == ['urgent']
    assert due and max(due) == today  # the site's day, not the machine's


def test_the_demo_days_fairness_adds_up(session: Session) -> None:
    """The manager's 公平性 page for the demo day: every kept place is made up, owed or lost; shares are fair."""
    with db.session() as s:
        site = demo.load_demo(s)
        view = fairness.site_fairness(s, site=site, day=roster.local_day(site, utcnow()))
    assert view.people and all(p.balanced for p in view.people)
    assert sum(p.receptions for p in view.people) >= 5 and any(p.owner for p in view.people)
    assert view.spread is None or view.spread <= 1
