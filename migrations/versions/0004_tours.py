"""reception records, tours, follow-ups, calls

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-27
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


import models.base

revision: str = '0004'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tour_stop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('talking_points', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('needs_helmet', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tour_stop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tour_stop_site_id'), ['site_id'], unique=False)

    op.create_table('contact_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('grade', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contact_log', schema=None) as batch_op:
        batch_op.create_index('ix_contact_log_customer_at', ['customer_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_log_site_id'), ['site_id'], unique=False)

    op.create_table('follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_site_id'), ['site_id'], unique=False)
        batch_op.create_index('ix_follow_up_staff_open', ['staff_id', 'done_at', 'due_on'], unique=False)

    op.create_table('phone_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('surname', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('asked', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('phone_call', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phone_call_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_phone_call_site_id'), ['site_id'], unique=False)
        batch_op.create_index('ix_phone_call_site_phone', ['site_id', 'phone'], unique=False)

    op.create_table('reception_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('other_phone', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('age_band', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('residence', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('work_area', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('family', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('unit_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('area_wanted', sa.Integer(), nullable=True),
    sa.Column('budget_wan', sa.Integer(), nullable=True),
    sa.Column('payment', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('cares', sa.JSON(), nullable=False),
    sa.Column('objections', sa.JSON(), nullable=False),
    sa.Column('grade', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
    sa.Column('next_follow_up_on', sa.Date(), nullable=True),
    sa.Column('next_method', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('visit_id')
    )
    with op.batch_alter_table('reception_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reception_record_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reception_record_site_id'), ['site_id'], unique=False)

    op.create_table('tour',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('checklist', sa.JSON(), nullable=False),
    sa.Column('started_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('grade', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tour', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tour_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tour_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tour_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tour_visit_id'), ['visit_id'], unique=False)

    op.create_table('tour_stop_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tour_id', sa.Integer(), nullable=False),
    sa.Column('stop_id', sa.Integer(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('arrived_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('left_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('liked_units', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('objections', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['stop_id'], ['tour_stop.id'], ),
    sa.ForeignKeyConstraint(['tour_id'], ['tour.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tour_stop_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tour_stop_visit_tour_id'), ['tour_id'], unique=False)

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grade', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('outcome_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('deal_unit', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('deal_amount_wan', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('lost_reason', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('follow_up', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.create_index('ix_customer_site_contact', ['site_id', 'last_contact_at'], unique=False)
        batch_op.create_index('ix_customer_site_surname', ['site_id', 'surname'], unique=False)

    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index('ix_visit_site_day', ['site_id', 'day'], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_site_day')

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_site_surname')
        batch_op.drop_index('ix_customer_site_contact')
        batch_op.drop_column('follow_up')
        batch_op.drop_column('lost_reason')
        batch_op.drop_column('deal_amount_wan')
        batch_op.drop_column('deal_unit')
        batch_op.drop_column('outcome_on')
        batch_op.drop_column('outcome')
        batch_op.drop_column('version')
        batch_op.drop_column('grade')

    with op.batch_alter_table('tour_stop_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tour_stop_visit_tour_id'))

    op.drop_table('tour_stop_visit')
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photo_taken_at'))
        batch_op.drop_index(batch_op.f('ix_photo_site_id'))
        batch_op.drop_index(batch_op.f('ix_photo_sha256'))
        batch_op.drop_index(batch_op.f('ix_photo_rectification_id'))
        batch_op.drop_index(batch_op.f('ix_photo_discipline_id'))
        batch_op.drop_index(batch_op.f('ix_photo_checklist_item_id'))

    op.drop_table('tour')
    with op.batch_alter_table('rectification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_site_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_owner_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_closed_at'))
        batch_op.drop_index(batch_op.f('ix_rectification_checklist_item_id'))

    op.drop_table('reception_record')
    with op.batch_alter_table('phone_call', schema=None) as batch_op:
        batch_op.drop_index('ix_phone_call_site_phone')
        batch_op.drop_index(batch_op.f('ix_phone_call_site_id'))
        batch_op.drop_index(batch_op.f('ix_phone_call_customer_id'))

    op.drop_table('phone_call')
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_up_staff_open')
        batch_op.drop_index(batch_op.f('ix_follow_up_site_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_customer_id'))

    op.drop_table('follow_up')
    with op.batch_alter_table('contact_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_log_site_id'))
        batch_op.drop_index('ix_contact_log_customer_at')

    op.drop_table('contact_log')
    with op.batch_alter_table('checklist_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_item_checklist_id'))

    op.drop_table('tour_stop')
    with op.batch_alter_table('checklist_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_template_site_id'))