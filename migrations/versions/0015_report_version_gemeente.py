"""a published report belongs to one gemeente, or to the whole installation

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 01:00:00

In a samenwerkingsverband every gemeente has her own kwartaalrapportage and SISA-dossier, each with its own
versions: ``report_version.gemeente`` holds her CBS code, or '' for the installation as a whole (the region's
report, and every report of an installation of one gemeente). The unique key of a version gets the gemeente.
SQLite cannot drop a unique constraint in place: the table is rebuilt (batch mode) and its guards (0012)
are put back on the new table. Nothing references report_version, so no foreign key is affected.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kic.db.immutable import drop_guard, refuse_replace, refuse_rows

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = 'report_version is immutable once published'
OLD_KEY = ['kind', 'period', 'file_format', 'version_no']
NEW_KEY = ['kind', 'period', 'gemeente', 'file_format', 'version_no']


def upgrade() -> None:
    with _rebuilt() as batch:
        batch.add_column(sa.Column('gemeente', sa.String(length=6), nullable=False, server_default=''))
        batch.drop_constraint(op.f('uq_report_version_kind_period_file_format_version_no'), type_='unique')
        batch.create_unique_constraint(op.f('uq_report_version_kind_period_gemeente_file_format_version_no'), NEW_KEY)


def downgrade() -> None:
    with _rebuilt() as batch:
        batch.drop_constraint(op.f('uq_report_version_kind_period_gemeente_file_format_version_no'), type_='unique')
        batch.create_unique_constraint(op.f('uq_report_version_kind_period_file_format_version_no'), OLD_KEY)
        batch.drop_column('gemeente')


class _rebuilt:
    """The batch of changes to report_version; on SQLite around a rebuild that takes the guards with it."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        self.sqlite = op.get_bind().dialect.name == 'sqlite'
        if self.sqlite:
            for what in ('update', 'delete', 'replace'):
                drop_guard(op, 'report_version', what)
        self.batch = op.batch_alter_table('report_version', schema=None, recreate='always' if self.sqlite else 'never')
        return self.batch.__enter__()

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self.batch.__exit__(*exc)
        if self.sqlite and exc[0] is None:
            refuse_rows(op, 'report_version', 'UPDATE', MESSAGE)
            refuse_rows(op, 'report_version', 'DELETE', MESSAGE)
            refuse_replace(op, 'report_version', 'report_version: an existing row cannot be replaced')
