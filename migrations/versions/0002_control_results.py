"""control runs and their results per payment and control

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kic.db.base

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('control_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('catalogue_hash', sa.String(length=64), nullable=False),
    sa.Column('regeling', sa.String(length=10), nullable=True),
    sa.Column('payment_count', sa.Integer(), nullable=False),
    sa.Column('result_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_control_run'))
    )
    op.create_table('control_run_control',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('control_id', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('regeling', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['control_run.id'], name=op.f('fk_control_run_control_run_id_control_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_control_run_control')),
    sa.UniqueConstraint('run_id', 'control_id', 'version', name=op.f('uq_control_run_control_run_id_control_id_version'))
    )
    op.create_table('control_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('run_control_id', sa.Integer(), nullable=False),
    sa.Column('payment_row_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('difference', kic.db.base.Money(), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['payment_row_id'], ['payment.id'], name=op.f('fk_control_result_payment_row_id_payment')),
    sa.ForeignKeyConstraint(['run_control_id'], ['control_run_control.id'], name=op.f('fk_control_result_run_control_id_control_run_control')),
    sa.ForeignKeyConstraint(['run_id'], ['control_run.id'], name=op.f('fk_control_result_run_id_control_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_control_result'))
    )
    with op.batch_alter_table('control_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_control_result_run_id'), ['run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('control_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_control_result_run_id'))

    op.drop_table('control_result')
    op.drop_table('control_run_control')
    op.drop_table('control_run')
