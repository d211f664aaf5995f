"""update ids seen (the duplicate guard) in an UNLOGGED table on PostgreSQL: committing one does
not wait for the write-ahead log to reach the disk, one flush less for every update

A PostgreSQL crash empties an unlogged table: the guard then forgets which updates it saw in the
last two days, so a webhook delivery retried after the crash could be processed again. What that
would repeat is guarded on its own (a dose already recorded is not recorded twice), so it is a
fair price for the flush every update used to wait for. SQLite keeps the table as it is.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 20:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE processed_update SET UNLOGGED")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE processed_update SET LOGGED")
