"""samples of beschikkingen: a sample's unit, an item's dossier row, and one key column for both units

A plan line with ``bron: beschikkingen`` (aanvragen, heronderzoeken) samples decisions, not
payments. ``sample.unit`` says which (``betaling`` or ``beschikking``); a sample item points at a
payment row or a dossier row; and the column that held the betaling_id now holds the key of either
unit (``item_key``: betaling_id or beschikkingsnummer), on the item and on its review.

SQLite cannot drop a NOT NULL in place: ``sample_item`` is rebuilt (batch mode). Reviews point at
its rows, so the foreign-key check is off during the rebuild and run over both tables afterwards;
the frozen-table triggers go with the old table and are put back on the new one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kic.db.immutable import allow_changes, refuse_changes

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROZEN = "sample_item is frozen once drawn"


def upgrade() -> None:
    op.add_column('sample', sa.Column('unit', sa.String(length=12), nullable=False, server_default='betaling'))
    op.execute("ALTER TABLE review RENAME COLUMN payment_id TO item_key")
    _rebuild_items(lambda batch: (
        batch.alter_column('payment_row_id', existing_type=sa.Integer(), nullable=True),
        batch.alter_column('payment_id', new_column_name='item_key', existing_type=sa.String(length=64),
                           existing_nullable=False),
        batch.add_column(sa.Column('dossier_row_id', sa.Integer(), nullable=True)),
        batch.create_foreign_key(op.f('fk_sample_item_dossier_row_id_dossier'), 'dossier',
                                 ['dossier_row_id'], ['id']),
    ))


def downgrade() -> None:
    _rebuild_items(lambda batch: (
        batch.drop_constraint(op.f('fk_sample_item_dossier_row_id_dossier'), type_='foreignkey'),
        batch.drop_column('dossier_row_id'),
        batch.alter_column('item_key', new_column_name='payment_id', existing_type=sa.String(length=64),
                           existing_nullable=False),
        batch.alter_column('payment_row_id', existing_type=sa.Integer(), nullable=False),
    ))
    op.execute("ALTER TABLE review RENAME COLUMN item_key TO payment_id")
    op.drop_column('sample', 'unit')


def _rebuild_items(change) -> None:  # type: ignore[no-untyped-def]
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite only honours foreign_keys=OFF outside a transaction, and a deferred check would still
        # count the DROP of the old table at commit: so finish what is open, switch the check off for
        # the rebuild, and prove afterwards that nothing dangles.
        _outside_transaction("PRAGMA foreign_keys = OFF")
    allow_changes(op, 'sample_item')
    with op.batch_alter_table('sample_item', schema=None) as batch_op:
        change(batch_op)
    refuse_changes(op, 'sample_item', FROZEN)
    if sqlite:
        _outside_transaction("PRAGMA foreign_keys = ON")
        for table in ('sample_item', 'review'):
            dangling = op.get_bind().exec_driver_sql(f"PRAGMA foreign_key_check({table})").fetchall()
            if dangling:
                raise RuntimeError(f"{table}: {len(dangling)} rijen verwijzen na de ombouw naar niets")


def _outside_transaction(pragma: str) -> None:
    driver = op.get_bind().connection.dbapi_connection
    if driver.in_transaction:
        driver.commit()  # the migrations before this one are complete: a consistent point
    driver.execute(pragma)
