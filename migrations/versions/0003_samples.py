"""frozen samples and their items

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kic.db.base
from kic.db.immutable import allow_changes, refuse_changes

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROZEN = ("sample", "sample_item")


def upgrade() -> None:
    op.create_table('sample',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regeling', sa.String(length=10), nullable=False),
    sa.Column('period_label', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('method', sa.String(length=30), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('seed', sa.String(length=100), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('population_sha256', sa.String(length=64), nullable=False),
    sa.Column('population_count', sa.Integer(), nullable=False),
    sa.Column('population_total', kic.db.base.Money(), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('manifest', sa.JSON(), nullable=False),
    sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('extends_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['extends_id'], ['sample.id'], name=op.f('fk_sample_extends_id_sample')),
    sa.ForeignKeyConstraint(['replaces_id'], ['sample.id'], name=op.f('fk_sample_replaces_id_sample')),
    sa.ForeignKeyConstraint(['snapshot_id'], ['population_snapshot.id'], name=op.f('fk_sample_snapshot_id_population_snapshot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sample'))
    )
    op.create_table('sample_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('payment_row_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.String(length=64), nullable=False),
    sa.Column('stratum', sa.String(length=40), nullable=False),
    sa.Column('key_item', sa.Boolean(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('inclusion_probability', sa.Float(), nullable=True),
    sa.Column('book_value', kic.db.base.Money(), nullable=False),
    sa.ForeignKeyConstraint(['payment_row_id'], ['payment.id'], name=op.f('fk_sample_item_payment_row_id_payment')),
    sa.ForeignKeyConstraint(['sample_id'], ['sample.id'], name=op.f('fk_sample_item_sample_id_sample')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sample_item'))
    )
    with op.batch_alter_table('sample_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sample_item_sample_id'), ['sample_id'], unique=False)
    for table in FROZEN:
        refuse_changes(op, table, f"{table} is frozen once drawn")


def downgrade() -> None:
    for table in FROZEN:
        allow_changes(op, table)
    with op.batch_alter_table('sample_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sample_item_sample_id'))
    op.drop_table('sample_item')
    op.drop_table('sample')
