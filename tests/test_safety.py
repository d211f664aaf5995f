"""The safety loop through the real Application and scheduler, time moved by the test."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot import texts
from storage.models import ClinicianNudge, SideEffectReport
from tests.fake_telegram import BotApiFake, SentMessage
from tests.flows import set_up
from tests.harness import Chat, Harness

DUE = "Time for your B12 injection"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Berlin wall time in March 2026 before the DST switch (UTC+1), as UTC."""
    return datetime(2026, 3, day, hour - 1, minute, tzinfo=UTC)


async def reports(bot: Harness) -> list[SideEffectReport]:
    async with bot.services.repo.sessions() as s:
        return list(await s.scalars(select(SideEffectReport).order_by(SideEffectReport.id)))


async def nudges(bot: Harness) -> list[ClinicianNudge]:
    async with bot.services.repo.sessions() as s:
        return list(await s.scalars(select(ClinicianNudge).order_by(ClinicianNudge.id)))


async def dose_done(bot: Harness, chat: Chat, day: int, site_text: str) -> None:
    await bot.advance_to(at(day, 8, 1))
    await chat.send(f"done {site_text}")
    assert chat.last_reply().text.startswith("✅ Recorded"), chat.last_reply().text


async def report_by_buttons(
    chat: Chat, signs: list[str], site: str | None, severity: str
) -> list[SentMessage]:
    """/report by buttons; returns the replies to Done (the advice comes first)."""
    await chat.send("/report")
    for sign in signs:
        await chat.press(sign)
    advice = await chat.press("Done")
    if site is not None:
        await chat.press(site)
    await chat.press(severity)
    await chat.press("Today")
    return advice


def first_reply(replies: list[SentMessage]) -> SentMessage:
    assert replies, "the bot did not answer"
    return replies[0]


