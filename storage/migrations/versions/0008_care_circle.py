"""care circle: photos kept with reports; caregivers (invites, links, the alerts owed to them)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = storage.models.UTCDateTime(timezone=True)


def _patient_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["patient_id"], ["patient.id"], name=op.f(f"fk_{table}_patient_id_patient"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "report_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("file_id", sa.String(255), nullable=False),
        sa.Column("file_unique_id", sa.String(128), nullable=False),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        _patient_fk("report_photo"),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["side_effect_report.id"],
            name=op.f("fk_report_photo_report_id_side_effect_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_photo")),
    )
    op.create_index("ix_report_photo_report", "report_photo", ["report_id"])
    op.create_index("ix_report_photo_patient", "report_photo", ["patient_id"])
    op.create_table(
        "care_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.Column("used_at", UTC_DATETIME, nullable=True),
        _patient_fk("care_invite"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_invite")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_care_invite_code_hash")),
    )
    op.create_index(op.f("ix_care_invite_patient_id"), "care_invite", ["patient_id"])
    op.create_table(
        "care_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("caregiver_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("caregiver_name", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("switches", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("confirmed_at", UTC_DATETIME, nullable=True),
        _patient_fk("care_link"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_link")),
        sa.UniqueConstraint(
            "patient_id", "caregiver_chat_id", name=op.f("uq_care_link_patient_id_caregiver_chat_id")
        ),
    )
    op.create_index(op.f("ix_care_link_caregiver_chat_id"), "care_link", ["caregiver_chat_id"])
    op.create_table(
        "care_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("event_key", sa.String(64), nullable=False),
        sa.Column("event_at", UTC_DATETIME, nullable=False),
        sa.Column("due_at", UTC_DATETIME, nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("sent_at", UTC_DATETIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["link_id"], ["care_link.id"], name=op.f("fk_care_alert_link_id_care_link"), ondelete="CASCADE"
        ),
        _patient_fk("care_alert"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_alert")),
        sa.UniqueConstraint("link_id", "event_key", name=op.f("uq_care_alert_link_id_event_key")),
    )
    op.create_index("ix_care_alert_patient_state_due", "care_alert", ["patient_id", "state", "due_at"])


def downgrade() -> None:
    op.drop_table("care_alert")
    op.drop_table("care_link")
    op.drop_table("care_invite")
    op.drop_table("report_photo")
