"""Helpers for customer-record tests: a visitor received and acknowledged, with its record form."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

import db
from models import Customer, Site, Staff, Visit
from services.customers import records
from services.rotation import reception
from tests.helpers.rotation import arrive


def received(site: Site, person: Staff, *, phone: str | None = None) -> Visit:
    """A visitor signs in and `person` (who must be up) greets them."""
    result = arrive(site, phone=phone)
    with db.session() as s:
        return reception.acknowledge(s, actor=person, visit_id=result.visit_id)


def form(grade: str = 'B', **kw: object) -> records.RecordForm:
    values: dict = {
        'name': '王',
        'title': '先生',
        'grade': grade,
        'next_follow_up_on': date.today() + timedelta(days=2),
    }
    return records.RecordForm(**(values | kw))


def customer(customer_id: int) -> Customer:
    with db.session() as s:
        found = s.get(Customer, customer_id)
        assert found is not None
        return found


@contextmanager
def reads() -> Iterator[list[str]]:
    """The SELECTs sent to the database meanwhile: on PostgreSQL each is a round trip."""
    sent: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith('SELECT'):
            sent.append(statement)

    event.listen(db.get_engine(), 'before_cursor_execute', count)
    try:
        yield sent
    finally:
        event.remove(db.get_engine(), 'before_cursor_execute', count)
