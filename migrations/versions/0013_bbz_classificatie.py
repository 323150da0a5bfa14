"""the BUS nadere classificatie Bbz on a payment: SiSa G2 (beginnende zelfstandigen) or G3

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 12:00:00

Levensonderhoud of beginnende zelfstandigen is accounted for on SiSa G2, the rest of the Bbz (gevestigde
and beëindigende zelfstandigen, kapitaal, onderzoek art. 56) on G3. The export tells them apart with the
BUS field "nadere classificatie Bbz" (1 beginnend, 2 oudere, 3 beëindigend, 5 overig); it is optional
in the import, so existing payments keep NULL (unknown).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('payment', sa.Column('bbz_class', sa.String(length=1), nullable=True))


def downgrade() -> None:
    op.drop_column('payment', 'bbz_class')  # SQLite 3.35+ and PostgreSQL drop in place (guards stay)
