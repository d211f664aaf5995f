"""Answering a dose: buttons and typed text, idempotent confirmations, stale and forged buttons."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.domain.status import DoseStatus
from storage.models import Dose
from tests.fake_telegram import BotApiFake
from tests.flows import set_up
from tests.harness import Chat, Harness

DUE = "Time for your B12 injection"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Berlin wall time in early March 2026 (UTC+1), as UTC."""
    return datetime(2026, 3, day, hour - 1, minute, tzinfo=UTC)


async def doses(bot: Harness) -> list[Dose]:
    async with bot.services.repo.sessions() as s:
        return list(await s.scalars(select(Dose).order_by(Dose.id)))


async def due_now(bot: Harness, chat: Chat) -> None:
    await set_up(chat)
    await bot.advance_to(at(3, 8, 5))
    assert DUE in chat.last_reply().text


async def test_typed_done_with_a_site_records_it_and_says_what_is_next(bot: Harness) -> None:
    chat = bot.chat()
    await due_now(bot, chat)
    await chat.send("done l thigh")
    reply = chat.last_reply().text
    assert reply.startswith("✅ Recorded: Thigh left, today 08:05.")
    assert "Next dose: tomorrow 08:00, at Abdomen left." in reply
    first = (await doses(bot))[0]
    assert first.status == DoseStatus.DONE and first.site == "Thigh left"
    assert first.given_at == at(3, 8, 5)


async def test_typed_time_is_recorded_as_the_time_given(bot: Harness) -> None:
    chat = bot.chat()
    await due_now(bot, chat)
    await bot.advance_to(at(3, 9, 0))
    await chat.send("done abdomen right 08:40")
    assert "✅ Recorded: Abdomen right, today 08:40." in chat.last_reply().text
    assert (await doses(bot))[0].given_at == at(3, 8, 40)


async def test_done_without_a_site_asks_with_buttons_suggested_first(bot: Harness) -> None:
    chat = bot.chat()
    await due_now(bot, chat)
    await chat.send("done")
    question = chat.last_reply()
    assert question.text == "Where did you inject? (Suggested first.)"
    assert question.buttons[0] == "⭐ Abdomen left · not used yet"
    assert len(question.buttons) == 4
    await chat.press("Thigh right")
    assert chat.last_reply().text.startswith("✅ Recorded: Thigh right")


async def test_ambiguous_or_unknown_sites_ask_again(bot: Harness) -> None:
    chat = bot.chat()
    await due_now(bot, chat)
    await chat.send("done thigh")
    assert chat.last_reply().text == "Which one did you mean?"
    assert chat.last_reply().buttons == ["Thigh left · not used yet", "Thigh right · not used yet"]
    await chat.send("done elbow")
    assert chat.last_reply().text.startswith('I don\'t know the site "elbow"')
    assert (await doses(bot))[0].status == DoseStatus.DUE  # nothing recorded yet
    await chat.press("Thigh left")
    assert chat.last_reply().text.startswith("✅ Recorded: Thigh left")


async def test_a_second_done_and_a_stale_button_record_nothing_new(bot: Harness) -> None:
    chat = bot.chat()
    await due_now(bot, chat)
    dose_message = chat.last_reply()
    await chat.press("Done")
    site_question = chat.last_reply()
    second_tap = site_question.callback_for("Abdomen right")
    assert second_tap is not None
    await chat.press("Abdomen left")
    await chat.press_data(site_question, second_tap)  # a quick second tap, another site
    assert chat.last_reply().text == "That dose is already recorded (done) – nothing new was saved."
    await chat.press("Done", message=dose_message)
    assert "already recorded" in chat.last_reply().text
    await chat.send("done right thigh")
    assert "isn't due until tomorrow 08:00" in chat.last_reply().text
    rows = await doses(bot)
    assert [(d.status, d.site) for d in rows] == [
        (DoseStatus.DONE, "Abdomen left"),
        (DoseStatus.SCHEDULED, None),
    ]


