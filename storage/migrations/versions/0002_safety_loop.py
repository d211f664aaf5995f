"""safety loop: reports, nudges, patient settings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 16:43:16.706074
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "side_effect_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signs", sa.JSON(), nullable=False),
        sa.Column("site", sa.String(length=100), nullable=True),
        sa.Column("severity", sa.String(length=16), nullable=True),
        sa.Column("since_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("words", sa.Text(), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("rule_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("follow_ups", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("closed_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_side_effect_report_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_side_effect_report")),
    )
    with op.batch_alter_table("side_effect_report", schema=None) as batch_op:
        batch_op.create_index("ix_side_effect_report_patient_status", ["patient_id", "status"], unique=False)

    op.create_table(
        "clinician_nudge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("signs", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("contacted_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_clinician_nudge_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["side_effect_report.id"],
            name=op.f("fk_clinician_nudge_report_id_side_effect_report"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinician_nudge")),
    )
    with op.batch_alter_table("clinician_nudge", schema=None) as batch_op:
        batch_op.create_index("ix_clinician_nudge_patient_status", ["patient_id", "status"], unique=False)

    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rest_days", sa.Integer(), server_default="7", nullable=False))
        batch_op.add_column(sa.Column("heads_up_hours", sa.Integer(), nullable=True))

    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("nudge_id", sa.Integer(), nullable=True))
        batch_op.alter_column("dose_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_unique_constraint(
            batch_op.f("uq_reminder_kind_nudge_id_due_at"), ["kind", "nudge_id", "due_at"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_reminder_kind_report_id_due_at"), ["kind", "report_id", "due_at"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_reminder_nudge_id_clinician_nudge"),
            "clinician_nudge",
            ["nudge_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_reminder_report_id_side_effect_report"),
            "side_effect_report",
            ["report_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:

    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_reminder_report_id_side_effect_report"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_reminder_nudge_id_clinician_nudge"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_reminder_kind_report_id_due_at"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_reminder_kind_nudge_id_due_at"), type_="unique")
        batch_op.alter_column("dose_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("nudge_id")
        batch_op.drop_column("report_id")

    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_column("heads_up_hours")
        batch_op.drop_column("rest_days")

    with op.batch_alter_table("clinician_nudge", schema=None) as batch_op:
        batch_op.drop_index("ix_clinician_nudge_patient_status")

    op.drop_table("clinician_nudge")
    with op.batch_alter_table("side_effect_report", schema=None) as batch_op:
        batch_op.drop_index("ix_side_effect_report_patient_status")

    op.drop_table("side_effect_report")
