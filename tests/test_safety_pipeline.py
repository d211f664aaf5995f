"""The safety pipeline through the real Application: each way patients actually write, advice
first, no dead ends (issue 11, one test or more per point)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import texts
from bot.domain.status import DoseStatus
from storage.models import Dose, Patient, SideEffectReport
from tests.fake_telegram import SentMessage
from tests.flows import set_up
from tests.harness import Chat, Harness
from tests.test_safety import DUE, at, reports

CONTACT = "Dr Rivera (+44 20 7946 0000)"
BERLIN = texts.emergency("112")


async def planned(bot: Harness, chat_id: int = 1001) -> Chat:
    """A patient whose daily 08:00 (Berlin) dose is due now."""
    chat = bot.chat(chat_id)
    await set_up(chat)
    await bot.advance_to(at(3, 8, 1))
    assert DUE in chat.last_reply().text
    return chat


def first(replies: list[SentMessage]) -> str:
    assert replies, "the bot did not answer"
    return replies[0].text


async def open_reports(bot: Harness) -> list[SideEffectReport]:
    return [r for r in await reports(bot) if r.status == "open"]


# --- 1-5: the words patients use -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "my lips are like really really puffy",  # 1: intensifiers between the body part and the sign
        "throat feels kind of like its closing up",  # 1: "feels like ..."
        "cant get any air in",  # 2: lay words for breathing
        "i feel like im gonna pass out",  # 2: about to faint
        "my tongue feels too big for my mouth",  # 2: swelling by sensation
        "really struggling to swallow since the jab",  # 2: swallowing
        "fell over in the kitchen and cant remember it",  # 2: a fall with memory loss
        "cant brethe n lips r puffy",  # 3: text-speak and typos
        "its hard 2 breathe",  # 3: "2" for "to"
        "throat & tongue sweling",  # 3: "&" and a dropped letter
        "not sure if its related but my throat feels tight",  # 5: a hedge
        "done left thigh. also my lips feel puffy now",  # the red flag in the second sentence
    ],
)
async def test_emergency_phrasings_get_the_instruction_first(bot: Harness, text: str) -> None:
    chat = await planned(bot)
    replies = await chat.send(text)
    assert first(replies) == BERLIN, [m.text for m in replies]
    assert "please tell Dr Rivera" in replies[1].text
    [report] = await reports(bot)
    assert report.level == "emergency" and report.words == text


async def test_tingling_lips_are_a_possible_allergy_not_a_nerve_symptom(bot: Harness) -> None:
    chat = await planned(bot)
    replies = await chat.send("my lips are all tingly after the injection")  # 4
    assert "tingling or itching of the lips, mouth or throat" in first(replies)
    assert "If they're closed, call 116 117." in first(replies)  # Germany's out-of-hours line
    assert f"Please contact {CONTACT} today" in first(replies)
    [report] = await reports(bot)
    assert report.signs == ["mouth"] and "C1b-allergy-mouth" in report.rule_ids


# --- 6-9: context, modifiers, dose questions, whole words ------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("the redness hasn't gone down and its been 3 days", "C6-persistent"),  # 6
        ("swelling still not gone since monday", "C7-persistent-words"),  # 6
        ("the site is redder than this morning", "C5-spreading"),  # 7: a comparison
        ("the soreness is slowly getting worse", "C5-spreading"),  # 7: gradual
        ("the red has gone down my leg from the jab", "C5-spreading"),  # 7: visible spread
    ],
)
async def test_persistent_and_spreading_reactions_get_clinician_advice_first(
    bot: Harness, text: str, rule: str
) -> None:
    chat = await planned(bot)
    replies = await chat.send(text)
    assert f"Please contact {CONTACT} today" in first(replies)
    assert replies[0].buttons == ["✅ I contacted them", "⏰ Remind me later"]
    [report] = await reports(bot)
    assert report.level == "clinician" and rule in report.rule_ids


async def test_bleeding_that_will_not_stop_gets_clinician_advice(bot: Harness) -> None:
    chat = await planned(bot)
    replies = await chat.send("done left thigh but it won't stop bleeding")
    assert f"Please contact {CONTACT} today" in first(replies)
    [report] = await reports(bot)
    assert report.signs == ["bleeding"] and "C7-persistent-words" in report.rule_ids


async def test_a_sign_that_has_gone_is_not_reported(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("the redness has gone now")  # 6: resolved, not a new report
    assert await reports(bot) == []


@pytest.mark.parametrize(
    "text",
    [
        "how much should i inject?",
        "missed yesterday, should i catch up today?",
        "the pharmacy gave me a different strength this time",
        "used the wrong needle by mistake",
        "can i inject into the muscle instead?",
        "can I take an extra one?",  # 13
        "two today?",  # 13
        "i think i only got half of it in",
        "is it ok to keep the vials in the fridge door?",  # storage and technique are questions too
        "do i need to clean the skin with an alcohol wipe first?",
        "do i still need these if my levels are normal now?",  # a plan question
    ],
)
async def test_dose_and_plan_questions_are_redirected_to_the_clinician(bot: Harness, text: str) -> None:
    chat = await planned(bot)  # 8, 13
    replies = await chat.send(text)
    assert f"Please ask {CONTACT}" in first(replies)
    missed = any(w in text.lower() for w in ("missed", "extra", "two", "catch"))
    assert ("don't double up" in first(replies)) is missed  # only where it applies
    [report] = await reports(bot)
    assert report.signs == ["unsure"] and report.level == "clinician"


@pytest.mark.parametrize(
    "text",
    ["pushed the plunger in nice and slow", "wrote down the number on the vial", "chilling on the sofa"],
)
async def test_words_that_only_start_like_a_sign_are_not_one(bot: Harness, text: str) -> None:
    chat = await planned(bot)  # 9: "push" is not pus, "number" not numbness, "chilling" not chills
    await chat.send(text)
    assert await reports(bot) == []


# --- 10-12: every entry point ----------------------------------------------------------------------


async def test_a_dose_word_first_records_the_dose_and_the_report(bot: Harness) -> None:
    chat = await planned(bot)
    replies = await chat.send("injected left thigh, now it's hot and oozing")  # 10
    assert f"Please contact {CONTACT} today" in first(replies)  # the advice comes first
    assert replies[1].text.startswith("✅ Recorded: Thigh left")
    [report] = await reports(bot)
    assert report.site == "Thigh left" and report.level == "clinician" and "C3-pus" in report.rule_ids
    async with bot.services.repo.sessions() as s:
        statuses = list(await s.scalars(select(Dose.status).order_by(Dose.id)))
    assert statuses[0] == DoseStatus.DONE


async def test_hives_with_dizziness_by_buttons_gets_the_instruction_first(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("/report")  # 11
    await chat.press("Rash / hives elsewhere")
    await chat.press("Dizzy")
    replies = await chat.press("Done")
    assert first(replies) == BERLIN
    assert "please tell Dr Rivera" in replies[1].text
    [report] = await reports(bot)
    assert report.level == "emergency" and "E4-hives-faint" in report.rule_ids


def dose_message(chat: Chat) -> SentMessage:
    """The newest dose-due message (a follow-up or a nudge may have come at the same time)."""
    return [m for m in chat.messages() if DUE in m.text][-1]


async def test_after_an_allergy_level_report_each_dose_asks_to_check_first(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("done left thigh")
    await chat.send("itchy hives on my chest and back")  # clinician level, an allergy sign (12)
    await bot.advance_to(at(4, 8, 1))
    held = dose_message(chat)
    assert held.at == at(4, 8, 0)
    assert f"please check with {CONTACT} that it's OK to carry on" in held.text
    assert held.buttons[0] == texts.CARRY_ON_LABEL
    await chat.press(texts.CARRY_ON_LABEL, message=held)
    assert chat.last_reply().text == texts.CARRIED_ON
    await chat.press("Done", message=held)
    await chat.press("Abdomen left")
    await bot.advance_to(at(5, 8, 1))
    following = dose_message(chat)
    assert following.at == at(5, 8, 0)
    assert "Before this injection" not in following.text
    assert texts.CARRY_ON_LABEL not in following.buttons
    await chat.press(texts.CARRY_ON_LABEL, message=held)  # an old button: nothing to do
    assert chat.last_reply().text == texts.CARRY_ON_ALREADY


async def test_a_mild_local_reaction_does_not_hold_the_next_dose(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("done left thigh, bit red and itchy")
    await bot.advance_to(at(4, 8, 1))
    assert dose_message(chat).at == at(4, 8, 0)
    assert "Before this injection" not in dose_message(chat).text
    async with bot.services.repo.sessions() as s:
        assert await s.scalar(select(Patient.clinician_check_at)) is None


# --- 14-15: follow-ups in words, reports that close ----------------------------------------------


@pytest.mark.parametrize(("answer", "closed"), [("better", True), ("it's the same", False), ("same", False)])
async def test_typed_follow_up_answers(bot: Harness, answer: str, closed: bool) -> None:
    chat = await planned(bot)
    await chat.send("done left thigh")
    await chat.send("left thigh is a bit red")
    await chat.press("Skip")
    await bot.advance_to(at(4, 8, 30))  # the 24 h follow-up
    assert chat.last_reply().text.startswith("Checking in: is the redness at Thigh left better")
    await chat.send(answer)  # 14
    expected = texts.follow_up_better("Thigh left") if closed else texts.FOLLOW_UP_SAME
    assert chat.last_reply().text == expected
    [report] = await reports(bot)
    assert report.status == ("closed" if closed else "open")


async def test_its_gone_closes_a_watch_report_and_the_site_returns(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("done left thigh")
    await chat.send("left thigh is a bit red")
    await chat.press("Skip")
    await chat.send("/sites")
    assert "Thigh left" in chat.last_reply().text and "⚠️" in chat.last_reply().text
    await chat.send("ah it's gone now")  # 15
    assert chat.last_reply().text == texts.follow_up_better("Thigh left")
    assert await open_reports(bot) == []
    await chat.send("/sites")
    assert "⚠️" not in chat.last_reply().text


async def test_after_contact_a_follow_up_asks_whether_it_settled(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("done left thigh")
    await chat.send("left thigh is red and hot and spreading")
    await chat.press("I contacted them")  # 15
    await bot.advance_to(at(5, 8, 30))  # two days later
    question = [m for m in chat.messages() if m.text.startswith("Checking in after you spoke")]
    assert len(question) == 1
    await chat.press("Better", message=question[0])
    assert chat.last_reply().text == texts.follow_up_better("Thigh left")
    assert await open_reports(bot) == []


async def test_reports_has_a_close_button_for_each_open_report(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("done left thigh")
    await chat.send("left thigh is red and hot and spreading")
    await chat.send("/reports")
    listing = chat.last_reply()
    assert "contact clinician, open" in listing.text
    await chat.press("Close:", message=listing)  # 15
    assert chat.last_reply().text.startswith("Closed: redness")
    assert await open_reports(bot) == []
    await chat.press("Close:", message=listing)  # twice: nothing changes
    assert bot.api.callback_answers[-1]["text"] == texts.STALE_BUTTON


# --- no dead ends: no plan yet, the red-flag screen, the emergency number ---------------------------


async def test_a_patient_with_no_plan_gets_the_same_advice_then_the_offer_to_set_up(bot: Harness) -> None:
    chat = bot.chat(4004)
    replies = await chat.send("the site is red and hot and I have a fever")
    assert "Please contact your clinician today" in first(replies)
    assert replies[-1].text == texts.NO_PLAN_YET
    [report] = await reports(bot)
    assert report.level == "clinician"


async def test_a_symptom_with_no_sign_gets_the_red_flag_screen_never_didnt_catch_that(bot: Harness) -> None:
    chat = await planned(bot)
    [screen] = await chat.send("my arm feels really weird since the injection")
    assert screen.text == texts.RED_FLAG_SCREEN and texts.NOT_UNDERSTOOD not in screen.text
    replies = await chat.press("Trouble breathing or swallowing")
    assert first(replies) == BERLIN
    [report] = await reports(bot)
    assert report.level == "emergency" and report.words is not None
    assert report.words.startswith("my arm feels really weird")


async def test_none_of_these_records_the_words_to_watch(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("feeling a bit off today")
    await chat.press("None of these")
    assert chat.last_reply().text == texts.SCREEN_NONE
    [report] = await reports(bot)
    assert report.level == "watch" and report.words == "feeling a bit off today"


@pytest.mark.parametrize(
    ("zone", "number"),
    [
        ("Europe/London", "999"),
        ("America/New_York", "911"),
        ("Australia/Sydney", "000"),
        ("Europe/Paris", "112"),
    ],
)
async def test_the_emergency_number_is_the_patients_countrys(bot: Harness, zone: str, number: str) -> None:
    chat = bot.chat()
    await set_up(chat, zone=zone)
    replies = await chat.send("my throat is closing up")
    assert first(replies) == texts.emergency(number)
    assert first(replies).startswith(f"🚨 Please call {number} for an ambulance now.")


async def test_in_the_middle_of_setup_a_report_gets_its_advice_and_setup_carries_on(bot: Harness) -> None:
    chat = bot.chat()
    await chat.send("/start")
    await chat.press("Cyanocobalamin")
    replies = await chat.send("my lips are tingly")  # clinician level, no plan yet, setup waiting
    assert "Please contact your clinician today" in first(replies)
    assert texts.NO_PLAN_YET not in [m.text for m in replies]  # they are setting up right now
    assert [m.text for m in replies[-2:]] == [texts.SETUP_RESUMES, texts.ASK_STRENGTH]
    [screen] = await chat.send("my arm feels really odd")  # no sign: the screen, not "couldn't read"
    assert screen.text == texts.RED_FLAG_SCREEN
    replies = await chat.press("Feeling faint or I collapsed")
    assert first(replies) == texts.emergency(None)
    assert [m.text for m in replies[-2:]] == [texts.SETUP_RESUMES, texts.ASK_STRENGTH]
    await chat.press("1000 mcg/mL")  # setup goes on where it was
    assert texts.ASK_DOSE in chat.last_reply().text
    assert [r.level for r in await reports(bot)] == ["clinician", "emergency"]


# --- found by walking the bot as patients --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "allergy"),
    [("chest pain after the injection", False), ("my speech is slurred and my face is drooping", False)],
)
async def test_chest_pain_and_stroke_signs_get_the_emergency_instruction(
    bot: Harness, text: str, allergy: bool
) -> None:
    chat = await planned(bot)
    replies = await chat.send(text)
    assert first(replies) == texts.emergency("112", allergy=allergy)
    assert "Chest pain, or sudden trouble speaking" in first(replies)


async def test_a_racing_heart_gets_the_clinician_and_red_urine_the_general_advice(bot: Harness) -> None:
    chat = await planned(bot)
    replies = await chat.send("my heart is racing since the jab")
    assert f"Please contact {CONTACT} today" in first(replies)
    replies = await chat.send("my pee is red, is that the b12?")
    assert "usually settle" in first(replies) and "compress" not in first(replies)  # not site advice


async def test_clinician_advice_names_the_out_of_hours_line_and_the_emergency_number(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat, zone="Europe/London")
    replies = await chat.send("itchy welts all over my back and arms")
    assert "If they're closed, call NHS 111." in first(replies)
    assert "trouble breathing or feel faint, call 999." in first(replies)


async def test_the_hold_is_on_the_gentle_nudge_on_done_and_on_a_plan_saved_after_an_emergency(
    bot: Harness,
) -> None:
    chat = bot.chat()
    await chat.send("/start")
    await chat.press("Cyanocobalamin")
    await chat.send("my throat feels kind of tight now, probably nothing")  # mid-setup emergency
    await chat.press("1000 mcg/mL")
    await chat.send("1 mL")
    await chat.press("Under the skin")
    from tests.flows import choose_schedule

    await choose_schedule(chat, "Every day")
    await chat.send("08:00")
    await chat.send("Berlin")
    await chat.press("Done")
    await chat.send("Dr Rivera")
    await chat.send("+44 20 7946 0000")
    await chat.press("Tomorrow")
    await chat.press("Yes, it matches")
    saved = [m for m in chat.messages() if m.text.startswith("All set!")][-1]
    assert f"please check with {CONTACT} that it's OK to carry on" in saved.text
    await bot.advance_to(at(3, 12, 1))  # the dose at 08:00, then the gentle nudge
    [nudge] = [m for m in chat.messages() if "Just a gentle nudge" in m.text]
    assert nudge.text.startswith("⚠️ Before this injection")
    replies = await chat.send("done left thigh")
    assert replies[0].text.startswith("✅ Recorded: Thigh left")
    assert "Before this injection" in replies[0].text  # recorded, and the reaction not forgotten


@pytest.mark.parametrize("answer", ["under the skin", "into the muscle"])
async def test_a_typed_setup_answer_is_an_answer_not_a_report(bot: Harness, answer: str) -> None:
    chat = bot.chat()
    await chat.send("/start")
    await chat.press("Hydroxocobalamin")
    await chat.send("1 mg/mL")
    await chat.send("1 mL")
    await chat.send(answer)
    assert chat.last_reply().text.startswith("How often does your plan say to inject?")
    assert await reports(bot) == []


async def test_since_last_night_is_a_time_not_a_warning_sign(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("done left thigh")
    await chat.send("left thigh a bit red and itchy")
    await chat.press("Mild")
    await chat.send("since last nite i think")  # the answer to "Since when?"
    assert chat.last_reply().text == texts.DETAILS_DONE
    [report] = await reports(bot)
    assert report.level == "watch" and report.signs == ["redness", "itching"]


async def test_saying_they_spoke_to_the_gp_stops_the_reminders_and_notes_carry_on(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("itchy hives on my chest and back")
    replies = await chat.send("rang the gp, she said its fine to carry on")
    assert replies[0].text == texts.CONTACTED_ALL + "\n" + texts.CARRY_ON_NOTED
    await bot.advance_to(at(4, 8, 1))
    assert "Before this injection" not in [m for m in chat.messages() if DUE in m.text][-1].text
    assert not [m for m in chat.messages() if m.text.startswith("⚠️ You told me about")]


async def test_the_named_sign_gone_closes_its_report(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("done left thigh")
    await chat.send("left thigh a bit red")
    await chat.press("Skip")
    await chat.send("itchy hives on my chest")
    await chat.send("the hives are gone now")  # closes the hives report, not the redness one
    assert [(r.signs, r.status) for r in await reports(bot)] == [
        (["redness"], "open"), (["rash_hives"], "closed"),
    ]  # fmt: skip


async def test_a_follow_up_answer_that_names_something_new_is_a_new_report(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("done left thigh")
    await chat.send("left thigh a bit red")
    await chat.press("Skip")
    await bot.advance_to(at(4, 8, 30))
    await chat.send("bit better thx. the spot on my tummy is itchy and swollen tho")
    assert [r.status for r in await reports(bot)] == ["open", "open"]  # nothing closed, one more kept


async def test_a_dose_question_is_not_nagged_and_nudges_stop_after_three_days(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("can i take an extra one?")
    await chat.send("itchy hives on my chest")
    await bot.advance_to(at(10, 9, 0))
    nudges = [m for m in chat.messages() if m.text.startswith("⚠️ You ")]
    assert [m.at.date() for m in nudges] == [at(4, 8, 1).date(), at(5, 8, 1).date(), at(6, 8, 1).date()]
    assert all("rash or hives" in m.text for m in nudges)  # never the dose question
    assert nudges[-1].text.endswith(texts.LAST_NUDGE)


async def test_no_nudges_while_paused(bot: Harness) -> None:
    chat = await planned(bot)
    await chat.send("itchy hives on my chest")
    await chat.send("/pause")
    await chat.press("Until I resume")
    await bot.advance_to(at(5, 9, 0))
    assert not [m for m in chat.messages() if m.text.startswith("⚠️ You told me about")]


async def test_no_rash_no_swelling_just_sore_is_a_soreness(bot: Harness) -> None:
    chat = bot.chat(5005)
    replies = await chat.send("no rash no swelling just sore")
    assert "usually settle" in first(replies)
    [report] = await reports(bot)
    assert report.signs == ["pain"]
