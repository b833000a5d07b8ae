"""Competitor survey entries carry photos: taken on the form, linked when the entry is saved, seen by the site."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session

import db
from models import Competitor, Photo, Role, utcnow
from services import competitors
from services.core.errors import NotFound
from services.photos import store as photo_store
from services.reports import minutes, morning
from tests.helpers.duty import jpeg, photos_root
from tests.helpers.factories import make_site, make_staff


def test_a_survey_photo_is_stored_linked_and_shown_with_the_latest_entry(session: Session, tmp_path: Path) -> None:
    root = photos_root(tmp_path)
    site, elsewhere = make_site(session, name='云庐'), make_site(session, name='别处')
    lina = make_staff(session, site=site, name='李娜')
    colleague = make_staff(session, site=site, name='张伟')
    manager = make_staff(session, site=site, role=Role.MANAGER, name='王静')
    stranger = make_staff(session, site=elsewhere, name='外人')
    rival = Competitor(site_id=site.id or 0, name='江南府')
    session.add(rival)
    session.commit()
    with db.session() as s:
        photo = competitors.take_photo(s, actor=lina, data=jpeg(3), root=root)
        spare = competitors.take_photo(s, actor=lina, data=jpeg(4), root=root)
        theirs = competitors.take_photo(s, actor=colleague, data=jpeg(5), root=root)
    with pytest.raises(NotFound), db.session() as s:  # not yet saved with an entry: only its taker
        photo_store.photo_file(s, actor=colleague, photo_id=photo.id or 0, root=root)
    with db.session() as s:
        photo_store.remove_photo(s, actor=lina, photo_id=spare.id or 0)
        form = competitors.SurveyForm(
            competitor_id=rival.id or 0,
            surveyed_on=utcnow().date() - timedelta(days=2),
            price_per_m2=41000,
            offers='总价 98 折',
            photo_ids=[photo.id or 0, spare.id or 0, theirs.id or 0, 999_999],
        )
        entry = competitors.add_survey(s, actor=lina, form=form)
    with db.session() as s:
        stored = s.get(Photo, photo.id)
        assert stored is not None and stored.competitor_survey_id == entry.id
        assert s.get(Photo, spare.id).competitor_survey_id is None  # type: ignore[union-attr]  # taken back
        assert s.get(Photo, theirs.id).competitor_survey_id is None  # type: ignore[union-attr]  # not lina's
        path = photo_store.photo_file(s, actor=colleague, photo_id=photo.id or 0, root=root)
        with Image.open(path) as img:
            assert img.format == 'JPEG' and img.width > 0
        with pytest.raises(NotFound):
            photo_store.photo_file(s, actor=stranger, photo_id=photo.id or 0, root=root)
        (latest,) = competitors.latest(s, site_id=site.id or 0, until=utcnow().date())
        assert [p.id for p in latest.photos] == [photo.id]
        assert [(p.id, name) for p, name in competitors.latest_photos([latest])] == [(photo.id, '江南府')]
        assert [(p.id, name) for p, name in morning.today(s, actor=manager).survey_photos] == [(photo.id, '江南府')]
        held = minutes.hold(s, actor=manager, held_at=utcnow())
        view = minutes.detail(s, actor=lina, minutes_id=held.id or 0)
        assert [(p.id, name) for p, name in view.survey_photos] == [(photo.id, '江南府')]
