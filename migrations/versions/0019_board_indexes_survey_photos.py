"""the manager's board and the group view read from indexes; competitor survey entries carry photos

Every site's day of visits is counted from (day, site_id, status), which replaces the index on day alone; the open
follow-ups of a site by due date get a partial index. A survey entry has several photos (as a complaint), linked
from the photo; its unused photo_id goes.

Revision ID: 0019
Revises: 0005
Create Date: 2026-12-02
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ('0010',)


def upgrade() -> None:
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_day')
        batch_op.create_index('ix_visit_day_site_status', ['day', 'site_id', 'status'], unique=False)
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index(
            'ix_follow_up_site_open',
            ['site_id', 'due_on'],
            unique=False,
            postgresql_where=sa.text('done_at IS NULL AND cancelled IS false'),
            sqlite_where=sa.text('done_at IS NULL AND cancelled IS 0'),
        )
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('competitor_survey_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_photo_competitor_survey_id'), ['competitor_survey_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_photo_competitor_survey_id', 'competitor_survey', ['competitor_survey_id'], ['id']
        )
    with op.batch_alter_table('competitor_survey', schema=None) as batch_op:
        batch_op.drop_column('photo_id')


def downgrade() -> None:
    with op.batch_alter_table('competitor_survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_id', sa.Integer(), sa.ForeignKey('photo.id'), nullable=True))
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_constraint('fk_photo_competitor_survey_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_photo_competitor_survey_id'))
        batch_op.drop_column('competitor_survey_id')
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_up_site_open')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_day_site_status')
        batch_op.create_index('ix_visit_day', ['day'], unique=False)
