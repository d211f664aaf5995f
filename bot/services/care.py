"""The care circle: a patient invites up to three caregivers (a one-use link, 48 hours), a
caregiver accepts, the patient confirms them, and from then on the caregiver hears about what the
patient keeps switched on (`care_alerts.py`). Either side can end it at once.

Invite codes are 128 random bits, stored hashed. A wrong, expired or used code gets one neutral
answer, and a chat that keeps guessing is not even checked for a while (per process: with codes
this long guessing is hopeless anyway; the throttle only keeps it from costing queries)."""

from __future__ import annotations

import secrets
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.care import (
    ALERTS,
    CODE_BYTES,
    DEFAULT_SWITCHES,
    DETAILS,
    INVITE_VALID_FOR,
    MAX_CAREGIVERS,
    START_PREFIX,
    InviteView,
    LinkView,
    Refusal,
    hash_code,
)
from bot.services.care_alerts import CareAlerts
from storage.repositories import Repositories

GUESSES_ALLOWED = 5  # wrong codes from one chat within GUESS_WINDOW, then it is not checked
GUESS_WINDOW = timedelta(hours=1)
TRACKED_CHATS = 10_000
SWITCHES = (*(a.value for a in ALERTS), DETAILS)


@dataclass(frozen=True)
class Invite:
    link: str  # https://t.me/<bot>?start=care-<code>
    expires_at: datetime


class Care:
    def __init__(self, repo: Repositories, alerts: CareAlerts, clock: Callable[[], datetime]) -> None:
        self.repo, self.alerts, self.clock = repo, alerts, clock
        self._guesses: OrderedDict[int, deque[datetime]] = OrderedDict()

    # --- the patient's side -------------------------------------------------------------------------

    async def circle(self, patient_id: int) -> list[LinkView]:
        return await self.repo.care.links_of_patient(patient_id)

    async def invite(self, patient_id: int, display_name: str, bot_username: str) -> Invite | None:
        """A one-use invite link (the previous unused one stops working); None when the circle is
        full."""
        if len(await self.circle(patient_id)) >= MAX_CAREGIVERS:
            return None
        code = secrets.token_urlsafe(CODE_BYTES)
        now = self.clock()
        expires = now + INVITE_VALID_FOR
        await self.repo.care.add_invite(patient_id, hash_code(code), display_name, now, expires)
        return Invite(f"https://t.me/{bot_username}?start={START_PREFIX}{code}", expires)

    async def link_of_patient(self, patient_id: int, link_id: int | None) -> LinkView | None:
        """One of the patient's own caregivers (None for anyone else's: a forged button)."""
        link = await self.repo.care.link(link_id) if link_id is not None else None
        return link if link is not None and link.patient_id == patient_id else None

    async def confirm(self, patient_id: int, link_id: int) -> LinkView | None:
        """The patient confirms the person who accepted: from now on they hear what is switched on
        (clinician nudges already open included)."""
        link = await self.repo.care.confirm(link_id, patient_id, self.clock())
        if link is not None:
            await self.alerts.link_started(link)
        return link

    async def toggle(self, patient_id: int, link_id: int, switch: str) -> LinkView | None:
        link = await self.link_of_patient(patient_id, link_id)
        if link is None or switch not in SWITCHES:
            return None
        return await self.repo.care.set_switches(link_id, patient_id, sorted(link.switches ^ {switch}))

    async def remove(self, patient_id: int, link_id: int) -> LinkView | None:
        """The patient removes a caregiver: nothing more reaches them, queued alerts included."""
        if await self.link_of_patient(patient_id, link_id) is None:
            return None
        return await self.repo.care.remove(link_id)

    # --- the caregiver's side -----------------------------------------------------------------------

    def _throttled(self, chat_id: int, now: datetime) -> bool:
        recent = self._guesses.get(chat_id)
        while recent and now - recent[0] > GUESS_WINDOW:
            recent.popleft()
        return recent is not None and len(recent) >= GUESSES_ALLOWED

    def _guessed_wrong(self, chat_id: int, now: datetime) -> None:
        self._guesses.setdefault(chat_id, deque()).append(now)
        self._guesses.move_to_end(chat_id)
        while len(self._guesses) > TRACKED_CHATS:
            self._guesses.popitem(last=False)

    async def open_invite(self, chat_id: int, code: str | None) -> InviteView | None:
        """The invite behind a code, while it is unused and unexpired. None for a wrong code, an
        old one, or a chat that has guessed too often (all look the same to the person asking)."""
        now = self.clock()
        if self._throttled(chat_id, now):
            return None
        invite = await self.repo.care.open_invite(hash_code(code), now) if code else None
        if invite is None:
            self._guessed_wrong(chat_id, now)
        return invite

    async def patient_chat(self, invite: InviteView) -> int | None:
        snap = await self.repo.patients.snapshot_by_id(invite.patient_id)
        return snap.chat_id if snap is not None else None

    async def patient_zone(self, patient_id: int) -> str:
        snap = await self.repo.patients.snapshot_by_id(patient_id)
        return snap.plan.timezone if snap is not None and snap.plan is not None else "UTC"

    async def accept(self, invite_id: int, chat_id: int, caregiver_name: str) -> LinkView | Refusal:
        """The caregiver accepts: the invite is used up, the link waits for the patient. Their
        time zone starts as the one they gave before (another patient's), else the patient's."""
        invite_zone = await self._zone_of(chat_id)
        if invite_zone is None:
            found = await self.repo.care.invite(invite_id)
            invite_zone = await self.patient_zone(found.patient_id) if found else "UTC"
        return await self.repo.care.accept_invite(
            invite_id,
            chat_id,
            caregiver_name[:64],
            invite_zone,
            DEFAULT_SWITCHES,
            self.clock(),
            MAX_CAREGIVERS,
        )

    async def _zone_of(self, chat_id: int) -> str | None:
        links = await self.repo.care.links_of_caregiver(chat_id)
        return links[-1].zone if links else None

    async def set_zone(self, chat_id: int, link_id: int, zone: str) -> LinkView | None:
        return await self.repo.care.set_zone(link_id, chat_id, zone)

    async def looked_after(self, chat_id: int) -> list[LinkView]:
        """The patients this chat looks after (confirmed or not)."""
        return await self.repo.care.links_of_caregiver(chat_id)

    async def leave(self, chat_id: int, link_id: int) -> LinkView | None:
        """The caregiver stops: the link and anything queued for them, gone."""
        link = await self.repo.care.link(link_id)
        if link is None or link.caregiver_chat_id != chat_id:
            return None
        return await self.repo.care.remove(link_id)

    # --- privacy --------------------------------------------------------------------------------------

    async def before_erase(self, chat_id: int, patient_id: int | None) -> list[LinkView]:
        """Every link this chat is part of, either side (to tell the others once it is erased)."""
        own = await self.circle(patient_id) if patient_id is not None else []
        return [*own, *await self.looked_after(chat_id)]
