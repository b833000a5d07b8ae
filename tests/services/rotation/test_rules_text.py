"""轮序规则 are generated from the site's settings: change a setting, the words change."""

import pytest
from sqlmodel import Session

import db
from models import Site
from services.core.errors import PermissionDenied, ValidationError
from services.rotation import rules_text
from tests.helpers.rotation import manager_of, staffed_site


def texts(session: Session, actor: object) -> str:
    with db.session() as s:
        return ' '.join(r.text for r in rules_text.rules_of(*rules_text.inputs(s, actor=actor)))  # type: ignore[arg-type]


def test_the_rules_follow_the_settings(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    manager = manager_of(session, site)
    assert '代接不占轮次' in texts(session, a) and '保护期 30 天' in texts(session, a)
    with db.session() as s:
        rules_text.set_rule(s, actor=manager, key='on_behalf_uses_turn', value=True)
        rules_text.set_rule(s, actor=manager, key='greet_timeout_s', value=90)
        found = s.get(Site, site.id)
        assert found is not None
        found.settings = {**found.settings, 'protection_days': 45}
        s.commit()
    words = texts(session, a)
    assert '代接占用代接同事的轮次' in words and '90 秒仍未响应' in words and '保护期 45 天' in words


def test_only_a_manager_within_bounds_changes_them(session: Session) -> None:
    site, (a,) = staffed_site(session, ['甲'])
    manager = manager_of(session, site)
    with db.session() as s, pytest.raises(ValidationError, match='提醒须早于'):
        rules_text.set_rule(s, actor=manager, key='greet_reminder_s', value=60)
    with db.session() as s, pytest.raises(ValidationError):
        rules_text.set_rule(s, actor=manager, key='greet_timeout_s', value=5)
    with db.session() as s, pytest.raises(PermissionDenied):
        rules_text.set_rule(s, actor=a, key='greet_timeout_s', value=90)
