"""The next months of doses as an iCalendar (.ics) file, with the suggested site in each event."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot import texts
from bot.domain.records import Snapshot
from bot.domain.rotation import suggest_site
from bot.domain.schedule import NextDose, preview

MONTHS_AHEAD = 6
MAX_EVENTS = 400
EVENT_MINUTES = 15


def upcoming_doses(snap: Snapshot, now: datetime, start: datetime) -> list[tuple[NextDose, str | None]]:
    """(dose, suggested site) for the next six months, if each dose is given on time at the
    suggested site: counted as the dose messages count (only given doses fill a phase)."""
    assert snap.plan is not None
    until = now + timedelta(days=round(30.44 * MONTHS_AHEAD))
    doses = preview(snap.plan, snap.progress, start, count=MAX_EVENTS, until=until)
    last_used = dict(snap.last_used)
    planned = []
    for dose in doses:
        site = suggest_site(snap.plan.sites, last_used, snap.reaction_sites)
        if site is not None:
            last_used[site] = dose.due_at
        planned.append((dose, site))
    return planned


def build_ics(snap: Snapshot, now: datetime, start: datetime) -> tuple[bytes, int]:
    """The .ics file and how many doses it holds. Times carry the patient's zone (with its
    VTIMEZONE), so a calendar app shows them at the right local time across DST changes."""
    plan = snap.plan
    assert plan is not None
    tz = ZoneInfo(plan.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//b12bot//dose calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "B12 injections")
    planned = upcoming_doses(snap, now, start)
    for dose, site in planned:
        due = dose.due_at
        event = Event()
        event.add("uid", f"b12bot-{snap.patient_id}-{int(due.timestamp())}@b12bot")
        event.add("dtstamp", now)
        local = due.astimezone(tz)
        event.add("dtstart", local)
        event.add("dtend", local + timedelta(minutes=EVENT_MINUTES))
        event.add("summary", f"B12 injection{f' – {site}' if site else ''}")
        event.add(
            "description",
            f"{plan.product_label} {plan.strength}: {plan.dose}, as your clinician's plan says. "
            + texts.phase_line(plan, dose.phase_index, dose.number_in_phase)
            + (f" Suggested site: {site}." if site else ""),
        )
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical(), len(planned)
