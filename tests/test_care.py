"""The care circle through the real Application with two (or more) chats: a patient invites, a
caregiver accepts, the patient confirms, and each alert reaches the caregiver at the right moment,
once, as the patient's switches say; removal, expired and reused links, guessed codes, /delete."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot import logs, texts
from bot.config import Settings
from storage.models import CareAlert, CareInvite, CareLink
from tests.fake_telegram import ApiError, BotApiFake, SentMessage
from tests.flows import set_up
from tests.harness import TOKEN, Chat, Harness

LINK = re.compile(r"https://t\.me/b12_test_bot\?start=care-[A-Za-z0-9_-]+")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Berlin wall time in March 2026 before the DST switch (UTC+1), as UTC."""
    return datetime(2026, 3, day, hour - 1, minute, tzinfo=UTC)


async def invite(patient: Chat, name: str | None = None) -> str:
    """/caregiver → Invite someone → the name (their own first name by button, or typed)."""
    await patient.send("/caregiver")
    await patient.press("Invite someone")
    assert patient.last_reply().text == texts.ASK_DISPLAY_NAME
    await (patient.send(name) if name else patient.press(patient.first_name))
    found = LINK.search(patient.last_reply().text)
    assert found, patient.last_reply().text
    return found.group(0)


async def join(patient: Chat, carer: Chat, link: str, zone: str | None = None) -> None:
    """The caregiver opens the link and accepts, gives their zone; the patient confirms them."""
    await carer.open_link(link)
    await carer.press("Accept")
    await (carer.send(zone) if zone else carer.press("Same as"))
    await patient.press("Yes, that's them")
    assert " confirmed it's you" in carer.last_reply().text, carer.texts()


def alerts(carer: Chat, kind: str = "") -> list[SentMessage]:
    """The alerts the caregiver got (`kind`: those starting with that emoji)."""
    return [m for m in carer.messages() if m.text.endswith("asked me to tell you. /stop to stop.")
            and m.text.startswith(kind)]  # fmt: skip


async def rows(bot: Harness, model: object) -> int:
    async with bot.services.repo.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


async def test_invite_accept_confirm_then_an_emergency_at_night_reaches_the_caregiver_at_once_and_once(
    bot: Harness,
) -> None:
    pat, sam = bot.chat(1001, "Pat"), bot.chat(2002, "Sam")
    await set_up(pat)
    link = await invite(pat)
    assert "works once" in pat.last_reply().text
    [offer] = await sam.open_link(link)
    assert offer.text.startswith("Pat would like me to tell you when something important happens")
    assert "at once, if Pat reports signs of a severe allergic reaction" in offer.text
    assert "I never share their messages, symptoms or blood tests" in offer.text
    assert offer.buttons == ["✅ Accept", "No thanks"]
    await sam.press("Accept")
    assert sam.last_reply().text.startswith("Thank you. I've asked Pat to confirm it's you")
    assert pat.last_reply().text.startswith("Sam accepted your invite")
    await sam.press("Same as Pat (Europe/Berlin)")
    assert sam.last_reply().text.startswith("Got it: Europe/Berlin.")

    await bot.advance_to(at(2, 23, 30))  # before Pat confirms: Sam sees nothing
    await pat.send("my throat is swelling")
    assert alerts(sam) == []
    await pat.press("Yes, that's them")
    assert pat.last_reply().text.startswith("Done – Sam will hear from me when it matters.")
    assert sam.last_reply().text == texts.now_connected("Pat")

    await bot.advance_to(at(2, 23, 40))  # night in Berlin: an emergency still goes at once
    replies = await pat.send("lips swollen and I can't breathe")
    assert replies[0].text.startswith("🚨 Please call 112")
    [alert] = alerts(sam)
    assert alert.text.startswith(
        "🚨 Pat reported signs of a severe allergic reaction at 23:40 and was told to call the emergency "
        "number. If you can, check on them now."
    )
    assert alert.at == at(2, 23, 40)
    assert "lips" not in alert.text and "breathe" not in alert.text  # never their words unless shared
    await bot.advance_to(at(2, 23, 50))
    await pat.send("I'm fainting, can't breathe")  # ten minutes later: the same emergency, not a burst
    await bot.advance(hours=12)
    assert len(alerts(sam)) == 1


