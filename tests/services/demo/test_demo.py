"""The demo site loads through the real services: a morning of visits, duty, and complaints in every state."""

from sqlmodel import Session, select

import db
from models import Complaint, ComplaintStatus, FollowUp, Site, utcnow
from services import demo
from services.rotation import roster


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
