"""The care circle: invites, caregiver links and the alerts owed to caregivers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from bot.domain.care import (
    Alert,
    AlertState,
    AlertView,
    InviteView,
    LinkStatus,
    LinkView,
    NewAlert,
    Refusal,
)
from bot.domain.status import ReminderKind
from storage.models import CareAlert, CareInvite, CareLink, Patient
from storage.repositories.base import Repository, remind

GONE, SELF, FULL, ALREADY = Refusal.GONE, Refusal.SELF, Refusal.FULL, Refusal.ALREADY


def _link(row: CareLink, patient_chat_id: int) -> LinkView:
    return LinkView(
        row.id,
        row.patient_id,
        patient_chat_id,
        row.caregiver_chat_id,
        row.caregiver_name,
        row.display_name,
        row.zone,
        frozenset(row.switches),
        LinkStatus(row.status),
        row.created_at,
    )


def _with_chat() -> Any:
    return select(CareLink, Patient.chat_id).join(Patient, Patient.id == CareLink.patient_id)


class CareRepository(Repository):
    # --- invites ------------------------------------------------------------------------------------

    async def add_invite(
        self, patient_id: int, code_hash: str, display_name: str, now: datetime, expires_at: datetime
    ) -> None:
        """A new invite; the patient's earlier unused one stops working (one link out at a time)."""
        async with self._sessions.begin() as s:
            await s.execute(
                delete(CareInvite).where(CareInvite.patient_id == patient_id, CareInvite.used_at.is_(None))
            )
            s.add(
                CareInvite(
                    patient_id=patient_id,
                    code_hash=code_hash,
                    display_name=display_name,
                    created_at=now,
                    expires_at=expires_at,
                )
            )

    async def open_invite(self, code_hash: str, now: datetime) -> InviteView | None:
        """The invite with this code while it is unused and unexpired; None otherwise."""
        async with self._sessions() as s:
            row = await s.scalar(
                select(CareInvite).where(
                    CareInvite.code_hash == code_hash,
                    CareInvite.used_at.is_(None),
                    CareInvite.expires_at > now,
                )
            )
            return InviteView(row.id, row.patient_id, row.display_name, row.expires_at) if row else None

    async def invite(self, invite_id: int) -> InviteView | None:
        async with self._sessions() as s:
            row = await s.get(CareInvite, invite_id)
            return InviteView(row.id, row.patient_id, row.display_name, row.expires_at) if row else None

    async def accept_invite(
        self,
        invite_id: int,
        caregiver_chat_id: int,
        caregiver_name: str,
        zone: str,
        switches: Iterable[str],
        now: datetime,
        max_links: int,
    ) -> LinkView | Refusal:
        """Use the invite (once) and add the caregiver, pending the patient's confirmation. A
        refusal says why: GONE (used, expired, or never was), SELF, FULL or ALREADY."""
        try:
            async with self._sessions.begin() as s:
                invite = await s.get(CareInvite, invite_id)
                if invite is None or invite.used_at is not None or invite.expires_at <= now:
                    return GONE
                patient_chat = await s.scalar(select(Patient.chat_id).where(Patient.id == invite.patient_id))
                if patient_chat is None:
                    return GONE
                if patient_chat == caregiver_chat_id:
                    return SELF
                links = list(
                    await s.scalars(select(CareLink).where(CareLink.patient_id == invite.patient_id))
                )
                if any(link.caregiver_chat_id == caregiver_chat_id for link in links):
                    return ALREADY
                if len(links) >= max_links:
                    return FULL
                used = await s.execute(
                    update(CareInvite)
                    .where(CareInvite.id == invite_id, CareInvite.used_at.is_(None))
                    .values(used_at=now)
                )
                if not used.rowcount:  # type: ignore[attr-defined]  # someone else, a moment ago
                    return GONE
                row = CareLink(
                    patient_id=invite.patient_id,
                    caregiver_chat_id=caregiver_chat_id,
                    caregiver_name=caregiver_name,
                    display_name=invite.display_name,
                    zone=zone,
                    switches=sorted(switches),
                    status=LinkStatus.PENDING,
                    created_at=now,
                )
                s.add(row)
                await s.flush()
                return _link(row, patient_chat)
        except IntegrityError:
            return ALREADY

    # --- links --------------------------------------------------------------------------------------

    async def links_of_patient(self, patient_id: int) -> list[LinkView]:
        async with self._sessions() as s:
            rows = await s.execute(
                _with_chat().where(CareLink.patient_id == patient_id).order_by(CareLink.id)
            )
            return [_link(row, chat) for row, chat in rows]

    async def links_of_caregiver(self, chat_id: int) -> list[LinkView]:
        async with self._sessions() as s:
            rows = await s.execute(
                _with_chat().where(CareLink.caregiver_chat_id == chat_id).order_by(CareLink.id)
            )
            return [_link(row, chat) for row, chat in rows]

    async def link(self, link_id: int) -> LinkView | None:
        async with self._sessions() as s:
            found = (await s.execute(_with_chat().where(CareLink.id == link_id))).first()
            return _link(*found) if found else None

    async def confirm(self, link_id: int, patient_id: int, now: datetime) -> LinkView | None:
        """The patient confirms the caregiver who accepted: alerts start. None if not pending."""
        async with self._sessions.begin() as s:
            changed = await s.execute(
                update(CareLink)
                .where(
                    CareLink.id == link_id,
                    CareLink.patient_id == patient_id,
                    CareLink.status == LinkStatus.PENDING,
                )
                .values(status=LinkStatus.ACTIVE, confirmed_at=now)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                return None
        return await self.link(link_id)

    async def set_switches(self, link_id: int, patient_id: int, switches: Sequence[str]) -> LinkView | None:
        """What the caregiver gets; alerts already queued for a kind now off are cancelled."""
        async with self._sessions.begin() as s:
            row = await s.get(CareLink, link_id)
            if row is None or row.patient_id != patient_id:
                return None
            row.switches = sorted(switches)
            off = [a.value for a in Alert if a.value not in switches]
            await s.execute(
                update(CareAlert)
                .where(
                    CareAlert.link_id == link_id,
                    CareAlert.state == AlertState.PENDING,
                    CareAlert.kind.in_(off),
                )
                .values(state=AlertState.CANCELLED)
            )
        return await self.link(link_id)

    async def set_zone(self, link_id: int, caregiver_chat_id: int, zone: str) -> LinkView | None:
        async with self._sessions.begin() as s:
            changed = await s.execute(
                update(CareLink)
                .where(CareLink.id == link_id, CareLink.caregiver_chat_id == caregiver_chat_id)
                .values(zone=zone)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                return None
        return await self.link(link_id)

    async def remove(self, link_id: int) -> LinkView | None:
        """The link and every alert queued for it, gone at once."""
        found = await self.link(link_id)
        if found is None:
            return None
        async with self._sessions.begin() as s:
            await s.execute(delete(CareAlert).where(CareAlert.link_id == link_id))
            await s.execute(delete(CareLink).where(CareLink.id == link_id))
        return found

    # --- alerts -------------------------------------------------------------------------------------

    async def queue(self, patient_id: int, alerts: Sequence[NewAlert]) -> list[datetime]:
        """Queue alerts (one per link and event: a repeat of the same event is ignored), each with a
        `care_alert` reminder at its due time. Returns the due times to arm."""
        armed: list[datetime] = []
        async with self._sessions.begin() as s:
            for alert in alerts:
                exists = await s.scalar(
                    select(CareAlert.id).where(
                        CareAlert.link_id == alert.link_id, CareAlert.event_key == alert.key
                    )
                )
                if exists is not None:
                    continue
                s.add(
                    CareAlert(
                        link_id=alert.link_id,
                        patient_id=patient_id,
                        kind=alert.kind,
                        event_key=alert.key,
                        event_at=alert.event_at,
                        due_at=alert.due_at,
                        subject_id=alert.subject_id,
                        state=AlertState.PENDING,
                    )
                )
                await remind(s, patient_id, ReminderKind.CARE_ALERT, alert.due_at)
                armed.append(alert.due_at)
        return armed

    async def last_alert_at(self, link_id: int, kind: Alert) -> datetime | None:
        async with self._sessions() as s:
            return await s.scalar(
                select(func.max(CareAlert.event_at)).where(
                    CareAlert.link_id == link_id, CareAlert.kind == kind
                )
            )

    async def due_alerts(self, patient_id: int, now: datetime) -> list[AlertView]:
        """Alerts about the patient due by `now`, for caregivers still linked and confirmed."""
        async with self._sessions() as s:
            rows = await s.execute(
                select(CareAlert, CareLink, Patient.chat_id)
                .join(CareLink, CareLink.id == CareAlert.link_id)
                .join(Patient, Patient.id == CareLink.patient_id)
                .where(
                    CareAlert.patient_id == patient_id,
                    CareAlert.state == AlertState.PENDING,
                    CareAlert.due_at <= now,
                    CareLink.status == LinkStatus.ACTIVE,
                )
                .order_by(CareAlert.event_at, CareAlert.id)
            )
            return [
                AlertView(
                    a.id,
                    _link(link, chat),
                    Alert(a.kind),
                    a.event_at,
                    a.due_at,
                    a.subject_id,
                )
                for a, link, chat in rows
            ]

    async def finish_alerts(self, ids: Sequence[int], state: AlertState, now: datetime) -> None:
        if not ids:
            return
        async with self._sessions.begin() as s:
            await s.execute(
                update(CareAlert)
                .where(CareAlert.id.in_(list(ids)), CareAlert.state == AlertState.PENDING)
                .values(state=state, sent_at=now if state is AlertState.SENT else None)
            )

    # --- privacy ------------------------------------------------------------------------------------

    async def forget_caregiver(self, chat_id: int) -> list[LinkView]:
        """/delete from a caregiver's chat: every link where this chat is the caregiver, gone (with
        its alerts). The patient's own circle goes with the patient (`erase_patient`)."""
        links = await self.links_of_caregiver(chat_id)
        if not links:
            return []
        async with self._sessions.begin() as s:
            ids = [link.id for link in links]
            await s.execute(delete(CareAlert).where(CareAlert.link_id.in_(ids)))
            await s.execute(delete(CareLink).where(CareLink.id.in_(ids)))
        async with self._sessions() as s:
            if s.get_bind().dialect.name == "sqlite":  # no copy left in the write-ahead log
                await s.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return links

    async def export_rows(self, patient_id: int | None, chat_id: int) -> dict[str, list[dict[str, Any]]]:
        """The patient's invites, caregivers and alerts, and the patients this chat looks after."""
        tables: dict[str, list[dict[str, Any]]] = {}
        async with self._sessions() as s:
            for name, model in (
                ("care_invites", CareInvite),
                ("caregivers", CareLink),
                ("care_alerts", CareAlert),
            ):
                if patient_id is None:
                    tables[name] = []
                    continue
                rows = await s.scalars(select(model).where(model.patient_id == patient_id).order_by(model.id))
                skip = {"patient_id", "code_hash"}
                tables[name] = [
                    {c.key: getattr(r, c.key) for c in model.__table__.columns if c.key not in skip}
                    for r in rows
                ]
            looked_after = await s.scalars(
                select(CareLink).where(CareLink.caregiver_chat_id == chat_id).order_by(CareLink.id)
            )
            keep = ("id", "display_name", "zone", "switches", "status", "created_at", "confirmed_at")
            tables["looking_after"] = [{k: getattr(r, k) for k in keep} for r in looked_after]
        return tables

    async def has_any(self, chat_id: int) -> bool:
        """Is this chat part of anyone's circle (as a caregiver)?"""
        async with self._sessions() as s:
            found = await s.scalar(select(CareLink.id).where(CareLink.caregiver_chat_id == chat_id).limit(1))
            return found is not None
