"""evidence of a review: uploaded documents (by SHA-256) and references to the dossier system

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('review_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('reference', sa.Text(), nullable=True),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_evidence_review_id_review'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_evidence'))
    )
    with op.batch_alter_table('review_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_evidence_review_id'), ['review_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_evidence_review_id'))
    op.drop_table('review_evidence')