async def test_forged_and_malformed_buttons_change_nothing(bot: Harness, api: BotApiFake) -> None:
    patient, other = bot.chat(1001), bot.chat(2002, "Sam")
    await set_up(patient)
    await set_up(other)
    await bot.advance_to(at(3, 8, 5))
    theirs = [d for d in await doses(bot) if d.status == DoseStatus.DUE]
    others_dose = next(d for d in theirs if d.patient_id != theirs[0].patient_id or d.id != theirs[0].id)
    mine = patient.last_reply()
    for data in (f"d:{others_dose.id}:site:0", f"d:{others_dose.id}:skip", "d:999999:done",
                 "d:x:done", "zz:1", "", "d:" + "9" * 60, "s:product:cyanocobalamin", "m:nope"):  # fmt: skip
        await patient.press_data(mine, data)
    assert [d.status for d in await doses(bot)] == [d.status for d in theirs] + []
    assert all(d.status == DoseStatus.DUE for d in await doses(bot))
    stale = [a for a in api.callback_answers if a.get("text")]
    assert len(stale) >= 7
    assert not [m for m in other.messages() if "Recorded" in m.text]


async def test_done_too_early_is_not_recorded(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat, schedule="Weekly")
    await bot.advance_to(at(3, 8, 5))
    await chat.send("done left thigh")
    await chat.send("done right thigh")
    reply = chat.last_reply().text
    assert "isn't due until Tue 10 Mar 08:00" in reply
    assert "check with your clinician" in reply


