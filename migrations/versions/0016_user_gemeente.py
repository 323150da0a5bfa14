"""a user can be limited to gemeenten: the accountant of one gemeente sees nothing of another

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 03:00:00

``user_gemeente`` holds the gemeenten a user works for. A user without any rows sees the whole installation,
as every user did before: existing accounts keep what they could see.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'user_gemeente',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('gemeente', sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_gemeente_user_id_user_account')),
        sa.ForeignKeyConstraint(['gemeente'], ['gemeente.code'], name=op.f('fk_user_gemeente_gemeente_gemeente')),
        sa.PrimaryKeyConstraint('user_id', 'gemeente', name=op.f('pk_user_gemeente')),
    )


def downgrade() -> None:
    op.drop_table('user_gemeente')
