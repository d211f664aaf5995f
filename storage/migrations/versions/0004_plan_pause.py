"""plan pause

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 17:55:33.140346
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_at", storage.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("paused_until", sa.Date(), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("paused_until")
        batch_op.drop_column("paused_at")