async def test_back_dated_done_records_the_missed_dose(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await bot.advance_to(at(4, 8, 1))  # Tuesday's dose went unanswered: missed Wednesday 08:00
    assert "marked it missed" in chat.last_reply().text
    await chat.send("done yesterday 21:00 right thigh")
    assert chat.last_reply().text.startswith("✅ Recorded: Thigh right, yesterday 21:00.")
    rows = await doses(bot)
    assert rows[0].status == DoseStatus.DONE and rows[0].given_at == at(3, 21)
    assert rows[1].status == DoseStatus.DUE  # today's dose is still open
    assert rows[1].number_in_phase == 2  # and it is the phase's 2nd now, not the 1st again
    await chat.send("done left thigh")
    assert "✅ Recorded: Thigh left" in chat.last_reply().text


async def test_a_missed_dose_recorded_late_still_counts_towards_the_phase_as_written(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)  # every day ×7, then every other day ×7, then monthly
    await bot.advance_to(at(4, 8, 1))  # Tuesday's dose, the first, went unanswered
    await chat.send("done yesterday 21:00 right thigh")  # it was given after all: 1 of 7
    for day in range(4, 10):  # Wednesday to Monday: 2 of 7 to 7 of 7
        await bot.advance_to(at(day, 8, 1))
        await chat.send("done left thigh")
    last = chat.last_reply().text
    assert last.startswith("✅ Recorded: Thigh left, today 08:01.")
    assert "Next dose: Wed 11 Mar 08:00" in last  # seven given: every other day now, not an 8th


async def test_a_dose_marked_missed_but_taken_after_all_is_two_taps(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await bot.advance_to(at(4, 8, 1))  # Tuesday's dose went unanswered: missed Wednesday 08:00
    today = chat.last_reply()
    assert "marked it missed" in today.text and "💉 I took the missed one" in today.buttons
    await chat.press("I took the missed one")
    assert chat.last_reply().text.startswith(
        "Good – where did you inject? I'll record it at the planned time, yesterday 08:00."
    )
    await chat.press("Thigh right")
    assert chat.last_reply().text.startswith("✅ Recorded: Thigh right, yesterday 08:00.")
    rows = await doses(bot)
    assert (
        rows[0].status == DoseStatus.DONE and rows[0].given_at == at(3, 8) and rows[0].site == "Thigh right"
    )
    assert rows[1].status == DoseStatus.DUE  # today's dose is still to do
    await chat.press("I took the missed one", today)  # a second tap records nothing more
    assert "already" in chat.last_reply().text
    assert [r.status for r in await doses(bot)][:2] == [DoseStatus.DONE, DoseStatus.DUE]


async def test_a_monthly_dose_recorded_late_is_not_asked_for_again_the_next_day(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat, schedule="Monthly")
    await bot.advance_to(at(4, 8, 1))  # Tuesday's dose went unanswered: missed, reminded again
    assert "marked it missed" in chat.last_reply().text
    await chat.send("done yesterday 21:00 right thigh")
    reply = chat.last_reply().text
    assert reply.startswith("✅ Recorded: Thigh right, yesterday 21:00.")
    assert "Next dose: Fri 3 Apr 08:00" in reply  # a month from the injection, not today again
    await chat.send("/next")
    assert "Fri 3 Apr 08:00" in chat.last_reply().text and "due now" not in chat.last_reply().text
    rows = await doses(bot)
    assert [r.status for r in rows if r.status in ("scheduled", "due")] == ["scheduled"]
    await bot.advance_to(at(20, 9, 0))  # nothing more is asked of them this month
    assert not [m for m in chat.messages() if m.at > at(4, 9, 0) and DUE in m.text]


async def test_future_and_too_old_times_are_refused(bot: Harness) -> None:
    chat = bot.chat()
    await due_now(bot, chat)
    await chat.send("done today 23:00 left thigh")
    assert "That time is in the future" in chat.last_reply().text
    assert (await doses(bot))[0].status == DoseStatus.DUE


async def test_skip_by_text_with_and_without_a_reason(bot: Harness) -> None:
    chat = bot.chat()
    await due_now(bot, chat)
    await chat.send("skip")
    assert "Why are you skipping" in chat.last_reply().text
    await chat.press("Something else")
    await chat.send("Ran out of swabs")
    assert chat.last_reply().text.startswith("Skipped – reason noted: Ran out of swabs.")
    await bot.advance_to(at(4, 8, 5))
    await chat.send("skip feeling unwell")
    assert chat.last_reply().text.startswith("Skipped – reason noted: feeling unwell.")
    assert [d.skip_reason for d in await doses(bot)][:2] == ["Ran out of swabs", "feeling unwell"]


async def test_snooze_by_text_and_by_button(bot: Harness) -> None:
    chat = bot.chat()
    await due_now(bot, chat)
    await chat.send("snooze 15")
    assert chat.last_reply().text == "Okay, I'll remind you again today 08:20."
    await bot.advance_to(at(3, 8, 21))
    assert chat.last_reply().at == at(3, 8, 20) and DUE in chat.last_reply().text
    await chat.press("Snooze")
    assert chat.last_reply().buttons == ["15 min", "30 min", "1 hour"]
    await chat.press("1 hour")
    assert "Time for your B12 injection" in chat.last_reply().text  # the dose stays on screen
    assert chat.last_reply().text.endswith("⏰ Okay, I'll remind you again today 09:21.")
    await chat.send("snooze 999")
    assert "Snooze takes 5 to 240 minutes" in chat.last_reply().text
    await bot.advance_to(at(3, 11, 0))
    # the snooze replaced the 10:00 re-reminder: one reminder at 09:20, none at 10:00
    sent = [m for m in chat.messages() if DUE in m.text or "nudge" in m.text]
    assert [m.at for m in sent] == [at(3, 8), at(3, 8, 20), at(3, 9, 21)]


async def test_chatter_before_setup_and_unknown_text_get_a_friendly_reply(bot: Harness) -> None:
    chat = bot.chat()
    await chat.send("hello?")
    assert "Tap /start" in chat.last_reply().text
    await set_up(chat)
    await chat.send("what's up")
    assert chat.last_reply().text.startswith("Sorry, I didn't catch that.")
    await chat.send("/frobnicate")
    assert chat.last_reply().text.startswith("Sorry, I didn't catch that.")
