"""monitoring: symptom check-ins, lab results, check-in/lab/supplies settings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 19:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = storage.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "symptom_checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_symptom_checkin_patient_id_patient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_symptom_checkin")),
        sa.UniqueConstraint(
            "patient_id", "message_id", name=op.f("uq_symptom_checkin_patient_id_message_id")
        ),
    )
    op.create_index("ix_symptom_checkin_patient_created", "symptom_checkin", ["patient_id", "created_at"])
    op.create_table(
        "lab_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("b12", sa.Float(), nullable=True),
        sa.Column("mma", sa.Float(), nullable=True),
        sa.Column("hcy", sa.Float(), nullable=True),
        sa.Column("hb", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_lab_result_patient_id_patient"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_result")),
    )
    op.create_index(op.f("ix_lab_result_patient_id"), "lab_result", ["patient_id"])
    # monitoring reminders are found by patient and kind (and /delete finds all of a patient's)
    op.create_index("ix_reminder_patient_kind", "reminder", ["patient_id", "kind"])
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checkin_weekday", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("checkin_time", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("review_weeks", sa.Integer(), server_default="8", nullable=False))
        batch_op.add_column(sa.Column("review_suggested_at", UTC_DATETIME, nullable=True))
        batch_op.add_column(sa.Column("lab_recheck_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("stock_doses", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("stock_syringes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("vial_expires_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("refill_warned_at", UTC_DATETIME, nullable=True))


def downgrade() -> None:
    op.drop_index("ix_reminder_patient_kind", table_name="reminder")
    with op.batch_alter_table("patient", schema=None) as batch_op:
        for column in (
            "refill_warned_at",
            "vial_expires_on",
            "stock_syringes",
            "stock_doses",
            "lab_recheck_on",
            "review_suggested_at",
            "review_weeks",
            "checkin_time",
            "checkin_weekday",
        ):
            batch_op.drop_column(column)
    op.drop_index(op.f("ix_lab_result_patient_id"), table_name="lab_result")
    op.drop_table("lab_result")
    op.drop_index("ix_symptom_checkin_patient_created", table_name="symptom_checkin")
    op.drop_table("symptom_checkin")