async def test_mild_redness_followed_up_then_worse_escalates_to_the_clinician(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await dose_done(bot, chat, 3, "left thigh")
    replies = await report_by_buttons(chat, ["Redness"], "Thigh left", "Mild")
    advice = replies[0].text  # before any detail is asked
    assert advice.startswith("Thanks, I've recorded it: redness.")
    assert "I'll check in tomorrow" in advice
    assert replies[1].text == texts.ASK_DETAILS + "\n" + texts.ASK_WHERE
    assert chat.last_reply().text == texts.DETAILS_DONE
    [report] = await reports(bot)
    assert (report.level, report.rule_ids, report.status) == ("watch", ["W1-local"], "open")

    await bot.advance_to(at(4, 8, 30))  # 24 h later
    question = [m for m in chat.messages() if m.text.startswith("Checking in")]
    assert len(question) == 1
    assert question[0].text == "Checking in: is the redness at Thigh left better, the same, or worse?"
    await chat.press("The same")
    assert chat.last_reply().text == texts.FOLLOW_UP_SAME

    await bot.advance_to(at(5, 9, 0))  # 48 h
    assert len([m for m in chat.messages() if m.text.startswith("Checking in")]) == 2
    await chat.press("Worse")
    nudge = chat.last_reply()
    assert "Your redness hasn't settled. It's getting worse." in nudge.text
    assert "Please contact Dr Rivera (+44 20 7946 0000) about it." in nudge.text
    assert nudge.buttons == ["✅ I contacted them", "⏰ Remind me later"]
    [report] = await reports(bot)
    assert report.level == "clinician" and "F2-worse-at-follow-up" in report.rule_ids


async def test_emergency_instruction_is_the_first_reply_wherever_the_patient_is(bot: Harness) -> None:
    newcomer = bot.chat(3003, "New")
    replies = await newcomer.send("my throat is swelling")  # before any setup: the general list
    assert first_reply(replies).text == texts.emergency(None)
    assert "112 in Europe, 999 in the UK, 911 in the US and Canada" in replies[0].text
    assert first_reply(replies).buttons == []
    assert "When you're safe, please tell your clinician" in replies[1].text

    chat = bot.chat()
    await chat.send("/start")
    await chat.press("Cyanocobalamin")
    replies = await chat.send("I can't breathe properly")  # in the middle of setup
    assert first_reply(replies).text == texts.emergency(None)
    assert [m.text for m in replies[-2:]] == [texts.SETUP_RESUMES, texts.ASK_STRENGTH]  # asked again
    await chat.send("1000 mcg/mL")  # setup goes on where it was
    assert "How much does your plan say to inject" in chat.last_reply().text
    await chat.send("/cancel")

    await set_up(chat)
    await bot.advance_to(at(3, 8, 1))
    assert DUE in chat.last_reply().text
    replies = await chat.send("lips swollen and hives all over")  # as a reply to a dose message
    assert first_reply(replies).text == texts.emergency("112")  # the plan is in Berlin
    assert first_reply(replies).text.startswith("🚨 Please call 112 for an ambulance now.")
    assert "please tell Dr Rivera (+44 20 7946 0000)" in replies[1].text

    await chat.send("/report")  # in the middle of a report, by button
    await chat.press("Trouble breathing")
    replies = await chat.press("Done")
    assert first_reply(replies).text == texts.emergency("112")
    levels = [r.level for r in await reports(bot)]
    assert levels == ["emergency"] * 4


async def test_a_reaction_site_is_left_out_until_the_reaction_is_better(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    for day, site in ((3, "left abdomen"), (4, "right abdomen"), (5, "right thigh")):
        await dose_done(bot, chat, day, site)
    # Thigh left is the site unused the longest (never used) ... but it has a reaction now
    replies = await chat.send("my left thigh is red and itchy")
    assert replies[0].text.startswith("Thanks, I've recorded it: redness and itching at Thigh left.")
    assert "I'll check in tomorrow" in replies[0].text
    await chat.press("Mild")
    await chat.press("Since yesterday")
    assert chat.last_reply().text == texts.DETAILS_DONE
    [report] = await reports(bot)
    assert report.words == "my left thigh is red and itchy" and report.site == "Thigh left"

    await bot.advance_to(at(6, 8, 0))
    dose_message = chat.last_reply()
    assert "Suggested site: Abdomen left" in dose_message.text  # not Thigh left
    await chat.press("Done", message=dose_message)
    assert chat.last_reply().buttons[-1].startswith("⚠️ Thigh left")  # still choosable, last
    await chat.press("Thigh left")  # the patient's choice: recorded, with a rotation tip
    reply = chat.last_reply().text
    assert reply.startswith("✅ Recorded: Thigh left")
    assert "Rotation tip: that site has an open reaction report. Next time, try" in reply

    await bot.advance_to(at(6, 9, 0))  # the 24 h follow-up (report made 5 Mar 08:01)
    await chat.press("Better")
    assert (
        chat.last_reply().text
        == "Glad it's better. I've closed this report. Thigh left is back in your rotation."
    )
    await chat.send("/sites")
    assert "⚠️" not in chat.last_reply().text


async def test_a_clinician_nudge_repeats_until_the_patient_contacted_them(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    [nudge] = await chat.send("hives all over")  # the advice is the first and only reply
    assert "Thanks for telling me about rash or hives." in nudge.text
    assert "Hives or a rash away from the injection site can be an allergy." in nudge.text
    assert "Please contact Dr Rivera (+44 20 7946 0000) today about it." in nudge.text
    await chat.press("Remind me later")
    assert chat.last_reply().text == "Okay, I'll remind you again today 11:00."

    def nudges_sent() -> list[datetime]:
        return [m.at for m in chat.messages() if "Please contact Dr Rivera" in m.text]

    await bot.advance_to(at(2, 12, 0))
    assert nudges_sent()[-1] == at(2, 11, 0)  # 4 h later
    await bot.advance_to(at(4, 12, 0))
    assert nudges_sent()[-2:] == [at(3, 11, 0), at(4, 11, 0)]  # then daily
    await chat.press("I contacted them")
    assert chat.last_reply().text == texts.CONTACTED
    count = len(nudges_sent())
    await bot.advance_to(at(9, 12, 0))
    assert len(nudges_sent()) == count  # no more nudges
    [nudge_row] = [n for n in await nudges(bot) if n.reason == "report"]
    assert nudge_row.status == "contacted"


async def test_two_missed_doses_in_a_row_nudge_towards_the_clinician(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await bot.advance_to(at(5, 9, 0))  # doses of 3 and 4 March unanswered
    missed = [m for m in chat.messages() if "You've missed 2 doses in a row" in m.text]
    assert len(missed) == 1
    assert missed[0].at == at(5, 8, 0)
    assert "please contact Dr Rivera (+44 20 7946 0000)" in missed[0].text
    assert "don't double up" in missed[0].text


async def test_a_dose_given_after_missed_ones_ends_their_nudge_and_a_new_streak_gets_its_own(
    bot: Harness,
) -> None:
    chat = bot.chat()
    await set_up(chat)
    await bot.advance_to(at(5, 9, 0))  # 3 and 4 March unanswered: the nudge at 08:00
    await chat.send("done yesterday 21:00 right thigh")  # 4 March was given after all
    await chat.send("done left thigh")  # and today's
    await bot.advance_to(at(8, 9, 0))  # then 6 and 7 March unanswered
    missed = [m.at for m in chat.messages() if "You've missed 2 doses in a row" in m.text]
    assert missed == [at(5, 8, 0), at(8, 8, 0)]  # no repeats once given; the new streak is told


async def test_a_plan_of_one_frequent_phase_counts_missed_doses_in_a_row_not_a_week(
    bot: Harness,
) -> None:
    chat = bot.chat()
    await set_up(chat, schedule="Every day")  # one open-ended phase, daily: no week to wait
    await bot.advance_to(at(4, 12, 0))  # the dose of 3 March missed: one is not a streak
    assert not [m for m in chat.messages() if "in a row" in m.text]
    await bot.advance_to(at(6, 9, 0))  # and the one of 4 March: two in a row
    missed = [m for m in chat.messages() if "You've missed 2 doses in a row" in m.text]
    assert missed and missed[0].at == at(5, 8, 0)  # (then daily until they say they called)
    assert "please contact Dr Rivera (+44 20 7946 0000)" in missed[0].text


async def test_rotation_tip_for_the_same_site_twice_in_a_row(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await dose_done(bot, chat, 3, "left thigh")
    await dose_done(bot, chat, 4, "left thigh")
    reply = chat.last_reply().text
    assert "✅ Recorded: Thigh left" in reply
    assert "Rotation tip: that's the same site as last time. Next time, try Abdomen left." in reply


async def test_sites_can_be_added_renamed_removed_and_rested(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await dose_done(bot, chat, 3, "left thigh")
    await chat.send("/sites")
    assert "• Thigh left – used today" in chat.last_reply().text
    assert "Rest period: 7 days" in chat.last_reply().text
    await chat.press("Add a site")
    await chat.send("hip left")
    assert "• Hip left – not used yet" in chat.last_reply().text
    await chat.press("Rename a site")
    await chat.press("Thigh left")
    await chat.send("Outer thigh left")
    listing = chat.last_reply().text
    assert "• Outer thigh left – used today" in listing  # history follows the new name
    await chat.press("Remove a site")
    await chat.press("Abdomen right")
    assert "Abdomen right" not in chat.last_reply().text
    await chat.press("Rest period")
    await chat.send("²")  # a superscript two: a digit to Python's isdigit, not a number to int()
    assert "whole number" in chat.texts()[-1] or "whole number" in chat.texts()[-2]
    await chat.press("Rest period")
    await chat.press("10 days")
    assert "Rest period: 10 days" in chat.last_reply().text
    await chat.send("/history")
    assert "Outer thigh left" in chat.last_reply().text


async def test_heads_up_before_a_dose_names_the_site(bot: Harness, api: BotApiFake) -> None:
    chat = bot.chat()
    await set_up(chat)
    await chat.send("/settings")
    assert "Heads-up before each dose: Off." in chat.last_reply().text
    await chat.press("2 hours")
    assert "Heads-up before each dose: 2 hours before." in chat.last_reply().text
    await bot.advance_to(at(3, 6, 30))
    heads_up = chat.last_reply()
    assert heads_up.at == at(3, 6, 0)
    assert (
        heads_up.text
        == "Coming up: your B12 dose today 08:00. Suggested site: Abdomen left – you can get it ready."
    )


async def test_reports_list_and_unplaceable_text(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await report_by_buttons(chat, ["Bruising"], "Abdomen left", "Mild")
    await chat.send("the weather is nice")
    assert "If something doesn't feel right, tap /report" in chat.last_reply().text
    await chat.send("/reports")
    assert "bruising at Abdomen left – watching, open" in chat.last_reply().text


async def test_rotation_tip_within_the_rest_period(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    for day, site in ((3, "left abdomen"), (4, "right abdomen"), (5, "left abdomen")):
        await dose_done(bot, chat, day, site)
    assert "Rotation tip: that site was used less than 4 days ago. Next time, try Thigh left." in (
        chat.last_reply().text
    )


async def test_a_maintenance_dose_over_a_week_overdue_nudges(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat, schedule="Monthly")  # one open-ended phase: maintenance
    await bot.advance_to(at(10, 9, 0))  # due 3 March, reminded daily, never answered
    assert not [m for m in chat.messages() if "more than a week overdue" in m.text]
    await bot.advance_to(at(11, 9, 0))
    overdue = [m for m in chat.messages() if "more than a week overdue" in m.text]
    assert len(overdue) == 1 and overdue[0].at == at(11, 8, 0)
    assert "Please contact Dr Rivera (+44 20 7946 0000)" in overdue[0].text


async def test_overdue_counts_from_the_maintenance_dose_not_from_misses_before_it(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat, schedule="3 times a week", start="Wed 4 Mar")  # 2 weeks, then every 3 months
    await bot.advance_to(at(24, 9, 0))  # nothing answered; every 3 months from 17 March
    assert not [m for m in chat.messages() if "more than a week overdue" in m.text]
    await bot.advance_to(at(25, 9, 0))
    overdue = [m for m in chat.messages() if "more than a week overdue" in m.text]
    assert overdue and overdue[0].at == at(25, 8, 0)


async def test_report_a_problem_button_under_the_dose_message(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await bot.advance_to(at(3, 8, 1))
    await chat.press("Report a problem")
    assert chat.last_reply().text == texts.ASK_WHAT
    await chat.press("Swelling")
    advice, question = await chat.press("Done")
    assert advice.text.startswith("Thanks, I've recorded it: swelling.")
    assert question.text.endswith(texts.ASK_WHERE)
    await chat.send("it came up on my wrist")  # typed: kept as the patient's words
    reply, question = await chat.press("Severe")  # a detail that raises the level: advice at once
    assert question.text == texts.ASK_SINCE
    assert "A severe reaction at the injection site should be checked." in reply.text
    assert "Please contact Dr Rivera (+44 20 7946 0000) today" in reply.text
    assert reply.buttons == ["✅ I contacted them", "⏰ Remind me later"]
    await chat.press("2–3 days")
    assert chat.last_reply().text == texts.DETAILS_DONE
    [report] = await reports(bot)
    assert report.words == "it came up on my wrist" and report.site is None
    assert report.level == "clinician"
    assert set(report.rule_ids) >= {"C6-persistent", "C8-severe-local"}
