"""What every setup step is: a question, and readers for a typed answer and a button."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot import texts
from bot.flows.setup_draft import Answer, Invalid, SetupDraft, Step

Question = tuple[str, InlineKeyboardMarkup | None]


class StepHandler:
    """One question of setup. By default it takes neither words nor buttons."""

    step: Step

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        raise NotImplementedError

    def typed(self, d: SetupDraft, text: str, now: datetime) -> Answer:
        return Invalid(texts.USE_BUTTONS)

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        return Invalid(texts.USE_BUTTONS)
