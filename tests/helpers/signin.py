"""The visitor's sign-in as tests post it: a site with its entrance token, the form's fields."""

import uuid

import config
import db
from models import Site
from services.rotation import reception
from services.signin import display
from tests.helpers.factories import make_site, make_staff

JSON = {'Accept': 'application/json'}


def seed() -> tuple[Site, str]:
    with db.session() as s:
        site = make_site(s, name='滨江·云庐售楼处')
        for name in ('李娜', '张伟'):
            person = make_staff(s, site=site, name=name)
            with db.session() as s2:
                reception.check_in(s2, actor=person)
    return site, display.tv_token(site, secret=config.current().secret)  # valid now, at any hour


def fields(**kw: str) -> dict[str, str]:
    return {
        'request_key': uuid.uuid4().hex,
        'surname': '王',
        'title': '先生',
        'phone': '13912345678',
        'party_size': '2',
        'first_visit': '1',
        'consent': '1',
    } | kw
