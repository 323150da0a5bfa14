"""the samples of an installation of one gemeente are hers: the first gemeente registered takes them over

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 04:00:00

A sample drawn before the installation knew its gemeente has no gemeente. When the first gemeente is registered,
it takes over the rows without one (migration 0014) and now the samples drawn from them too, so that a database of
one gemeente that later becomes a region keeps each earlier sample with its gemeente (her evaluation, her
accountant). A drawn sample stays frozen (migration 0005) except for exactly that change: its gemeente set where
there was none. Everything else, and every DELETE, is still refused.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kic.db.immutable import allow_changes, drop_guard, refuse_changes, refuse_rows

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = 'sample is frozen once drawn'


def upgrade() -> None:
    allow_changes(op, 'sample')
    refuse_rows(op, 'sample', 'DELETE', MESSAGE)
    refuse_rows(op, 'sample', 'UPDATE', MESSAGE, _other_than_setting_the_gemeente())


def _other_than_setting_the_gemeente() -> str:
    """The condition of a refused UPDATE: anything but a gemeente set where there was none (as text on
    PostgreSQL, where a json column has no equality)."""
    postgresql = op.get_bind().dialect.name == 'postgresql'
    others = [c['name'] for c in sa.inspect(op.get_bind()).get_columns('sample') if c['name'] != 'gemeente']
    if postgresql:
        changed = ' OR '.join(f'NEW.{name}::text IS DISTINCT FROM OLD.{name}::text' for name in others)
    else:
        changed = ' OR '.join(f'NEW.{name} IS NOT OLD.{name}' for name in others)
    return f'OLD.gemeente IS NOT NULL OR NEW.gemeente IS NULL OR {changed}'


def downgrade() -> None:
    drop_guard(op, 'sample', 'update')
    drop_guard(op, 'sample', 'delete')
    refuse_changes(op, 'sample', MESSAGE)
