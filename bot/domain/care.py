"""The care circle's rules: which events reach a caregiver, when (never at night in their zone,
except an emergency), how each is told once, and what an invite code looks like. Pure: `now` is
always a parameter, nothing here reads a clock or talks to Telegram or a database."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.schedule import local_slot

MAX_CAREGIVERS = 3  # per patient
INVITE_VALID_FOR = timedelta(hours=48)
NUDGE_UNCONFIRMED_AFTER = timedelta(days=2)  # a clinician nudge still open this long: tell them
DUE_SOON = timedelta(hours=48)  # blocking the bot matters when a dose is open or due this soon
EMERGENCY_FOLD = timedelta(minutes=30)  # emergencies this close together are one alert
NIGHT_STARTS, NIGHT_ENDS = time(22, 0), time(8, 0)  # in the caregiver's zone
MAX_NAME = 32  # how the patient is shown to a caregiver
CODE_BYTES = 16  # secrets.token_urlsafe(16): 22 characters, 128 bits
START_PREFIX = "care-"
_CODE = re.compile(r"[A-Za-z0-9_-]{16,64}")


class Alert(StrEnum):
    """What a caregiver can hear about; each one the patient can switch off."""

    EMERGENCY = "emergency"  # an emergency-level report: at once, day or night
    NUDGE = "nudge"  # asked to contact the clinician 2 days ago and not confirmed
    MISSED = "missed"  # two missed doses in a row (repletion), or a dose a week overdue
    BLOCKED = "blocked"  # the patient blocked the bot while doses are due


DETAILS = "details"  # the switch that adds the patient's own words and symptoms to alerts
ALERTS = tuple(Alert)
DEFAULT_SWITCHES = frozenset(a.value for a in ALERTS)  # details are off until the patient says so


class LinkStatus(StrEnum):
    PENDING = "pending"  # the caregiver accepted; the patient has not confirmed them yet
    ACTIVE = "active"


class Refusal(StrEnum):
    """Why accepting an invite did nothing."""

    GONE = "gone"  # used, expired, or never was: one neutral answer for all three
    SELF = "self"  # the patient opened their own link
    FULL = "full"  # the patient has MAX_CAREGIVERS already
    ALREADY = "already"  # this chat is in their circle already


class AlertState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    CANCELLED = "cancelled"  # nothing left to say (the nudge was confirmed meanwhile)


@dataclass(frozen=True)
class InviteView:
    id: int
    patient_id: int
    display_name: str
    expires_at: datetime


@dataclass(frozen=True)
class LinkView:
    """One caregiver looking after one patient."""

    id: int
    patient_id: int
    patient_chat_id: int
    caregiver_chat_id: int
    caregiver_name: str  # their Telegram first name, as the patient sees them
    display_name: str  # the patient, as the caregiver sees them
    zone: str
    switches: frozenset[str]
    status: LinkStatus
    created_at: datetime

    @property
    def active(self) -> bool:
        return self.status is LinkStatus.ACTIVE


@dataclass(frozen=True)
class NewAlert:
    """An alert to queue for one caregiver (unique per link and event key)."""

    link_id: int
    kind: Alert
    key: str
    event_at: datetime
    due_at: datetime
    subject_id: int | None = None  # the report or nudge it is about (read again when due)


@dataclass(frozen=True)
class AlertView:
    id: int
    link: LinkView
    kind: Alert
    event_at: datetime
    due_at: datetime
    subject_id: int | None


def hash_code(code: str) -> str:
    """Invite codes are stored hashed: the table alone cannot be used to join anyone's circle."""
    return hashlib.sha256(code.encode()).hexdigest()


def code_from_start(argument: str) -> str | None:
    """`care-<code>` from a /start link; None for anything else (a malformed code is not looked up)."""
    if not argument.startswith(START_PREFIX):
        return None
    code = argument.removeprefix(START_PREFIX)
    return code if _CODE.fullmatch(code) else None


def is_night(at: datetime, zone: ZoneInfo) -> bool:
    local = at.astimezone(zone).time()
    return local >= NIGHT_STARTS or local < NIGHT_ENDS


def deliver_at(kind: Alert, at: datetime, zone: ZoneInfo) -> datetime:
    """When a caregiver hears about an event at `at`: an emergency at once; anything else at once
    by day, and at 08:00 their time when it falls at night."""
    if kind is Alert.EMERGENCY or not is_night(at, zone):
        return at
    local = at.astimezone(zone)
    day = local.date() if local.time() < NIGHT_ENDS else local.date() + timedelta(days=1)
    return local_slot(day, NIGHT_ENDS, zone)


def event_key(kind: Alert, subject: object) -> str:
    """One alert per event and caregiver: the report, the nudge, the day the bot was blocked."""
    return f"{kind.value}:{subject}"


def blocked_matters(paused: bool, has_plan: bool, open_due_at: datetime | None, now: datetime) -> bool:
    """Blocking the bot is worth telling a caregiver about while the plan runs (not paused) and a
    dose is open or due within two days."""
    return has_plan and not paused and open_due_at is not None and open_due_at <= now + DUE_SOON


def emergency_is_new(last_emergency_at: datetime | None, now: datetime) -> bool:
    """Several emergency messages in a few minutes (a frightened patient typing again) are one
    alert to the caregiver, not a burst."""
    return last_emergency_at is None or now - last_emergency_at >= EMERGENCY_FOLD


def clean_name(text: str) -> str | None:
    """How the patient wants a caregiver to see them: one short line, None when unusable."""
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME or name.startswith("/"):
        return None
    return name
