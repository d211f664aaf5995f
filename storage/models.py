"""SQLAlchemy 2 models. All datetimes are stored in UTC (columns named *_at)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.domain.status import DoseStatus, NudgeStatus, ReminderState, ReportStatus
from bot.domain.symptoms import DEFAULT_REVIEW_WEEKS

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware in Python, UTC in the database (SQLite keeps no offset, so we normalise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Patient(Base):
    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime]
    # Set when the patient blocked the bot: reminders pause until they come back.
    blocked_at: Mapped[datetime | None]
    rest_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    heads_up_hours: Mapped[int | None] = mapped_column(Integer)  # None: no heads-up
    # monitoring (issue 6): weekly symptom check-in, lab re-check, supplies
    checkin_weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday; None: no check-in
    checkin_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM", local
    review_weeks: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_REVIEW_WEEKS, server_default=str(DEFAULT_REVIEW_WEEKS)
    )
    review_suggested_at: Mapped[datetime | None]  # "ask for a review" said once
    lab_recheck_on: Mapped[date | None] = mapped_column(Date)
    stock_doses: Mapped[int | None] = mapped_column(Integer)  # None: not tracked
    stock_syringes: Mapped[int | None] = mapped_column(Integer)
    vial_expires_on: Mapped[date | None] = mapped_column(Date)
    refill_warned_at: Mapped[datetime | None]  # the run-out warning went out (until stock is updated)
    # Set by an emergency- or allergy-level report: each dose message asks the patient to check
    # with their clinician first, until they say the clinician said to carry on.
    clinician_check_at: Mapped[datetime | None]


class Plan(Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    product: Mapped[str] = mapped_column(String(32))
    product_name: Mapped[str] = mapped_column(String(100), default="")
    strength: Mapped[str] = mapped_column(String(100))
    dose: Mapped[str] = mapped_column(String(100))
    route: Mapped[str] = mapped_column(String(32))
    phases: Mapped[list[Any]]
    time_of_day: Mapped[str] = mapped_column(String(5))  # "HH:MM", local
    timezone: Mapped[str] = mapped_column(String(64))
    sites: Mapped[list[Any]]
    clinician_name: Mapped[str] = mapped_column(String(200))
    clinician_contact: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    phase_index: Mapped[int] = mapped_column(Integer, default=0)
    phase_started_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    paused_at: Mapped[datetime | None]  # set while the patient has paused the plan
    paused_until: Mapped[date | None] = mapped_column(Date)  # optional end of the pause (local date)

    __table_args__ = (Index("ix_plan_patient_active", "patient_id", "active"),)


class Dose(Base):
    __tablename__ = "dose"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    phase_index: Mapped[int] = mapped_column(Integer)
    number_in_phase: Mapped[int] = mapped_column(Integer)
    phase_changed: Mapped[bool] = mapped_column(Boolean, default=False)
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=DoseStatus.SCHEDULED)
    given_at: Mapped[datetime | None]
    site: Mapped[str | None] = mapped_column(String(100))
    skip_reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_dose_patient_status", "patient_id", "status"),
        Index("ix_dose_plan_due", "plan_id", "due_at"),
    )


class Reminder(Base):
    """One message to send: the source of truth for what is owed to whom and when."""

    __tablename__ = "reminder"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    dose_id: Mapped[int | None] = mapped_column(ForeignKey("dose.id", ondelete="CASCADE"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("side_effect_report.id", ondelete="CASCADE"))
    nudge_id: Mapped[int | None] = mapped_column(ForeignKey("clinician_nudge.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default=ReminderState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None]
    retry_at: Mapped[datetime | None]  # set after a failed send: back off until then
    sent_at: Mapped[datetime | None]
    claim_token: Mapped[int | None] = mapped_column(BigInteger)  # the leader's fencing token

    __table_args__ = (
        UniqueConstraint("kind", "dose_id", "due_at"),
        UniqueConstraint("kind", "report_id", "due_at"),
        UniqueConstraint("kind", "nudge_id", "due_at"),
        Index("ix_reminder_state_due", "state", "due_at"),
        Index("ix_reminder_dose", "dose_id"),
        Index("ix_reminder_patient_kind", "patient_id", "kind"),
    )


class LeaderLease(Base):
    """Who fires reminders (PostgreSQL): one row; the holder renews it, a standby takes it once it
    has expired, and every taking raises the token, so claims made under an older one are stale."""

    __tablename__ = "leader_lease"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    token: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime]


class SideEffectReport(Base):
    """What the patient reported, the triage level and the rules that led to it."""

    __tablename__ = "side_effect_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    signs: Mapped[list[Any]]
    site: Mapped[str | None] = mapped_column(String(100))
    severity: Mapped[str | None] = mapped_column(String(16))
    since_at: Mapped[datetime | None]
    words: Mapped[str | None] = mapped_column(Text)  # the patient's own words, as written
    level: Mapped[str] = mapped_column(String(16))
    rule_ids: Mapped[list[Any]]
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.OPEN)
    follow_ups: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None]
    asked_at: Mapped[datetime | None]  # a follow-up question went out and waits for its answer

    __table_args__ = (Index("ix_side_effect_report_patient_status", "patient_id", "status"),)


class ClinicianNudge(Base):
    """A nudge to contact the clinician, repeated daily until the patient says they did."""

    __tablename__ = "clinician_nudge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("side_effect_report.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(32))  # report / follow_up / missed_doses / overdue
    signs: Mapped[list[Any]]
    status: Mapped[str] = mapped_column(String(16), default=NudgeStatus.OPEN)
    created_at: Mapped[datetime]
    contacted_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_clinician_nudge_patient_status", "patient_id", "status"),)


class SymptomCheckIn(Base):
    """How the patient felt: each symptom 0-3 (none..severe). The first one is the baseline."""

    __tablename__ = "symptom_checkin"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    levels: Mapped[dict[str, Any]]
    note: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[int | None] = mapped_column(BigInteger)  # the question answered: one check-in each

    __table_args__ = (
        UniqueConstraint("patient_id", "message_id"),
        Index("ix_symptom_checkin_patient_created", "patient_id", "created_at"),
    )


class LabResult(Base):
    """One blood test: values in the stored units of `bot.domain.labs` (None: not measured)."""

    __tablename__ = "lab_result"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"), index=True)
    taken_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    b12: Mapped[float | None] = mapped_column(Float)  # pg/mL
    mma: Mapped[float | None] = mapped_column(Float)  # µmol/L
    hcy: Mapped[float | None] = mapped_column(Float)  # µmol/L
    hb: Mapped[float | None] = mapped_column(Float)  # g/L


class ProcessedUpdate(Base):
    """Update ids already handled: a webhook retry or a duplicate delivery is processed once."""

    __tablename__ = "processed_update"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime] = mapped_column(index=True)


class Draft(Base):
    """A conversation in progress (setup): survives restarts and works across instances."""

    __tablename__ = "draft"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class ReportPhoto(Base):
    """A photo of a reaction, kept with its report: Telegram's file id, and the bytes downloaded
    once (size-capped) for the clinician's summary. Erased with the patient."""

    __tablename__ = "report_photo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    report_id: Mapped[int] = mapped_column(ForeignKey("side_effect_report.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str] = mapped_column(String(128))
    size: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)  # None: could not be downloaded

    __table_args__ = (
        Index("ix_report_photo_report", "report_id"),
        Index("ix_report_photo_patient", "patient_id"),
    )


