"""/chart: the progress picture (doses, symptoms and labs), drawn by the Pictures service."""

from __future__ import annotations

from telegram import InputFile, Update

from bot import texts
from bot.context import BotContext
from bot.handlers.common import patient_with_plan, reply


async def chart(update: Update, context: BotContext) -> None:
    """/chart: the progress picture."""
    snap = await patient_with_plan(update, context)
    chat = update.effective_chat
    if snap is None or chat is None:
        return
    png = await context.services.pictures.chart(snap)
    if png is None:
        await reply(update, texts.CHART_EMPTY)
        return
    await context.bot.send_photo(
        chat.id, InputFile(png, filename="b12-chart.png"), caption=texts.CHART_CAPTION
    )
