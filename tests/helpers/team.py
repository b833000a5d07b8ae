"""A site with two salespeople and their manager, logged in by page tests."""

import db
from models import Role
from tests.helpers.factories import make_site, make_staff


def seed() -> dict:
    with db.session() as s:
        site = make_site(s, name='云庐')
        return {
            'site': site,
            'a': make_staff(s, site=site, name='李娜', username='lina'),
            'b': make_staff(s, site=site, name='张伟', username='zhangwei'),
            'manager': make_staff(s, site=site, role=Role.MANAGER, name='王静', username='wangjing'),
        }
