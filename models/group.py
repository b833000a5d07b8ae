"""What several app processes of one group share beyond the domain tables: the versions caches key on."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel


class GroupVersion(SQLModel, table=True):
    """How many changes a cached thing (e.g. `rotation:12`, a site's board) has had, across every process."""

    __tablename__ = 'group_version'

    key: str = Field(primary_key=True, max_length=60)
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
