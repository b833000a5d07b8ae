"""waiting visitors are read in arrival order from the index

The index on (day, site_id, status) gains arrived_at: the oldest waiting visitors of a site's day, the ones a freed
salesperson receives next, are its first rows, where every end of an opening-day burst read and sorted the whole
crowd waiting (bench.signin --hold 1). Its prefix still counts every site's day.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0020'
down_revision: str | Sequence[str] | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_day_site_status')
        batch_op.create_index('ix_visit_day_site_status_arrived', ['day', 'site_id', 'status', 'arrived_at'])


def downgrade() -> None:
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_day_site_status_arrived')
        batch_op.create_index('ix_visit_day_site_status', ['day', 'site_id', 'status'], unique=False)
