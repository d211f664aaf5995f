"""Conversations in progress (setup, a report's details, a site's new name, ...): one per chat,
kept in the database so a restart or another instance carries on where the patient was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.domain.records import DraftView
from storage.repositories import DraftRepository


class Conversations:
    def __init__(self, drafts: DraftRepository, clock: Callable[[], datetime]) -> None:
        self.drafts, self.clock = drafts, clock

    async def current(self, chat_id: int) -> DraftView | None:
        return await self.drafts.draft(chat_id)

    async def state(self, chat_id: int, flow: str) -> tuple[str | None, dict[str, Any]]:
        """The step and answers of the chat's conversation in `flow` (None and {} when another
        one, or none, is in progress): a button of an older conversation finds nothing then."""
        draft = await self.drafts.draft(chat_id)
        if draft is None or draft.flow != flow:
            return None, {}
        return draft.step, dict(draft.data)

    async def save(self, chat_id: int, flow: str, step: str, data: dict[str, Any]) -> None:
        await self.drafts.save_draft(chat_id, flow, step, data, self.clock())

    async def end(self, chat_id: int) -> None:
        await self.drafts.delete_draft(chat_id)
