"""population snapshots, payments, dossiers and audit trail

Revision ID: 0001
Revises:
Create Date: 2026-11-23 10:57:17.664460
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kic.db.base
from kic.db.immutable import allow_changes, refuse_changes

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=False),
    sa.Column('object_id', sa.String(length=100), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('address', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('population_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source_name', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_format', sa.String(length=10), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('total_debit', kic.db.base.Money(), nullable=False),
    sa.Column('total_credit', kic.db.base.Money(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_to', sa.Date(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_population_snapshot'))
    )
    with op.batch_alter_table('population_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_population_snapshot_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_population_snapshot_sha256'), ['sha256'], unique=False)

    op.create_table('dossier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('beschikking_nr', sa.String(length=64), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('regeling', sa.String(length=10), nullable=False),
    sa.Column('product_code', sa.String(length=20), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('amount_per_period', kic.db.base.Money(), nullable=True),
    sa.Column('volume', kic.db.base.Quantity(), nullable=True),
    sa.Column('unit', sa.String(length=10), nullable=True),
    sa.Column('leefvorm', sa.String(length=10), nullable=True),
    sa.Column('kostendelers', sa.Integer(), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('application_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=True),
    sa.Column('entered_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['snapshot_id'], ['population_snapshot.id'], name=op.f('fk_dossier_snapshot_id_population_snapshot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier')),
    sa.UniqueConstraint('snapshot_id', 'beschikking_nr', name=op.f('uq_dossier_snapshot_id_beschikking_nr'))
    )
    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.String(length=64), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('regeling', sa.String(length=10), nullable=False),
    sa.Column('amount', kic.db.base.Money(), nullable=False),
    sa.Column('debit_credit', sa.String(length=1), nullable=True),
    sa.Column('payment_date', sa.Date(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('beschikking_nr', sa.String(length=64), nullable=True),
    sa.Column('leefvorm', sa.String(length=10), nullable=True),
    sa.Column('kostendelers', sa.Integer(), nullable=True),
    sa.Column('norm_amount', kic.db.base.Money(), nullable=True),
    sa.Column('income_amount', kic.db.base.Money(), nullable=True),
    sa.Column('product_code', sa.String(length=20), nullable=True),
    sa.Column('volume', kic.db.base.Quantity(), nullable=True),
    sa.Column('unit', sa.String(length=10), nullable=True),
    sa.Column('manual', sa.Boolean(), nullable=True),
    sa.Column('entered_by', sa.String(length=64), nullable=True),
    sa.Column('source_system', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['snapshot_id'], ['population_snapshot.id'], name=op.f('fk_payment_snapshot_id_population_snapshot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment')),
    sa.UniqueConstraint('snapshot_id', 'payment_id', name=op.f('uq_payment_snapshot_id_payment_id'))
    )
    refuse_changes(op, "audit_event", "audit_event is append-only")


def downgrade() -> None:
    allow_changes(op, "audit_event")
    op.drop_table('payment')
    op.drop_table('dossier')
    with op.batch_alter_table('population_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_population_snapshot_sha256'))
        batch_op.drop_index(batch_op.f('ix_population_snapshot_kind'))

    op.drop_table('population_snapshot')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
