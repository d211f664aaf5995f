"""safety pipeline: check with the clinician before the next dose; follow-up questions waiting

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = storage.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.add_column(sa.Column("clinician_check_at", UTC_DATETIME, nullable=True))
    with op.batch_alter_table("side_effect_report") as batch:
        batch.add_column(sa.Column("asked_at", UTC_DATETIME, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("side_effect_report") as batch:
        batch.drop_column("asked_at")
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("clinician_check_at")
