"""rotation rules: the lunch plan, one ledger line per kept place (its count, its make-up), alert reminders

Revision ID: 0014
Revises: 0005
Create Date: 2026-12-01
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = '0014'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'lunch_slot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('group', sa.Integer(), nullable=False),
        sa.Column('starts_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ends_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('site_id', 'day', 'staff_id', name='uq_lunch_day_staff'),
    )
    op.create_index(op.f('ix_lunch_slot_site_id'), 'lunch_slot', ['site_id'], unique=False)
    op.create_index(op.f('ix_lunch_slot_day'), 'lunch_slot', ['day'], unique=False)
    with op.batch_alter_table('turn_entry') as batch:
        batch.add_column(sa.Column('skipped', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('visit') as batch:
        batch.add_column(sa.Column('reminded_at', models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('visit') as batch:
        batch.drop_column('reminded_at')
    with op.batch_alter_table('turn_entry') as batch:
        batch.drop_column('closed_at')
        batch.drop_column('closed_by_id')
        batch.drop_column('skipped')
    op.drop_index(op.f('ix_lunch_slot_day'), table_name='lunch_slot')
    op.drop_index(op.f('ix_lunch_slot_site_id'), table_name='lunch_slot')
    op.drop_table('lunch_slot')
