"""server-side web sessions, login throttling per name and address, and the writers' lock

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 09:00:00

- ``web_session``: logging out ends a session on the server (a copied cookie opens nothing after).
- ``login_throttle``: failed logins counted per login name *and* client address, before the password
  is checked; replaces ``user_account.failed_logins`` and ``locked_until`` (a lock-out per account
  let anyone lock out anyone, and only existing accounts were ever locked: names could be guessed).
  Running lock-outs are not carried over: they end with the upgrade.
- ``kic_lock``: the table a SQLite writer updates to take the database's write lock before it checks
  for a repeat (kic.db.locks); PostgreSQL uses advisory locks and never writes it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_session",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_web_session_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_web_session")),
    )
    op.create_index(op.f("ix_web_session_user_id"), "web_session", ["user_id"], unique=False)
    op.create_table(
        "login_throttle",
        sa.Column("name_sha256", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lockouts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name_sha256", "address", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "kic_lock",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_kic_lock")),
    )
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_table("kic_lock")
    op.drop_table("login_throttle")
    op.drop_index(op.f("ix_web_session_user_id"), table_name="web_session")
    op.drop_table("web_session")
