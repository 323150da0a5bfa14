"""the gemeenten of a samenwerkingsverband: a gemeente table and the CBS code on payments and beschikkingen

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 00:30:00

A regional sociale dienst works for several gemeenten, each of which accounts separately. Payments and
beschikkingen carry the CBS gemeentecode of the gemeente they belong to. An existing database of one
gemeente loses nothing: its rows keep an empty code until the installation's gemeente is registered
(``kic gemeente add``), which gives every row without a code that gemeente's code, in the audit trail.

The rows of an imported population stay frozen (migration 0012) except for that one change: the guard
against UPDATE now lets a gemeente be set where there was none, and refuses every other change.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kic.db.immutable import drop_guard, refuse_rows

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'gemeente',
        sa.Column('code', sa.String(length=6), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('logo_type', sa.String(length=30), nullable=True),
        sa.Column('ledger', sa.String(length=1000), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_gemeente')),
    )
    op.add_column('payment', sa.Column('gemeente', sa.String(length=6), nullable=True))
    op.add_column('dossier', sa.Column('gemeente', sa.String(length=6), nullable=True))
    op.add_column('sample', sa.Column('gemeente', sa.String(length=6), nullable=True))
    for table, message in FROZEN.items():
        drop_guard(op, table, 'update')
        refuse_rows(op, table, 'UPDATE', message, _other_than_setting_the_gemeente(table))


FROZEN = {'payment': 'payment is frozen once imported', 'dossier': 'dossier is frozen once imported'}


def _other_than_setting_the_gemeente(table: str) -> str:
    """The condition of a refused UPDATE: anything but a gemeente set where there was none."""
    distinct = 'IS DISTINCT FROM' if op.get_bind().dialect.name == 'postgresql' else 'IS NOT'
    others = [c['name'] for c in sa.inspect(op.get_bind()).get_columns(table) if c['name'] != 'gemeente']
    changed = ' OR '.join(f'NEW.{name} {distinct} OLD.{name}' for name in others)
    return f'OLD.gemeente IS NOT NULL OR NEW.gemeente IS NULL OR {changed}'


def downgrade() -> None:
    for table, message in FROZEN.items():
        drop_guard(op, table, 'update')
        refuse_rows(op, table, 'UPDATE', message)
    op.drop_column('sample', 'gemeente')
    op.drop_column('dossier', 'gemeente')
    op.drop_column('payment', 'gemeente')
    op.drop_table('gemeente')
