"""Monitoring through the real Application: symptom check-ins, labs, supplies, pictures, summary.

The clock starts Mon 2 Mar 2026 07:00 in Berlin; set_up plans daily ×7 from Tue 3 Mar 08:00.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from bot import texts
from storage.models import ClinicianNudge, LabResult, SymptomCheckIn
from tests.flows import set_up
from tests.harness import Chat, Harness


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """Berlin wall time in March 2026 before the DST switch (UTC+1), as UTC."""
    return datetime(2026, month, day, hour - 1, minute, tzinfo=UTC)


async def answer(chat: Chat, *levels: str) -> None:
    for level in levels:
        await chat.press(level)


async def count(bot: Harness, model: type) -> int:
    async with bot.services.repo.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_baseline_at_setup_weekly_check_in_and_a_nerve_nudge(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    assert chat.last_reply().text.startswith(texts.BASELINE_INTRO)
    await answer(chat, "Moderate", "Moderate", "Mild", "None")  # tiredness, tingling, balance, memory
    result = chat.messages()[-2]  # the question became the result; then the check-in day question
    assert result.text.startswith("Thanks – that's your starting point.")
    assert "• Numbness or tingling: moderate" in result.text and result.buttons == ["📝 Add a note"]
    assert chat.last_reply().text == texts.ASK_CHECK_IN_DAY
    await chat.press("Sun")
    await chat.press("18:00")
    assert chat.last_reply().text == texts.CHECK_IN_SET.format(
        day="Sunday", time="18:00", next="Sun 8 Mar 18:00"
    )

    # Sunday 18:00 local: the weekly check-in arrives, one tap per question
    await bot.advance_to(at(8, 17, 59))
    assert not any(m.text.startswith(texts.CHECK_IN_INTRO) for m in chat.messages())
    await bot.advance_to(at(8, 18, 0))
    prompt = chat.last_reply()
    assert prompt.text.startswith(texts.CHECK_IN_INTRO) and "Skip this week" in prompt.buttons
    await answer(chat, "Mild", "Mild", "Moderate")
    last = chat.messages()[-1]
    data = last.callback_for("Moderate")
    assert data is not None
    await chat.press("Moderate")  # memory moderate: the 4th answer saves
    await chat.press_data(last, data)  # a double tap on the last answer
    assert await count(bot, SymptomCheckIn) == 2  # baseline + this week, once
    assert chat.last_reply().text == texts.CHECK_IN_ALREADY
    result = next(m for m in reversed(chat.messages()) if m.text.startswith("Thanks – recorded."))
    assert "• Tiredness: moderate → mild since you started" in result.text
    assert "• Numbness or tingling: moderate → mild since you started" in result.text
    assert "• Balance: mild → moderate since you started" in result.text
    nudge = next(m for m in chat.messages() if "new or worse" in m.text)
    assert "Your balance is new or worse than last time." in nudge.text
    assert "Dr Rivera (+44 20 7946 0000)" in nudge.text
    assert nudge.buttons == ["✅ I contacted them", "⏰ Remind me later"]
    async with bot.services.repo.sessions() as s:
        assert "symptoms" in set(await s.scalars(select(ClinicianNudge.reason)))

    # a note on the check-in
    await chat.press("📝 Add a note", result)
    await chat.send("worse after a long walk")
    assert chat.last_reply().text == texts.NOTE_SAVED
    async with bot.services.repo.sessions() as s:
        notes = list(await s.scalars(select(SymptomCheckIn.note).order_by(SymptomCheckIn.id)))
    assert notes == [None, "worse after a long walk"]

    # the next week's check-in comes a week later; skipping is one tap and records nothing
    await bot.advance_to(at(15, 18, 0))
    prompts = [m for m in chat.messages() if m.text.startswith(texts.CHECK_IN_INTRO)]
    assert len(prompts) == 1 and prompts[0].at == at(15, 18, 0)  # last week's became its result
    await chat.press("Skip this week", prompts[-1])
    assert chat.last_reply().text == texts.CHECK_IN_SKIPPED
    assert await count(bot, SymptomCheckIn) == 2


async def test_a_typed_check_in_answer_counts_when_it_is_plainly_a_level(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    first = chat.last_reply()
    await chat.press("Moderate")  # tiredness, by tap
    await chat.send("abit")  # numbness or tingling, typed
    assert chat.last_reply().text.startswith("Got it – numbness or tingling: mild.")
    assert "3/4: Any trouble with balance or walking?" in chat.last_reply().text
    await chat.send("abit foggy")  # balance: an answer, not a report of memory trouble
    assert chat.last_reply().text.startswith("Got it – balance: mild.")
    assert not [m for m in chat.messages() if m.text.startswith("⚠️")]
    await chat.send("done left thigh")  # not a level: read as usual, the question still waits
    assert "isn't due until" in chat.last_reply().text
    assert await count(bot, SymptomCheckIn) == 0
    await chat.press("None")  # memory or focus, by tap on the last question
    [result] = [m for m in chat.messages() if m.text.startswith("Thanks – that's your starting point.")]
    assert "• Numbness or tingling: mild" in result.text and "• Balance: mild" in result.text
    assert chat.last_reply().text == texts.ASK_CHECK_IN_DAY
    await chat.press("Mild", first)  # the first question, answered long since: nothing saved
    assert chat.last_reply().text == texts.CHECK_IN_ALREADY
    assert await count(bot, SymptomCheckIn) == 1


async def test_the_whole_check_in_can_be_typed_and_an_emergency_is_never_an_answer(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    n = len(chat.messages())
    await chat.send("my lips are swelling up")  # at the first question
    assert chat.messages()[n].text.startswith("🚨")  # the emergency instruction, not a level
    await chat.send("/symptoms")
    for typed in ("v bad", "nope", "modrate", "mild"):
        await chat.send(typed)
    [result] = [m for m in chat.messages() if m.text.startswith("Got it – memory or focus: mild.")]
    assert "Thanks – that's your starting point." in result.text
    async with bot.services.repo.sessions() as s:
        [row] = list(await s.scalars(select(SymptomCheckIn)))
    assert row.levels == {"fatigue": 3, "numbness": 0, "balance": 2, "memory": 1}


async def test_no_improvement_after_the_clinicians_weeks_suggests_a_review_once(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await answer(chat, "Moderate", "Mild", "Mild", "Mild")
    await chat.press("No weekly check-in")
    assert chat.last_reply().text == texts.CHECK_IN_OFF
    await chat.send("/settings")
    assert "Weekly symptom check-in: off." in chat.last_reply().text
    await chat.press("Review: 4 wk")
    assert "haven't improved after: 4 weeks" in chat.last_reply().text

    await bot.advance(weeks=3)
    await chat.send("/symptoms")
    await answer(chat, "Moderate", "Mild", "Mild", "Mild")
    assert not any("review your plan" in m.text for m in chat.messages())  # 3 weeks: too early
    await bot.advance(weeks=1, hours=1)
    await chat.send("/symptoms")
    await answer(chat, "Moderate", "Mild", "Mild", "Mild")
    review = chat.last_reply().text
    assert review == texts.review_suggestion(
        bot_plan := (await bot.services.repo.patients.snapshot(1001)).plan, 4
    )  # type: ignore[union-attr]
    assert "Dr Rivera" in review and bot_plan is not None
    await chat.send("/symptoms")
    await answer(chat, "Moderate", "Mild", "Mild", "Mild")
    assert sum("review your plan" in m.text for m in chat.messages()) == 1  # said once


async def test_lab_results_with_units_dates_and_a_trend(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await chat.send("/labs")
    assert texts.LABS_NONE in chat.last_reply().text and texts.LAB_RECHECK_NONE in chat.last_reply().text
    await chat.press("Add a result")
    await chat.send("90000 pg/mL")  # implausible: refused, nothing kept
    assert "outside what a lab reports (50 pg/mL to 20000 pg/mL)" in chat.last_reply().text
    await chat.send("180")  # no unit: asked, not guessed
    assert chat.last_reply().text == texts.ASK_LAB_UNIT.format(value="180")
    await chat.press("pmol/L")
    for wrong in ("tomorrow", "2025-01-01"):  # in the future; more than a year ago
        await chat.send(wrong)
        assert chat.last_reply().text == texts.BAD_LAB_DATE
    await chat.press("Yesterday")
    await chat.press("Haemoglobin")
    await chat.send("11.9 g/dL")
    await chat.press("Methylmalonic acid")
    await chat.send("450 nmol/L")
    await chat.press("Save")
    first = chat.last_reply().text
    assert first.startswith(texts.LAB_SAVED.format(day="Sun 1 Mar 2026"))
    assert "Vitamin B12: 244 pg/mL (1 Mar 2026)" in first  # 180 pmol/L, stored as pg/mL
    assert "Methylmalonic acid (MMA): 0.45 µmol/L" in first and "Haemoglobin: 119 g/L" in first

    await bot.advance(weeks=8)
    await chat.send("/labs")
    await chat.press("Add a result")
    await chat.send("610 pg/mL")
    await chat.press("Today")
    await chat.press("Save")
    assert "Vitamin B12: 244 pg/mL (1 Mar 2026) → 610 pg/mL (27 Apr 2026)" in chat.last_reply().text
    assert await count(bot, LabResult) == 2


async def test_lab_recheck_is_reminded_a_week_before_and_on_the_day(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await chat.send("/labs")
    await chat.press("Set the re-check date")
    await chat.send("yesterday")
    assert chat.last_reply().text == texts.BAD_RECHECK
    await chat.send("in 3 weeks")  # Mon 23 Mar
    assert chat.last_reply().text == texts.LAB_RECHECK_SET.format(day="Mon 23 Mar 2026")
    await chat.send("/plan")
    assert "Next blood test re-check: Mon 23 Mar 2026." in chat.last_reply().text
    await bot.advance_to(at(16, 8, 5))
    soon = [m for m in chat.messages() if m.text == texts.LAB_SOON_TEXT.format(day="Mon 23 Mar 2026")]
    assert len(soon) == 1 and soon[0].at == at(16, 8, 0)
    await bot.advance_to(at(23, 9))
    on_day = [m for m in chat.messages() if m.text == texts.LAB_DAY_TEXT.format(day="Mon 23 Mar 2026")]
    assert len(on_day) == 1 and on_day[0].at == at(23, 8, 0)


async def test_supplies_count_down_with_each_dose_and_warn_before_running_out(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)  # daily ×7 (3-9 Mar), every other day ×7 (11-23 Mar), then monthly
    await chat.send("/supplies")
    assert chat.last_reply().text == texts.SUPPLIES_NONE
    await chat.press("Update my supplies")
    await chat.send("two")
    assert "whole number" in chat.last_reply().text
    await chat.send("3")
    await chat.press("5")  # 5 doses per vial: 15 doses
    await chat.send("16")  # syringes
    await chat.send("2026-02")  # expired: refused
    assert chat.last_reply().text == texts.BAD_EXPIRY
    await chat.send("2026-05")  # 31 May
    status = chat.last_reply().text
    assert "B12 for 15 more injections, 16 syringes." in status and "Vials expire: Sun 31 May 2026." in status
    # 15 doses: 3-9 Mar, 11-23 Mar (7), then 23 Apr; the 16th (23 May) needs new supplies
    assert "That lasts until your dose Thu 23 Apr 08:00; you'll need more by Sat 23 May 08:00." in status

    await bot.advance_to(at(3, 8, 1))
    await chat.send("done left abdomen")
    assert "Supplies: 14 injections left." in chat.last_reply().text
    await chat.send("done left abdomen")  # a second "done" records nothing and uses nothing
    await chat.send("/supplies")
    assert "B12 for 14 more injections, 15 syringes." in chat.last_reply().text

    # the expiry warning 14 days before 31 May; the refill warning 14 days before 23 May
    for day in range(4, 10):
        await bot.advance_to(at(day, 8, 1))
        await chat.send("done right thigh" if day % 2 else "done left thigh")
    await bot.advance_to(at(17, 8, 0, month=5))
    refill = [m for m in chat.messages() if m.text.startswith("🧴 Time to order more")]
    expiry = [m for m in chat.messages() if m.text.startswith("🧴 Your vials expire")]
    # by 17 May the missed doses have moved the plan on: the vials' expiry (31 May) comes first now
    assert len(refill) == 1 and "your vials expire on Sun 31 May 2026, before your dose" in refill[0].text
    assert len(expiry) == 1 and "Sun 31 May 2026" in expiry[0].text


async def test_chart_and_body_map_are_pictures_worth_looking_at(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await answer(chat, "Severe", "Moderate", "Mild", "Mild")
    await chat.send("/chart")
    chart = chat.last_reply()
    assert chart.file_name == "b12-chart.png" and chart.text == texts.CHART_CAPTION
    for day, site in ((3, "left abdomen"), (4, "right abdomen"), (6, "left thigh"), (7, "left thigh")):
        await bot.advance_to(at(day, 8, 1))
        await chat.send(f"done {site}")
    await chat.send("/report")
    await chat.press("Redness")
    await chat.press("Done")
    await chat.press("Thigh left")
    await chat.press("Mild")
    await chat.press("Today")
    await chat.press("Skip")
    await chat.send("/sites")
    body_map, listing = chat.messages()[-2:]
    assert body_map.file_name == "b12-sites.png" and body_map.text == texts.BODY_MAP_CAPTION
    assert listing.text.startswith("Your sites")
    await chat.send("/chart")
    chart = chat.last_reply()
    for png in (chart.file_bytes, body_map.file_bytes):
        assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
        assert 20_000 < len(png) < 1_000_000
        image = Image.open(io.BytesIO(png))
        assert image.width >= 600 and image.height >= 600
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 50  # drawn, not blank


async def test_export_has_every_record_and_a_one_page_clinician_summary(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await answer(chat, "Moderate", "Moderate", "Mild", "None")
    await chat.press("No weekly check-in")
    for day in (3, 4):
        await bot.advance_to(at(day, 8, 1))
        await chat.send("done left thigh" if day == 3 else "skip")
        if day == 4:
            await chat.press("Feeling unwell")
    await chat.send("/labs")
    await chat.press("Add a result")
    await chat.send("300 pg/mL")
    await chat.press("Today")
    await chat.press("Save")
    await chat.send("/export")
    files = {m.file_name: m.file_bytes for m in chat.messages() if m.file_name}
    rows = (files["b12bot-records.csv"] or b"").decode().splitlines()
    kinds = [tuple(row.split(",")[:3:2]) for row in rows[1:]]
    assert ("dose", "done") in kinds and ("dose", "skipped") in kinds and ("dose", "scheduled") in kinds
    assert [k for k, _ in kinds].count("symptom_checkin") == 1 and [k for k, _ in kinds].count("lab") == 1
    assert any("Numbness or tingling: moderate" in row for row in rows)
    assert any(row.startswith("lab,2026-03-04,300 pg/mL") for row in rows)
    pdf = files["b12bot-summary.pdf"] or b""
    assert pdf.startswith(b"%PDF") and 20_000 < len(pdf) < 2_000_000
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())  # long lines wrap
    for expected in ("summary for Dr Rivera", "Plan as written", "Cyanocobalamin", "Adherence per phase",
                     "1 of 2 given (50%), 1 skipped, 0 missed", "Thigh left: 1 injection", "Symptoms",
                     "Vitamin B12: 300 pg/mL", "Injections", "Blood tests"):  # fmt: skip
        assert expected in text, expected


async def test_monitoring_reminders_follow_a_new_time_zone_and_stop_while_blocked(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await answer(chat, "Mild", "None", "None", "None")
    await chat.press("Sun")
    await chat.press("18:00")
    await chat.send("/timezone")
    await chat.send("New York")  # 18:00 in New York is 23:00 UTC
    await chat.membership("member", "kicked")
    await bot.advance_to(datetime(2026, 3, 9, tzinfo=UTC))
    assert not any(m.text.startswith(texts.CHECK_IN_INTRO) for m in chat.messages())  # blocked: nothing
    await chat.membership("kicked", "member")
    await bot.advance_to(datetime(2026, 3, 16, tzinfo=UTC))
    prompts = [m for m in chat.messages() if m.text.startswith(texts.CHECK_IN_INTRO)]
    assert [m.at for m in prompts] == [datetime(2026, 3, 15, 22, tzinfo=UTC)]  # 18:00 EDT (DST from 8 Mar)
