"""Storing photo proof: files by date with a content hash, near-copies flagged, only the site's staff fetch them."""

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session

from services.core.errors import NotFound, ValidationError
from services.duty import checklists
from services.photos import store as photo_store
from tests.helpers.duty import DAY, MORNING, duty_site, jpeg, photos_root
from tests.helpers.factories import make_site, make_staff


def subject(session: Session, people):  # type: ignore[no-untyped-def]
    view = checklists.duty_day(session, actor=people.officer, day=DAY, now=MORNING).checklists[0]
    return checklists.item_subject(session, actor=people.officer, item_id=view.items[0].item.id or 0)


def test_a_photo_is_stored_under_its_day_without_metadata(session: Session, tmp_path: Path) -> None:
    people = duty_site(session)
    root = photos_root(tmp_path)
    photo = photo_store.add_photo(
        session, actor=people.officer, data=jpeg(1), subject=subject(session, people), root=root, now=MORNING
    )
    assert photo.path.startswith('2026/03/02/') and len(photo.sha256) == 64 and photo.near_copy_of_id is None
    image = Image.open(root / photo.path)
    assert image.format == 'JPEG' and not image.getexif() and max(image.size) <= 1600
    assert (root / photo.thumb_path).is_file()


def test_the_same_picture_sent_again_is_flagged(session: Session, tmp_path: Path) -> None:
    people = duty_site(session)
    root, about = photos_root(tmp_path), subject(session, people)
    first = photo_store.add_photo(session, actor=people.officer, data=jpeg(1), subject=about, root=root, now=MORNING)
    other = photo_store.add_photo(session, actor=people.officer, data=jpeg(2), subject=about, root=root, now=MORNING)
    again = photo_store.add_photo(session, actor=people.officer, data=jpeg(1), subject=about, root=root, now=MORNING)
    assert other.near_copy_of_id is None and again.near_copy_of_id == first.id


@pytest.mark.parametrize(
    ('data', 'message'),
    [
        (b'hello, not a picture', '不是有效的图片文件'),
        (b'', '照片为空'),
        (b'\xff\xd8\xff' + b'0' * (16 * 2**20), '照片太大'),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    session: Session, tmp_path: Path, data: bytes, message: str
) -> None:
    people = duty_site(session)
    root = photos_root(tmp_path)
    with pytest.raises(ValidationError, match=message):
        photo_store.add_photo(session, actor=people.officer, data=data, subject=subject(session, people), root=root)
    assert list(root.iterdir()) == []
    assert photo_store.photos_of(session, site_id=people.site.id or 0) == []


def test_a_decompression_bomb_is_refused(session: Session, tmp_path: Path) -> None:
    people = duty_site(session)
    buffer = io.BytesIO()
    Image.new('L', (12000, 12000)).save(buffer, 'PNG')
    with pytest.raises(ValidationError, match='图片尺寸过大'):
        photo_store.add_photo(
            session, actor=people.officer, data=buffer.getvalue(), subject=subject(session, people), root=tmp_path
        )


def test_only_the_sites_staff_get_the_file(session: Session, tmp_path: Path) -> None:
    people = duty_site(session)
    root = photos_root(tmp_path)
    photo = photo_store.add_photo(
        session, actor=people.officer, data=jpeg(1), subject=subject(session, people), root=root
    )
    path = photo_store.photo_file(session, actor=people.other, photo_id=photo.id or 0, root=root, thumb=True)
    assert path.name.endswith('_t.jpg')
    stranger = make_staff(session, site=make_site(session, name='别处'))
    with pytest.raises(NotFound):
        photo_store.photo_file(session, actor=stranger, photo_id=photo.id or 0, root=root)
