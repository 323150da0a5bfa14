"""the partial index on fout results also by payment: an item's automated results without a scan

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 12:00:00

The item page of a review shows the latest control run's verdicts on that one payment. Its fouts
were found through ``ix_control_result_fout`` (``run_id`` where ``status = 1``): every fout row of
the run (55,677 of 11.7 million on the 1,000,000-payment benchmark gemeente) was fetched and
filtered on ``payment_row_id``, 5 to 30 ms a page, more with twenty reviewers at once. The same
partial index on ``(run_id, payment_row_id)`` finds them directly and still serves the reads of
all fout rows of a run (findings, risk weights). It holds only the fout rows, as before, so a
control run writes it at the same cost (benchmarks/README.md, web load).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOUT = sa.text('status = 1')


def upgrade() -> None:
    op.drop_index('ix_control_result_fout', table_name='control_result')
    op.create_index('ix_control_result_fout', 'control_result', ['run_id', 'payment_row_id'], unique=False,
                    sqlite_where=FOUT, postgresql_where=FOUT)


def downgrade() -> None:
    op.drop_index('ix_control_result_fout', table_name='control_result')
    op.create_index('ix_control_result_fout', 'control_result', ['run_id'], unique=False,
                    sqlite_where=FOUT, postgresql_where=FOUT)
