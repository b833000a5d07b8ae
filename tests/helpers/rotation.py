"""Helpers for rotation tests: a site with staff on today's roster, and visitors arriving."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlmodel import Session, select

import db
from models import Role, Site, Staff, TurnEntry, Visit
from services.customers import records
from services.rotation import reception
from services.signin import register as signin
from tests.helpers.factories import make_site, make_staff

_phones = itertools.count(1)


def staffed_site(session: Session, names: list[str]) -> tuple[Site, list[Staff]]:
    """A site whose salespeople check in in the order given."""
    site = make_site(session, name='云庐')
    people = [make_staff(session, site=site, name=name) for name in names]
    for person in people:
        with db.session() as s:
            reception.check_in(s, actor=person)
    return site, people


def arrive(
    site: Site,
    *,
    phone: str | None = None,
    now: datetime | None = None,
    key: str | None = None,
    client: str | None = None,
) -> signin.SignInResult:
    """A visitor signs in through the QR form."""
    form = signin.SignInForm(surname='王', title='先生', phone=phone or f'135{next(_phones):08d}', consent=True)
    with db.session() as s:
        return signin.sign_in(
            s,
            site_id=site.id or 0,
            form=form,
            source='qr',
            client=client or f'c{next(_phones)}',
            request_key=key,
            now=now,
        )


def visit(visit_id: int) -> Visit:
    with db.session() as s:
        found = s.get(Visit, visit_id)
        assert found is not None
        return found


def minimal_record(grade: str = 'C') -> records.RecordForm:
    """The least a reception record needs: who, and the intent grade."""
    return records.RecordForm(name='王', title='先生', grade=grade, next_follow_up_on=None)


def finish(person: Staff, visit_id: int) -> None:
    """End a reception the way the app requires: a minimal record first."""
    with db.session() as s:
        reception.save_and_finish(s, actor=person, visit_id=visit_id, form=minimal_record())


def set_state(person: Staff, state: str) -> None:
    with db.session() as s:
        reception.set_state(s, actor=person, state=state)


def ledger_kinds(site: Site) -> list[tuple[int, str]]:
    with db.session() as s:
        return [
            (e.staff_id, e.kind)
            for e in s.exec(select(TurnEntry).where(TurnEntry.site_id == site.id).order_by(TurnEntry.id))
        ]  # type: ignore[arg-type]


def manager_of(session: Session, site: Site) -> Staff:
    return make_staff(session, site=site, role=Role.MANAGER, name='经理')
