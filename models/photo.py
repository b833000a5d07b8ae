"""Photo proof on disk: where the files are, their content and perceptual hashes, and what they prove."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class Photo(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key='site.id', index=True)
    checklist_item_id: int | None = Field(default=None, foreign_key='checklist_item.id', index=True)
    rectification_id: int | None = Field(default=None, foreign_key='rectification.id', index=True)
    discipline_id: int | None = Field(default=None, foreign_key='discipline_record.id', index=True)
    complaint_id: int | None = Field(default=None, foreign_key='complaint.id', index=True)
    competitor_survey_id: int | None = Field(default=None, foreign_key='competitor_survey.id', index=True)
    path: str = Field(max_length=200)  # relative to the photos folder
    thumb_path: str = Field(max_length=200)
    sha256: str = Field(max_length=64, index=True)
    phash: str = Field(max_length=16)
    width: int
    height: int
    size_bytes: int
    taken_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    taken_by_id: int | None = Field(default=None, foreign_key='staff.id')
    near_copy_of_id: int | None = Field(default=None, foreign_key='photo.id')  # looks like this earlier photo
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
