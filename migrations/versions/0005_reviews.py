"""reviews of sampled items, their verdict per control, imported review workbooks; a sample's plan line

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:19:11.636334
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kic.db.base
from kic.db.immutable import allow_changes, refuse_changes

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SAMPLE_COLUMNS = (
    sa.Column('plan_part', sa.String(length=40), nullable=True),
    sa.Column('plan', sa.JSON(), nullable=True),
    sa.Column('risk_model', sa.JSON(), nullable=True),
)


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch rebuild: rebuilding would drop the triggers that freeze samples.
    for column in SAMPLE_COLUMNS:
        op.add_column('sample', column)
    op.create_table('review_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('reviewer', sa.String(length=100), nullable=False),
    sa.Column('reviews', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['sample_id'], ['sample.id'], name=op.f('fk_review_import_sample_id_sample')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_import')),
    sa.UniqueConstraint('sha256', name=op.f('uq_review_import_sha256'))
    )
    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('sample_item_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.String(length=64), nullable=False),
    sa.Column('reviewer', sa.String(length=100), nullable=False),
    sa.Column('second_reviewer', sa.String(length=100), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=True),
    sa.Column('error_amount', kic.db.base.Money(), nullable=False),
    sa.Column('uncertain_amount', kic.db.base.Money(), nullable=False),
    sa.Column('formal_findings', sa.Integer(), nullable=False),
    sa.Column('cause_code', sa.String(length=40), nullable=True),
    sa.Column('explanation', sa.Text(), nullable=True),
    sa.Column('second_comment', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by', sa.String(length=100), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sample_id'], ['sample.id'], name=op.f('fk_review_sample_id_sample')),
    sa.ForeignKeyConstraint(['sample_item_id'], ['sample_item.id'], name=op.f('fk_review_sample_item_id_sample_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('sample_item_id', name=op.f('uq_review_sample_item_id'))
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_reviewer'), ['reviewer'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_sample_id'), ['sample_id'], unique=False)

    op.create_table('review_control',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('control_id', sa.String(length=40), nullable=False),
    sa.Column('control_version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('error_type', sa.String(length=4), nullable=True),
    sa.Column('amount', kic.db.base.Money(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_control_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_control')),
    sa.UniqueConstraint('review_id', 'control_id', name=op.f('uq_review_control_review_id_control_id'))
    )
    with op.batch_alter_table('review_control', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_control_review_id'), ['review_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review_control', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_control_review_id'))

    op.drop_table('review_control')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_sample_id'))
        batch_op.drop_index(batch_op.f('ix_review_reviewer'))

    op.drop_table('review')
    op.drop_table('review_import')
    allow_changes(op, 'sample')  # a batch rebuild on SQLite would lose them; set them again after
    with op.batch_alter_table('sample', schema=None) as batch_op:
        for column in SAMPLE_COLUMNS:
            batch_op.drop_column(column.name)
    refuse_changes(op, 'sample', 'sample is frozen once drawn')