async def test_a_clinician_nudge_still_open_after_two_days_tells_the_caregiver_once_by_day(
    bot: Harness,
) -> None:
    pat, sam = bot.chat(1001, "Pat"), bot.chat(2002, "Sam")
    await set_up(pat)
    await join(pat, sam, await invite(pat))
    await pat.send("hives all over")  # Mon 07:00: the clinician nudge
    await bot.advance_to(at(4, 7, 59))
    assert alerts(sam, "⏳") == []  # two days on is 07:00 Wed: night for Sam, so it waits for 08:00
    await bot.advance_to(at(5, 12, 0))
    [alert] = alerts(sam, "⏳")
    assert alert.at == at(4, 8, 0)
    assert alert.text.startswith("⏳ Two days ago I asked Pat to contact their clinician")
    assert "hives" not in alert.text

    await pat.send("my left thigh is hot and swollen with pus")  # Thu 12:00: a second nudge...
    nudge = next(m for m in reversed(pat.messages()) if "I contacted them" in " ".join(m.buttons))
    await bot.advance_to(at(6, 12, 0))
    await pat.press("I contacted them", message=nudge)  # ...confirmed within two days
    await bot.advance_to(at(9, 12, 0))
    assert len(alerts(sam, "⏳")) == 1


async def test_a_caregiver_confirmed_in_their_night_hears_of_an_older_open_nudge_in_their_morning(
    bot: Harness,
) -> None:
    pat, sam = bot.chat(1001, "Pat"), bot.chat(2002, "Sam")
    await set_up(pat)
    await pat.send("hives all over")  # Mon 07:00: the clinician nudge, never confirmed
    await bot.advance_to(at(5, 8, 30))
    await join(pat, sam, await invite(pat), zone="New York")  # Thu 02:30 in New York
    assert alerts(sam) == []  # not in the middle of Sam's night
    await bot.advance_to(at(5, 20, 0))
    [alert] = alerts(sam, "⏳")
    assert alert.at == datetime(2026, 3, 5, 13, 0, tzinfo=UTC)  # 08:00 in New York


async def test_a_worried_caregiver_who_types_is_told_what_to_do_now(bot: Harness) -> None:
    pat, sam = bot.chat(1001, "Pat"), bot.chat(2002, "Sam")
    await set_up(pat)
    await join(pat, sam, await invite(pat), zone="New York")
    await pat.send("my lips r swelling and cant breathe properly")
    await sam.send("omg is she ok?? what do i do")
    reply = sam.last_reply().text
    assert reply.startswith("If you think Pat needs urgent help now")
    assert "and you're with them, call 112." in reply  # where Pat is (Berlin), not 911 where Sam is
    assert "If you're not, call them or someone near them now." in reply
    assert "their clinician is the one to ask" in reply


async def test_two_missed_doses_reach_only_the_caregiver_whose_switch_is_on(bot: Harness) -> None:
    pat, sam, alex = bot.chat(1001, "Pat"), bot.chat(2002, "Sam"), bot.chat(3003, "Alex")
    await set_up(pat)
    await join(pat, sam, await invite(pat))
    await join(pat, alex, await invite(pat, "Patricia"))
    await pat.send("/caregiver")
    assert "• Alex – gets: emergencies, clinician not contacted, missed doses" in pat.last_reply().text
    await pat.press("Alex")
    await pat.press("Missed doses")  # Alex: no missed-dose alerts
    await pat.press("Emergencies")  # a slip: said plainly what that means
    assert pat.last_reply().text == texts.emergencies_off("Alex")
    await pat.press("Emergencies")  # back on
    await pat.press("Done")
    await bot.advance_to(at(5, 9, 0))  # the doses of 3 and 4 March unanswered
    [alert] = alerts(sam)
    assert alert.at == at(5, 8, 0)
    assert alert.text.startswith("💉 Pat has missed 2 B12 doses in a row. I've suggested they contact")
    assert alerts(alex) == []
    await bot.advance_to(at(7, 9, 0))  # the streak goes on: still one alert
    assert len(alerts(sam)) == 1


async def test_a_missed_dose_alert_waiting_for_morning_is_dropped_once_the_dose_is_recorded(
    bot: Harness,
) -> None:
    pat, sam = bot.chat(1001, "Pat"), bot.chat(2002, "Sam")
    await set_up(pat)
    await join(pat, sam, await invite(pat), zone="London")
    await bot.advance_to(at(5, 8, 30))  # two missed at 08:00 Berlin, 07:00 in London: it waits
    await pat.send("done yesterday 21:00 right thigh")  # Pat had given it after all
    await pat.send("done left thigh")  # and today's
    await bot.advance_to(at(6, 12, 0))
    assert alerts(sam) == []  # nothing false reaches Sam, then or later


async def test_a_maintenance_dose_a_week_overdue_waits_for_morning_in_the_caregivers_zone(
    bot: Harness,
) -> None:
    pat, sam = bot.chat(1001, "Pat"), bot.chat(2002, "Sam")
    await set_up(pat, schedule="Monthly")
    await join(pat, sam, await invite(pat), zone="London")
    await bot.advance_to(at(11, 10, 0))  # due 3 March, never answered: overdue at 08:00 Berlin
    [alert] = alerts(sam)
    assert alert.text.startswith("💉 Pat: a B12 dose is more than a week overdue.")
    assert alert.at == at(11, 9, 0)  # 07:00 in London is night: 08:00 there
    assert "(This was today 07:00 your time – I waited until morning.)" in alert.text


