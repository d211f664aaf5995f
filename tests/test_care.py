"""The care circle through the real Application with two (or more) chats: a patient invites, a
caregiver accepts, the patient confirms, and each alert reaches the caregiver at the right moment,
once, as the patient's switches say; removal, expired and reused links, guessed codes, /delete."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot import texts
from storage.models import CareAlert, CareInvite, CareLink
from tests.fake_telegram import ApiError, BotApiFake, SentMessage
from tests.flows import set_up
from tests.harness import Chat, Harness

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


async def test_two_missed_doses_reach_only_the_caregiver_whose_switch_is_on(bot: Harness) -> None:
    pat, sam, alex = bot.chat(1001, "Pat"), bot.chat(2002, "Sam"), bot.chat(3003, "Alex")
    await set_up(pat)
    await join(pat, sam, await invite(pat))
    await join(pat, alex, await invite(pat, "Patricia"))
    await pat.send("/caregiver")
    assert "• Alex – gets: emergencies, clinician not contacted, missed doses" in pat.last_reply().text
    await pat.press("Alex")
    await pat.press("Missed doses")  # Alex: no missed-dose alerts
    await pat.press("Done")
    await bot.advance_to(at(5, 9, 0))  # the doses of 3 and 4 March unanswered
    [alert] = alerts(sam)
    assert alert.at == at(5, 8, 0)
    assert alert.text.startswith("💉 Pat has missed 2 B12 doses in a row. I've suggested they contact")
    assert alerts(alex) == []
    await bot.advance_to(at(7, 9, 0))  # the streak goes on: still one alert
    assert len(alerts(sam)) == 1


async def test_a_maintenance_dose_a_week_overdue_waits_for_morning_in_the_caregivers_zone(bot: Harness) -> None:
    pat, sam = bot.chat(1001, "Pat"), bot.chat(2002, "Sam")
    await set_up(pat, schedule="Monthly")
    await join(pat, sam, await invite(pat), zone="London")
    await bot.advance_to(at(11, 10, 0))  # due 3 March, never answered: overdue at 08:00 Berlin
    [alert] = alerts(sam)
    assert alert.text.startswith("💉 Pat: a B12 dose is more than a week overdue.")
    assert alert.at == at(11, 9, 0)  # 07:00 in London is night: 08:00 there
    assert "(This was today 07:00 your time – I waited until morning.)" in alert.text


async def test_with_words_shared_an_emergency_alert_says_what_they_reported(bot: Harness) -> None:
    pat, sam = bot.chat(1001, "Pat"), bot.chat(2002, "Sam")
    await set_up(pat)
    await join(pat, sam, await invite(pat, "Mum"))
    await pat.send("/caregiver")
    await pat.press("Sam")
    await pat.press("My words and symptoms")
    await pat.send("my tongue is swelling up")
    [alert] = alerts(sam)
    assert alert.text.startswith("🚨 Mum reported signs of a severe allergic reaction at 07:00")
    assert 'What they told me: swelling of face, lips or throat. They wrote: "my tongue is swelling up"' in alert.text
