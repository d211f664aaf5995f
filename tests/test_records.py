"""Records and schedules a patient can trust (issue 12): every date, count and answer right,
through the real Application. Each test names the item it covers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import select

from bot import texts
from storage.models import Dose
from tests.flows import set_up, set_up_to_the_contact
from tests.harness import Chat, Harness

DUE = "Time for your B12 injection"


def ny(day: int, hour: int, minute: int = 0) -> datetime:
    """New York wall time in March 2026 before its DST switch (8 March: UTC-5, then UTC-4)."""
    offset = 5 if day < 8 else 4
    return (
        datetime(2026, 3, day, hour + offset, minute, tzinfo=UTC)
        if hour + offset < 24
        else datetime(2026, 3, day + 1, hour + offset - 24, minute, tzinfo=UTC)
    )


async def export_csv(chat: Chat) -> list[list[str]]:
    await chat.send("/export")
    data = next(m.file_bytes for m in reversed(chat.messages()) if m.file_name == "b12bot-records.csv")
    return list(csv.reader(io.StringIO((data or b"").decode())))


async def reach_start_question(chat: Chat, schedule: str = "Every day", zone: str = "Europe/Berlin") -> None:
    await set_up_to_the_contact(chat, schedule, "08:00", zone)
    await chat.send("+44 20 7946 0000")


# --- 1: a first-dose date already past -------------------------------------------------------------


async def test_a_first_dose_date_already_past_is_refused_not_moved_to_next_year(bot: Harness) -> None:
    chat = bot.chat()
    await reach_start_question(chat)  # Mon 2 March 2026
    await chat.press("Another date")
    await chat.send("1 Mar")  # yesterday: it used to become 1 March 2027
    assert chat.texts()[-2].startswith("Sorry, that date has passed.")
    assert "today or later" in chat.texts()[-2]
    assert chat.last_reply().text == texts.ASK_START_DATE
    await chat.send("10 Mar")
    assert "Your next 5 doses:\n• Tue 10 Mar 08:00" in chat.last_reply().text


# --- 2: a change of time zone keeps the next dose on its local day ---------------------------------


async def test_a_time_zone_change_keeps_the_next_dose_on_its_local_day_and_cancels_nothing(
    bot: Harness,
) -> None:
    chat = bot.chat()
    await set_up(chat, time="20:30", zone="America/New_York", start="Today")  # Mon 2 March 20:30 NY
    await bot.advance_to(ny(2, 20, 35))
    await chat.send("done left thigh")  # given Mon 20:35 New York = Tue 01:35 UTC
    await chat.send("/timezone")
    await chat.send("Paris")
    assert "Next dose: today 20:30" in chat.last_reply().text  # Tue 3 March in Paris, not Wednesday
    await chat.send("/timezone")
    await chat.send("New York")
    assert "Next dose: tomorrow 20:30" in chat.last_reply().text  # Tue 3 March in New York
    await bot.advance_to(ny(3, 20, 31))
    assert [m.at for m in chat.messages() if DUE in m.text][-1] == ny(3, 20, 30)
    async with bot.services.repo.sessions() as s:
        statuses = list(await s.scalars(select(Dose.status).order_by(Dose.id)))
    assert "cancelled" not in statuses  # a change of zone is not a cancelled dose
    assert not [row for row in await export_csv(chat) if "cancelled" in row]


async def test_a_dose_reminded_before_a_time_zone_change_stays_open_and_the_next_follows_the_new_zone(
    bot: Harness,
) -> None:
    chat = bot.chat()
    await set_up(chat, time="20:30", zone="America/New_York", start="Today")  # Mon 2 March 20:30 NY
    await bot.advance_to(ny(2, 20, 31))  # reminded; the patient flies to Paris before answering
    await chat.send("/timezone")
    await chat.send("Paris")  # Tue 02:31 in Paris
    moved = chat.last_reply().text
    assert "Your dose due today 20:30 (New York time) is still open" in moved
    assert "Next dose: today 02:30" not in moved  # never a reminder time the patient did not choose
    await chat.send("done left thigh")  # given Tue 02:31 Paris: a daily plan counts from the day given
    assert "Next dose: tomorrow 20:30" in chat.last_reply().text
    await bot.advance_to(datetime(2026, 3, 4, 19, 31, tzinfo=UTC))  # Wed 20:31 Paris
    assert [m.at for m in chat.messages() if DUE in m.text][-1] == datetime(2026, 3, 4, 19, 30, tzinfo=UTC)


# --- 3: supplies last until the earlier of running out and the expiry date ------------------------


def berlin(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """Berlin wall time in 2026 (UTC+1 until 29 March, then UTC+2)."""
    summer = (month, day) >= (3, 29)
    return datetime(2026, month, day, hour - (2 if summer else 1), minute, tzinfo=UTC)


async def test_supplies_last_until_the_vials_expire_and_the_refill_warning_says_so(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat, schedule="Every day")  # 08:00 Berlin from Tue 3 March
    await chat.send("/supplies")
    await chat.press("Update my supplies")
    await chat.send("8")
    await chat.press("5")  # 40 doses: by count, until 11 April
    await chat.send("50")
    await chat.send("2026-03")  # but the vials expire on 31 March
    status = chat.last_reply().text
    assert (
        "Your vials expire on Tue 31 Mar 2026, so they last until your dose Tue 31 Mar 08:00; "
        "you'll need new ones by Wed 1 Apr 08:00." in status
    )
    await bot.advance_to(berlin(18, 8, 1))  # 14 days before the first dose after the expiry
    [refill] = [m for m in chat.messages() if m.text.startswith("🧴 Time to order more")]
    assert refill.at == berlin(18, 8, 0)
    assert "your vials expire on Tue 31 Mar 2026, before your dose Wed 1 Apr 08:00" in refill.text


# --- 4: a phase counts injections given, and every message says so --------------------------------


async def test_a_skip_is_said_in_the_dose_message_in_plan_and_in_the_calendar(bot: Harness) -> None:
    from icalendar import Calendar

    chat = bot.chat()
    await set_up(chat)  # daily ×7, every other day ×7, monthly; 08:00 Berlin from Tue 3 March
    await bot.advance_to(berlin(3, 8, 1))
    await chat.send("done left thigh")
    await bot.advance_to(berlin(4, 8, 1))
    await chat.send("skip travelling")
    assert "So far 1 given, 1 skipped – only given doses count, so 6 to go." in chat.last_reply().text
    await bot.advance_to(berlin(5, 8, 1))
    message = [m for m in chat.messages() if DUE in m.text][-1].text
    assert "Dose 2 of 7 in phase 1 of 3 (every day). So far 1 given, 1 skipped" in message
    await chat.send("/plan")
    assert "Now: phase 1 of 3 (every day) – 1 of 7 given, 1 skipped: 6 to go." in chat.last_reply().text
    await chat.send("/calendar")
    ics = next(m.file_bytes for m in reversed(chat.messages()) if m.file_name == "b12-doses.ics")
    events = sorted(Calendar.from_ical(ics or b"").walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    seventh = next(e for e in events if "Dose 7 of 7 in phase 1" in str(e.get("description")))
    assert seventh.decoded("dtstart").date().day == 10  # Tue 10 March: a day later than first said


async def test_a_phase_in_weeks_says_its_last_day(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat, schedule="3 times a week", start="Wed 4 Mar")  # Mon/Wed/Fri for 2 weeks
    await bot.advance_to(berlin(4, 8, 1))
    message = [m for m in chat.messages() if DUE in m.text][-1].text
    assert "Dose 1 in phase 1 of 2 (every Mon, Wed, Fri, until Tue 17 Mar)." in message


# --- 5-6: days since a site was used, and a rest period that fits the cadence ----------------------


async def test_days_since_a_site_was_used_are_calendar_days_in_the_patients_zone(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat, time="20:30", zone="America/New_York", start="Today")
    await bot.advance_to(ny(2, 20, 35))
    await chat.send("done left thigh")  # Monday 20:35
    await bot.advance_to(ny(3, 8, 0))  # Tuesday 08:00: under 12 hours later, but yesterday
    await chat.send("/sites")
    assert "• Thigh left – used yesterday" in chat.last_reply().text


async def test_following_the_suggestion_never_earns_a_rotation_tip(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat, schedule="Every day")  # 4 sites, a dose every day: 4 days' rest at most
    for day in range(3, 11):
        await bot.advance_to(berlin(day, 8, 1))
        message = [m for m in chat.messages() if DUE in m.text][-1]
        await chat.press("Done", message=message)
        await chat.press("⭐")  # the suggested site
        assert "Rotation tip" not in chat.last_reply().text, (day, chat.last_reply().text)
    assert "(used 4 days ago)" in message.text  # the best four sites can do
    await bot.advance_to(berlin(11, 8, 1))
    await chat.send("done abdomen right")  # used 2 days ago, while another rested longer
    assert "that site was used less than 4 days ago" in chat.last_reply().text
    await chat.send("/sites")  # the list and the picture go by the same 4 days
    body_map, listing = chat.messages()[-2:]
    assert "Rest period: 7 days between uses of a site. With 4 sites and this part of your plan, each " \
        "site can rest 4 days" in listing.text  # fmt: skip
    assert body_map.file_name == "b12-sites.png"


# --- 7: a plan on fixed weekdays starts on one of them ----------------------------------------------


async def test_a_mon_wed_fri_plan_set_up_on_a_saturday_offers_only_its_days(bot: Harness) -> None:
    await bot.advance_to(berlin(7, 9, 0))  # Saturday 7 March
    chat = bot.chat()
    await reach_start_question(chat, "3 times a week")
    question = chat.last_reply()
    assert question.text == "When is your next injection due? Your plan's days are Mon, Wed, Fri."
    assert question.buttons == ["Mon 9 Mar 08:00", "Wed 11 Mar 08:00", "Another date…"]  # no "Today"
    await chat.press("Another date")
    await chat.send("tomorrow")  # a Sunday
    assert (
        chat.texts()[-2]
        == "Sun 8 Mar isn't one of your plan's days (Mon, Wed, Fri). Please pick one of those days."
    )
    await chat.send("9 Mar")
    assert "Your next 5 doses:\n• Mon 9 Mar 08:00" in chat.last_reply().text


# --- 8-9: typed answers ------------------------------------------------------------------------------


async def test_a_lab_value_may_start_with_its_name_and_out_of_range_says_only_the_range(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await chat.send("/labs")
    await chat.press("Add a result")
    await chat.send("B12: 180 pg/mL")  # 12.8: the marker's name first used to be refused
    assert "When was the blood taken" in chat.last_reply().text
    await chat.send("/labs")
    await chat.press("Add a result")
    await chat.send("99999 pg/mL")
    refusal = chat.last_reply().text
    assert refusal.startswith(
        "That Vitamin B12 value is outside what a lab reports (50 pg/mL to 20000 pg/mL)."
    )
    assert "couldn't read" not in refusal  # it was read


async def test_a_clinician_contact_that_is_too_long_says_so_with_an_example(bot: Harness) -> None:
    chat = bot.chat()
    await set_up_to_the_contact(chat, "Every day")
    await chat.send("call the surgery " * 8)  # 136 characters
    refusal = chat.texts()[-2]
    assert refusal.startswith("That's longer than I can keep (100 characters at most).")
    assert "020 7946 0000 or nurse@clinic.example" in refusal
    assert chat.last_reply().text == texts.ASK_CLINICIAN_CONTACT


# --- 12: the CSV export in local time, lab values as shown -----------------------------------------


async def test_the_csv_export_has_local_times_with_their_offset_and_lab_values_as_shown(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat, time="20:30", zone="America/New_York", start="Today")
    await bot.advance_to(ny(2, 20, 35))
    await chat.send("done left thigh")
    await chat.send("/labs")
    await chat.press("Add a result")
    await chat.send("260 pmol/L")
    await chat.press("Today")
    await chat.press("Save")
    rows = await export_csv(chat)
    [dose] = [r for r in rows if r[0] == "dose" and r[2] == "done"]
    assert dose[1] == "2026-03-02T20:35-05:00"  # not the next day in UTC
    [lab] = [r for r in rows if r[0] == "lab"]
    assert lab[2] == "352 pg/mL"  # not 352.304