class CareInvite(Base):
    """A one-use invite link for a caregiver (48 h). Only the code's hash is kept."""

    __tablename__ = "care_invite"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))  # the patient, as the caregiver will see them
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class CareLink(Base):
    """A caregiver looking after a patient: pending until the patient confirms them, then active.
    Removing it (either side, or /delete) deletes the row and every alert queued for it."""

    __tablename__ = "care_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    caregiver_chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    caregiver_name: Mapped[str] = mapped_column(String(64))  # their Telegram first name
    display_name: Mapped[str] = mapped_column(String(64))
    zone: Mapped[str] = mapped_column(String(64))  # the caregiver's time zone (quiet hours)
    switches: Mapped[list[Any]]  # the alerts they get (bot.domain.care.Alert), and "details"
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("patient_id", "caregiver_chat_id"),)


class CareAlert(Base):
    """One message owed to one caregiver about one event (unique per link and event key); a
    `care_alert` reminder row at its due time delivers it through the usual pipeline."""

    __tablename__ = "care_alert"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("care_link.id", ondelete="CASCADE"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    event_key: Mapped[str] = mapped_column(String(64))
    event_at: Mapped[datetime]
    due_at: Mapped[datetime]
    # the report or nudge it is about: read when it is due (details only if the patient shares them)
    subject_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("link_id", "event_key"),
        Index("ix_care_alert_patient_state_due", "patient_id", "state", "due_at"),
    )
