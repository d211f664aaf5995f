"""Conversations in progress, kept so they survive restarts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from bot.domain.records import (
    DraftView,
)
from storage.models import (
    Draft,
)
from storage.repositories.base import (
    Repository,
)

_DRAFT = select(*Draft.__table__.c).where(Draft.chat_id == bindparam("chat_id"))  # every typed message


class DraftRepository(Repository):
    async def draft(self, chat_id: int) -> DraftView | None:
        async with self._single.connect() as c:
            row = (await c.execute(_DRAFT, {"chat_id": chat_id})).first()
        if row is None:
            return None
        return DraftView(row.chat_id, row.flow, row.step, dict(row.data), row.updated_at)

    async def save_draft(
        self, chat_id: int, flow: str, step: str, data: dict[str, Any], now: datetime
    ) -> None:
        async with self._sessions.begin() as s:
            row = await s.get(Draft, chat_id)
            if row is None:
                s.add(Draft(chat_id=chat_id, flow=flow, step=step, data=data, updated_at=now))
            else:
                row.flow, row.step, row.data, row.updated_at = flow, step, dict(data), now

    async def save_draft_unless_busy(
        self, chat_id: int, flow: str, step: str, data: dict[str, Any], now: datetime
    ) -> None:
        """Save `flow`'s state unless another conversation is in progress, in one statement."""
        dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(Draft).values(
            chat_id=chat_id, flow=flow, step=step, data=data, updated_at=now
        )
        upsert = insert.on_conflict_do_update(
            index_elements=["chat_id"],
            set_={"step": insert.excluded.step, "data": insert.excluded.data, "updated_at": now},
            where=Draft.flow == flow,
        )
        async with self._engine.begin() as c:
            await c.execute(upsert)

    async def delete_draft(self, chat_id: int, flow: str | None = None) -> None:
        """The chat's conversation ends (with `flow`: only if it is that one)."""
        where = [Draft.chat_id == chat_id] + ([Draft.flow == flow] if flow is not None else [])
        async with self._sessions.begin() as s:
            await s.execute(delete(Draft).where(*where))