async def test_with_words_shared_an_emergency_alert_says_what_they_reported(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    pat, sam = bot.chat(1001, "Pat"), bot.chat(2002, "Sam")
    await set_up(pat)
    await join(pat, sam, await invite(pat, "Mumsy"))
    await pat.send("/caregiver")
    await pat.press("Sam")
    await pat.press("My words and symptoms")
    await pat.send("/caregiver")
    assert "with your words and symptoms" in pat.last_reply().text
    logs.configure(Settings(bot_token=TOKEN, log_level="DEBUG", _env_file=None))
    logging.getLogger().addHandler(caplog.handler)  # configure() replaced the root handlers
    caplog.set_level(logging.DEBUG)
    try:
        await pat.send("my tongue is swelling up")
    finally:
        logging.getLogger().handlers[:] = []
    assert "care alert sent" in caplog.text
    for secret in ("tongue", "Mumsy", "Sam", "allergic", "swelling"):  # ids only in the logs
        assert secret not in caplog.text, secret
    [alert] = alerts(sam)
    assert alert.text.startswith("🚨 Mumsy reported signs of a severe allergic reaction at 07:00")
    assert (
        'What they told me: swelling of face, lips or throat. They wrote: "my tongue is swelling up"'
        in alert.text
    )


async def test_blocking_the_bot_while_a_dose_is_due_tells_the_caregiver_but_not_while_paused(
    bot: Harness, api: BotApiFake
) -> None:
    pat, sam = bot.chat(1001, "Pat"), bot.chat(2002, "Sam")
    await set_up(pat)
    await join(pat, sam, await invite(pat))
    await bot.advance_to(at(2, 12, 0))
    await pat.membership("member", "kicked")  # tomorrow's dose is due: that matters
    [alert] = alerts(sam, "🚫")
    assert alert.text.startswith("🚫 Pat has blocked my messages, so they won't get their B12 reminders")
    await pat.membership("kicked", "member")
    await bot.advance_to(at(3, 7, 59))
    api.fail_next("sendMessage", ApiError(403, "Forbidden: bot was blocked by the user"))
    await bot.advance_to(at(3, 8, 1))  # the dose message finds Pat blocked again: a new day, one alert
    assert len(alerts(sam, "🚫")) == 2
    await pat.membership("kicked", "member")
    await pat.send("/pause")
    await pat.press("Until I resume")
    await bot.advance(days=1)
    await pat.membership("member", "kicked")  # paused: no dose is due, nothing to tell
    await bot.advance(hours=1)
    assert len(alerts(sam, "🚫")) == 2


async def test_removing_a_caregiver_stops_everything_at_once_including_an_alert_waiting_for_morning(
    bot: Harness,
) -> None:
    pat, sam = bot.chat(1001, "Pat"), bot.chat(2002, "Sam")
    await set_up(pat)
    await join(pat, sam, await invite(pat), zone="Los Angeles")
    await bot.advance_to(at(5, 9, 0))  # two missed at 08:00 Berlin = 23:00 in Los Angeles: waits
    assert alerts(sam) == []
    async with bot.services.repo.sessions() as s:
        waiting = list(await s.scalars(select(CareAlert.due_at).where(CareAlert.state == "pending")))
    assert waiting == [at(5, 17, 0)]  # 08:00 in Los Angeles
    await pat.send("/caregiver")
    await pat.press("Sam")
    await pat.press("Remove Sam")
    assert pat.last_reply().text == texts.confirm_remove("Sam")  # one stray tap removes nobody
    await pat.press("No, keep them")
    assert pat.last_reply().text == texts.kept("Sam") and await rows(bot, CareLink) == 1
    await pat.press("Remove Sam")
    await pat.press("Yes, remove Sam")
    assert pat.last_reply().text == texts.removed("Sam")
    assert sam.last_reply().text == texts.removed_you("Pat")
    await bot.advance_to(at(6, 12, 0))
    assert alerts(sam) == [] and await rows(bot, CareAlert) == 0 and await rows(bot, CareLink) == 0
    await pat.send("lips swelling, can't breathe")
    await bot.advance(minutes=5)
    assert alerts(sam) == []  # nothing at all reaches someone removed
    await sam.send("/stop")
    assert sam.last_reply().text == texts.STOP_NOTHING  # no word of reminders Sam never had


async def test_an_expired_or_used_link_gets_one_neutral_reply(bot: Harness) -> None:
    pat, sam, eve = bot.chat(1001, "Pat"), bot.chat(2002, "Sam"), bot.chat(6666, "Eve")
    await set_up(pat)
    first = await invite(pat)
    second = await invite(pat, "P.")  # a new invite: the unused first one stops working
    [reply] = await sam.open_link(first)
    assert reply.text == texts.INVITE_GONE
    await join(pat, sam, second)
    [reply] = await eve.open_link(second)  # used once already
    assert reply.text == texts.INVITE_GONE
    third = await invite(pat)
    await bot.advance(hours=48, minutes=1)
    [reply] = await eve.open_link(third)  # expired
    assert reply.text == texts.INVITE_GONE
    [reply] = await pat.open_link(await invite(pat))
    assert reply.text == texts.OWN_INVITE
    assert await rows(bot, CareLink) == 1


async def test_a_stranger_guessing_codes_is_refused_learns_nothing_and_is_throttled(bot: Harness) -> None:
    pat, eve, sam = bot.chat(1001, "Pat"), bot.chat(6666, "Eve"), bot.chat(2002, "Sam")
    await set_up(pat)
    link = await invite(pat)
    code = link.rsplit("care-", 1)[1]
    guesses = [code[:-1] + ("A" if code[-1] != "A" else "B"), "x" * 22, "short", "care", code.lower() + "z"]
    for guess in guesses:
        [reply] = await eve.send(f"/start care-{guess}")
        assert reply.text == texts.INVITE_GONE  # a near miss looks the same as nonsense
    [reply] = await eve.open_link(link)  # the real code, after five wrong ones: not even checked
    assert reply.text == texts.INVITE_GONE
    await eve.press_data(reply, "g:acc")  # a forged Accept: no offer was made to this chat
    await eve.press_data(reply, "g:ok:1")  # a forged patient's confirm
    assert await rows(bot, CareLink) == 0
    assert [m.text for m in eve.messages()] == [texts.INVITE_GONE] * 6
    [offer] = await sam.open_link(link)  # the code itself still works for the person it was sent to
    assert offer.text.startswith("Pat would like me to tell you")
    await bot.advance(hours=1, minutes=1)
    [offer] = await eve.open_link(link)  # an hour later Eve is checked again
    assert offer.text.startswith("Pat would like me to tell you")


async def test_a_caregiver_of_two_can_stop_one_and_a_patient_has_at_most_three(bot: Harness) -> None:
    pat, kim, sam = bot.chat(1001, "Pat"), bot.chat(1002, "Kim"), bot.chat(2002, "Sam")
    await set_up(pat)
    await set_up(kim)
    await join(pat, sam, await invite(pat))
    await join(kim, sam, await invite(kim))
    for number, name in ((3003, "Alex"), (4004, "Jo")):
        await join(pat, bot.chat(number, name), await invite(pat))
    await pat.send("/caregiver")
    assert "Invite someone" not in " ".join(pat.last_reply().buttons)  # three is the most
    await sam.send("/stop")
    assert sam.last_reply().text == texts.STOP_WHOM and sam.last_reply().buttons == ["Pat", "Kim", "Everyone"]
    await sam.press("Kim")
    assert sam.last_reply().text == texts.stopped(["Kim"])
    assert kim.last_reply().text == texts.caregiver_left("Sam")
    await kim.send("my lips are swelling")
    await pat.send("my lips are swelling")
    assert [a.text.split(" reported")[0] for a in alerts(sam)] == ["🚨 Pat"]


async def test_delete_and_export_cover_the_circle_from_both_sides(bot: Harness) -> None:
    pat, sam, alex = bot.chat(1001, "Pat"), bot.chat(2002, "Sam"), bot.chat(3003, "Alex")
    await set_up(pat)
    await join(pat, sam, await invite(pat, "Quillfeather"))
    await join(pat, alex, await invite(pat))
    await pat.send("/export")
    data = json.loads(
        next(m.file_bytes for m in pat.messages() if m.file_name == "b12bot-export.json") or b""
    )
    assert [c["caregiver_name"] for c in data["caregivers"]] == ["Sam", "Alex"]
    assert all("code_hash" not in row for row in data["care_invites"])
    await sam.send("/export")  # a caregiver who is not a patient gets what is kept about them
    [mine] = [m for m in sam.messages() if m.file_name == "b12bot-export.json"]
    assert json.loads(mine.file_bytes or b"")["looking_after"][0]["display_name"] == "Quillfeather"
    await alex.send("/delete")
    await alex.press("Erase everything")
    assert alex.last_reply().text == texts.DELETED
    assert pat.last_reply().text == texts.caregiver_left("Alex")
    await pat.send("/delete")
    await pat.press("Erase everything")
    assert sam.last_reply().text == texts.removed_you("Quillfeather")
    for model in (CareLink, CareInvite, CareAlert):
        assert await rows(bot, model) == 0
