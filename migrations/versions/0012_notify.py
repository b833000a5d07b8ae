"""the notification outbox: channels per site, alerts, deliveries (receipts), requests sent, push subscriptions

Revision ID: 0012
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Str = sqlmodel.sql.sqltypes.AutoString
When = models.base.UTCDateTime


def upgrade() -> None:
    op.create_table(
        'notifychannel',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('kind', Str(length=16), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('config', sa.JSON(), nullable=False),
        sa.Column('created_at', When(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('notifychannel') as batch_op:
        batch_op.create_index('ix_notifychannel_site_id', ['site_id'])
    op.create_table(
        'notifyalert',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('kind', Str(length=24), nullable=False),
        sa.Column('key', Str(length=80), nullable=False),
        sa.Column('text', Str(length=500), nullable=False),
        sa.Column('url', Str(length=200), nullable=False),
        sa.Column('visit_id', sa.Integer(), nullable=True),
        sa.Column('created_at', When(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id']),
        sa.ForeignKeyConstraint(['visit_id'], ['visit.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    with op.batch_alter_table('notifyalert') as batch_op:
        batch_op.create_index('ix_notifyalert_site_created', ['site_id', 'created_at'])
        batch_op.create_index('ix_notifyalert_staff_id', ['staff_id'])
        batch_op.create_index('ix_notifyalert_visit_id', ['visit_id'])
    op.create_table(
        'notifydelivery',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('alert_id', sa.Integer(), nullable=False),
        sa.Column('channel_id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('target', Str(length=20), nullable=False),
        sa.Column('status', Str(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_at', When(timezone=True), nullable=False),
        sa.Column('sent_at', When(timezone=True), nullable=True),
        sa.Column('last_error', Str(length=200), nullable=False),
        sa.Column('created_at', When(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['alert_id'], ['notifyalert.id']),
        sa.ForeignKeyConstraint(['channel_id'], ['notifychannel.id']),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('alert_id', 'channel_id', 'target', name='uq_notifydelivery_alert_channel_target'),
    )
    with op.batch_alter_table('notifydelivery') as batch_op:
        batch_op.create_index('ix_notifydelivery_due', ['status', 'next_at'])
        batch_op.create_index('ix_notifydelivery_alert_id', ['alert_id'])
    op.create_table(
        'notifysend',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel_id', sa.Integer(), nullable=False),
        sa.Column('at', When(timezone=True), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('deliveries', sa.Integer(), nullable=False),
        sa.Column('error', Str(length=200), nullable=False),
        sa.ForeignKeyConstraint(['channel_id'], ['notifychannel.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('notifysend') as batch_op:
        batch_op.create_index('ix_notifysend_channel_at', ['channel_id', 'at'])
    op.create_table(
        'pushsubscription',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('endpoint', Str(length=1000), nullable=False),
        sa.Column('p256dh', Str(length=200), nullable=False),
        sa.Column('auth', Str(length=60), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', When(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('endpoint'),
    )
    with op.batch_alter_table('pushsubscription') as batch_op:
        batch_op.create_index('ix_pushsubscription_staff_id', ['staff_id'])


def downgrade() -> None:
    for table in ('pushsubscription', 'notifysend', 'notifydelivery', 'notifyalert', 'notifychannel'):
        op.drop_table(table)
