"""/chart (a PNG of doses, symptoms and labs), the /sites body map, and the clinician PDF summary.

The data is gathered here; `bot.charts` draws it in a worker thread (matplotlib is CPU-bound)."""

from __future__ import annotations

import asyncio
from collections import Counter
from itertools import pairwise
from zoneinfo import ZoneInfo

from telegram import InputFile, Update

from bot import texts
from bot.charts import ChartData, DosePoint, SiteState, Summary, body_map, progress_chart, summary_pdf
from bot.context import BotContext
from bot.domain import symptoms as sx
from bot.domain.records import Snapshot
from bot.domain.status import DoseStatus
from bot.handlers.common import patient_with_plan, reply
from bot.handlers.dose import rotation_rest
from bot.handlers.labs import trend


async def chart_data(snap: Snapshot, context: BotContext) -> ChartData:
    assert snap.plan is not None
    dosing, monitor = context.services.dosing, context.services.monitor
    doses = [
        DosePoint(
            d.given_at if d.status == DoseStatus.DONE and d.given_at else d.due_at, d.status, d.phase_index
        )
        for d in await dosing.closed_doses(snap)
    ]
    checkins = [(c.created_at, c.levels) for c in await monitor.check_ins(snap)]
    labs = [(lab.taken_on, lab.values) for lab in await monitor.labs(snap)]
    phases = [phase.describe() for phase in snap.plan.phases]
    return ChartData(ZoneInfo(snap.plan.timezone), phases, doses, checkins, labs)


async def chart(update: Update, context: BotContext) -> None:
    """/chart: the progress picture."""
    snap = await patient_with_plan(update, context)
    chat = update.effective_chat
    if snap is None or chat is None:
        return
    data = await chart_data(snap, context)
    if data.empty:
        await reply(update, texts.CHART_EMPTY)
        return
    png = await asyncio.to_thread(progress_chart, data)
    await context.bot.send_photo(
        chat.id, InputFile(png, filename="b12-chart.png"), caption=texts.CHART_CAPTION
    )


async def send_body_map(update: Update, context: BotContext, snap: Snapshot) -> None:
    """The patient's sites on a body outline, coloured by days since last use."""
    chat = update.effective_chat
    assert chat is not None and snap.plan is not None
    tz = ZoneInfo(snap.plan.timezone)
    today = context.services.clock().astimezone(tz).date()
    order = context.services.dosing.site_order(snap)
    states = [
        SiteState(
            site,
            (today - snap.last_used[site].astimezone(tz).date()).days if site in snap.last_used else None,
            reaction=site in snap.reaction_sites,
            next_up=bool(order) and site == order[0],
        )
        for site in snap.plan.sites
    ]
    png = await asyncio.to_thread(body_map, states, max(1, rotation_rest(snap).days))
    await context.bot.send_photo(
        chat.id, InputFile(png, filename="b12-sites.png"), caption=texts.BODY_MAP_CAPTION
    )


async def summary(snap: Snapshot, context: BotContext) -> bytes:
    """The one-page PDF for the clinician."""
    assert snap.plan is not None
    dosing, monitor, now = context.services.dosing, context.services.monitor, context.services.clock()
    plan, tz = snap.plan, ZoneInfo(snap.plan.timezone)
    doses = await dosing.closed_doses(snap)
    adherence = []
    for index, phase in enumerate(plan.phases):
        counts = Counter(str(d.status) for d in doses if d.phase_index == index)
        total = sum(counts.values())
        if total:
            adherence.append(texts.summary_adherence(index, phase.describe(), counts, total))
    sites = Counter(d.site for d in doses if d.status == DoseStatus.DONE and d.site)
    given_sites = [d.site for d in doses if d.status == DoseStatus.DONE and d.site]
    repeats = sum(1 for a, b in pairwise(given_sites) if a == b)
    rotation = [texts.summary_site(site, sites.get(site, 0)) for site in plan.sites]
    rotation += [texts.summary_site(site, n) for site, n in sites.items() if site not in plan.sites]
    rotation.append(texts.summary_repeats(repeats))
    reactions = [
        texts.summary_reaction(
            r.created_at.astimezone(tz).date(), r.signs, r.site, r.level, r.status, r.outcome
        )
        for r in reversed(await context.services.safety.reports(snap.patient_id, 50))
    ]
    checkins = await monitor.check_ins(snap)
    symptom_lines = []
    if checkins:
        first, last = checkins[0], checkins[-1]
        for key, label in sx.SYMPTOMS:
            symptom_lines.append(texts.summary_symptom(
                label, sx.LEVELS[first.levels.get(key, 0)], sx.LEVELS[last.levels.get(key, 0)],
                first.created_at.astimezone(tz).date(), last.created_at.astimezone(tz).date(), len(checkins),
            ))  # fmt: skip
    labs = await monitor.labs(snap)
    lab_lines = trend(labs, last=None).splitlines() if labs else []
    if snap.monitoring.lab_recheck_on:
        lab_lines.append(texts.LAB_RECHECK.format(day=texts.day(snap.monitoring.lab_recheck_on)))
    content = Summary(
        title=texts.SUMMARY_TITLE.format(clinician=plan.clinician_name),
        generated=texts.SUMMARY_GENERATED.format(at=f"{now.astimezone(tz):%d %b %Y %H:%M} ({plan.timezone})"),
        plan_lines=texts.plan_summary(plan).splitlines(),
        adherence=adherence,
        rotation=rotation,
        reactions=reactions,
        symptoms=symptom_lines,
        labs=lab_lines,
        chart=await chart_data(snap, context),
    )
    return await asyncio.to_thread(summary_pdf, content)
