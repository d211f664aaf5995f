"""The setup conversation: every question, bad input, /cancel, custom phases, setting up again."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.domain.status import DoseStatus, ReminderState
from storage.models import Dose, Draft, Plan, Reminder
from tests.fake_telegram import BotApiFake
from tests.flows import choose_schedule, set_up, set_up_to_the_contact
from tests.harness import Chat, Harness


async def count(bot: Harness, model: type, *where: object) -> int:
    async with bot.services.repo.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def reach_schedule(chat: Chat) -> None:
    await chat.send("/start")
    await chat.press("Cyanocobalamin")
    await chat.send("1000 mcg/mL")
    await chat.send("1 mL (1000 mcg)")
    await chat.press("Under the skin")


async def test_bad_input_is_reasked_with_an_example_and_changes_nothing(bot: Harness) -> None:
    chat = bot.chat()
    await chat.send("/start")
    assert "Which B12 product" in chat.last_reply().text
    await chat.press("Cyanocobalamin")
    await chat.send("strong")  # no number
    replies = chat.texts()[-2:]
    assert replies[0].startswith("Sorry, I couldn't read that.") and "1000 mcg/mL" in replies[0]
    assert "What strength" in replies[1]
    await chat.send("1000 mcg/mL")
    await chat.send("1 mL")
    await chat.send("sideways")  # route by text: not a route
    assert "What strength" not in chat.last_reply().text
    assert "How does your plan say to inject" in chat.last_reply().text
    await chat.press("Under the skin")
    await choose_schedule(chat, "Weekly")
    for bad in ("25:00", "soonish"):
        await chat.send(bad)
        assert "time like 8am, 08:00 or 20:30" in chat.texts()[-2]
    await chat.send("8.30 pm")
    await chat.send("Narnia")
    assert "Type a city" in chat.texts()[-2]
    await chat.send("new york")
    assert await count(bot, Plan) == 0  # nothing is a plan until confirmed
    draft = await bot.services.repo.drafts.draft(chat.chat_id)
    assert draft is not None
    assert draft.data["time"] == "20:30" and draft.data["tz"] == "America/New_York"


async def test_cancel_leaves_nothing_half_saved(bot: Harness) -> None:
    chat = bot.chat()
    await reach_schedule(chat)
    await chat.send("/cancel")
    assert chat.last_reply().text == "Okay, stopped. Nothing half-finished was saved."
    assert await count(bot, Draft) == 0
    assert await count(bot, Plan) == 0
    await chat.send("done")
    assert "You haven't set up a plan yet" in chat.last_reply().text
    await chat.send("/cancel")
    assert chat.last_reply().text == "There's nothing to cancel right now."


async def test_old_setup_buttons_are_out_of_date(bot: Harness, api: BotApiFake) -> None:
    chat = bot.chat()
    await chat.send("/start")
    product_question = chat.last_reply()
    await chat.press("Cyanocobalamin")
    await chat.press("Methylcobalamin", message=product_question)  # an older question
    assert api.callback_answers[-1].get("text") == "That button is out of date – nothing was changed."
    draft = await bot.services.repo.drafts.draft(chat.chat_id)
    assert draft is not None and draft.data["product"] == "cyanocobalamin"


async def test_custom_phases_with_weekdays_counts_and_an_open_end(bot: Harness) -> None:
    chat = bot.chat()
    await reach_schedule(chat)
    await chat.press("Build my own")
    await chat.press("Set weekdays")
    for day in ("Mon", "Thu"):
        await chat.press(day)
    assert "✅ Mon" in chat.last_reply().buttons and "✅ Thu" in chat.last_reply().buttons
    await chat.press("Done")
    await chat.press("A number of weeks")
    await chat.send("three")
    assert "whole number from 1 to 104" in chat.texts()[-2]
    await chat.send("3")
    assert "So far:\nEvery Mon, Thu, for 3 weeks" in chat.last_reply().text
    await chat.press("Add the next phase")
    await chat.press("Every … weeks")
    await chat.send("6")
    await chat.press("Until my clinician says to change")
    assert "What time of day" in chat.last_reply().text  # an open-ended phase is the last
    await chat.press("20:00")
    await chat.press("Europe/London")
    await chat.press("Abdomen right")  # switch one default off
    await chat.press("Arm left")  # and one on
    await chat.send("Hip left, hip right")
    assert "Your own: Hip left, Hip right" in chat.last_reply().text
    await chat.press("Done")
    await chat.send("Dr Okafor")
    await chat.send("clinic@example.org")
    assert "Today 20:00" in chat.last_reply().buttons  # 06:00 UTC now: today's 20:00 is ahead
    await chat.press("Another date…")
    await chat.send("2025-01-01")
    assert "today or later" in chat.texts()[-2]
    await chat.send("5 March")
    summary = chat.last_reply().text
    assert "1. Every Mon, Thu, for 3 weeks" in summary
    assert "2. Every 6 weeks, until your clinician says to change" in summary
    assert "Sites: Abdomen left, Thigh left, Thigh right, Arm left, Hip left, Hip right" in summary
    assert "• Thu 5 Mar 20:00\n• Mon 9 Mar 20:00\n• Thu 12 Mar 20:00" in summary
    await chat.press("Yes, it matches")
    assert "All set! I'll remind you at 20:00 (Europe/London)." in chat.messages()[-2].text
    await chat.send("/plan")
    assert "Clinician: Dr Okafor – clinic@example.org" in chat.last_reply().text


async def test_intramuscular_and_other_products_are_recorded_as_written(bot: Harness) -> None:
    chat = bot.chat()
    await chat.send("/start")
    await chat.press("Other")
    await chat.send("Cytamen")
    await chat.send("1000 micrograms in 1 ml")
    await chat.send("1 ml")
    await chat.press("Into the muscle")
    assert "into the muscle (intramuscular), as your plan says" in chat.texts()[-2]
    await choose_schedule(chat, "Monthly")
    await chat.send("9am")
    await chat.send("Sydney")
    await chat.press("Done")
    await chat.send("Dr Lee")
    await chat.send("02 9999 0000")
    await chat.press("Tomorrow")
    summary = chat.last_reply().text
    assert "Product: Cytamen" in summary
    assert "Route: into the muscle (intramuscular)" in summary
    assert "Reminder time: 09:00 (Australia/Sydney)" in summary


async def test_setting_up_again_replaces_the_plan_and_future_reminders_follow(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)  # daily at 08:00 Berlin, first dose tomorrow
    await set_up_to_the_contact(chat, "Weekly", "18:00", again=True)
    await chat.send("0123")
    await chat.press("Today 18:00")
    await chat.press("Yes, it matches")
    assert "Your first dose: today 18:00" in chat.messages()[-2].text
    assert await count(bot, Plan, Plan.active.is_(True)) == 1
    assert await count(bot, Dose, Dose.status == DoseStatus.CANCELLED) == 1
    assert await count(bot, Reminder, Reminder.state == ReminderState.PENDING) == 3  # new dose only
    await bot.advance_to(datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    due = [m for m in chat.messages() if "Time for your B12 injection" in m.text]
    assert [m.at for m in due] == [datetime(2026, 3, 2, 17, 0, tzinfo=UTC)]  # 18:00, not 08:00


async def test_a_setup_in_progress_survives_a_restart(bot: Harness, api: BotApiFake) -> None:
    chat = bot.chat()
    await reach_schedule(chat)
    await bot.stop()
    again = Harness(api, bot.settings.database_url, bot.clock)
    await again.start()
    try:
        chat_again = again.chat()
        await chat_again.press("Once a month")
        assert "Is this exactly what your plan says?" in chat_again.last_reply().text
    finally:
        await again.stop()


async def test_the_dose_is_typed_as_written_never_one_tap(bot: Harness) -> None:
    chat = bot.chat()
    await chat.send("/start")
    await chat.press("Cyanocobalamin")
    await chat.press("1000 mcg/mL")
    question = chat.last_reply()
    assert question.text.startswith("How much does your plan say to inject")
    assert question.buttons == []  # no "1 mL" button: a volume is never one tap
    await chat.send("0.5 mL (500 mcg)")
    draft = await bot.services.repo.drafts.draft(chat.chat_id)
    assert draft is not None and draft.data["dose"] == "0.5 mL (500 mcg)"


async def test_each_preset_names_its_source_and_three_times_a_week_asks_the_days(bot: Harness) -> None:
    chat = bot.chat()
    await reach_schedule(chat)
    presets = chat.last_reply().buttons
    assert presets[:-1] == [
        "3 times a week for 2 weeks, then every 3 months",
        "Every other day until your clinician says to switch, then every 2 months",
        "Once a month",
    ]  # the label's loading course and "weekly" are built phase by phase: no source prints them
    await chat.press("3 times a week")
    assert chat.last_reply().text.startswith(
        "3 times a week (BNF, hydroxocobalamin: pernicious anaemia without nerve symptoms). Which 3 days"
    )
    for day in ("Tue", "Thu"):
        await chat.press(day)
    await chat.press("Done")
    assert chat.texts()[-2] == "Please tap exactly 3 days, then Done."
    await chat.press("Sat")
    await chat.press("Done")
    preview = chat.last_reply().text
    assert preview.startswith(
        "This schedule (from BNF, hydroxocobalamin: pernicious anaemia without nerve symptoms):"
    )
    assert "1. Every Tue, Thu, Sat, for 2 weeks\n2. Every 3 months, until your clinician says" in preview


async def test_an_intramuscular_plan_offers_muscle_sites(bot: Harness) -> None:
    chat = bot.chat()
    await chat.send("/start")
    await chat.press("Hydroxocobalamin")
    await chat.send("1 mg/mL")
    await chat.send("1 mL")
    await chat.press("Into the muscle")
    await choose_schedule(chat, "Monthly")
    await chat.send("9am")
    await chat.send("London")
    sites = chat.last_reply()
    assert "into the muscle" in sites.text
    assert [b.split(" ", 1)[1] for b in sites.buttons[:-1]] == [
        "Upper arm left", "Upper arm right", "Outer thigh left", "Outer thigh right", "Hip left", "Hip right",
    ]  # fmt: skip
    assert "Abdomen left" not in " ".join(sites.buttons)
