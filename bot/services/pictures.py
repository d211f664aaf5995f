"""The pictures: the /chart progress PNG, the /sites body map and the clinician's one-page PDF.
The data is gathered here; `bot.charts` draws it in a worker thread (matplotlib is CPU-bound),
so no other patient waits behind a drawing."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from bot import texts
from bot.charts import ChartData, DosePoint, SiteState, Summary, body_map, progress_chart, summary_pdf
from bot.domain import symptoms as sx
from bot.domain.records import Snapshot
from bot.domain.status import DoseStatus
from bot.services.dosing import Dosing
from bot.services.monitoring import Monitor
from bot.services.photos import Photos
from bot.services.safety import Safety

RECENT = timedelta(days=30)  # a closed reaction this recent still has its photo in the summary


class Pictures:
    def __init__(
        self,
        dosing: Dosing,
        monitor: Monitor,
        safety: Safety,
        clock: Callable[[], datetime],
        photos: Photos | None = None,
    ) -> None:
        self.dosing, self.monitor, self.safety, self.clock = dosing, monitor, safety, clock
        self.photos = photos

    async def chart_data(self, snap: Snapshot) -> ChartData:
        assert snap.plan is not None
        dosing, monitor = self.dosing, self.monitor
        doses = [
            DosePoint(
                d.given_at if d.status == DoseStatus.DONE and d.given_at else d.due_at,
                d.status,
                d.phase_index,
            )
            for d in await dosing.closed_doses(snap)
        ]
        checkins = [(c.created_at, c.levels) for c in await monitor.check_ins(snap)]
        labs = [(lab.taken_on, lab.values) for lab in await monitor.labs(snap)]
        phases = [phase.describe() for phase in snap.plan.phases]
        return ChartData(ZoneInfo(snap.plan.timezone), phases, doses, checkins, labs)

    async def chart(self, snap: Snapshot) -> bytes | None:
        """The /chart PNG; None while there is nothing to draw."""
        data = await self.chart_data(snap)
        if data.empty:
            return None
        return await asyncio.to_thread(progress_chart, data)

    async def body_map(self, snap: Snapshot) -> bytes:
        """The patient's sites on a body outline, coloured by days since last use."""
        assert snap.plan is not None
        tz = ZoneInfo(snap.plan.timezone)
        today = self.clock().astimezone(tz).date()
        suggested = self.dosing.suggested_site(snap)
        states = [
            SiteState(
                site,
                (today - snap.last_used[site].astimezone(tz).date()).days if site in snap.last_used else None,
                reaction=site in snap.reaction_sites,
                next_up=site == suggested,
            )
            for site in snap.plan.sites
        ]
        return await asyncio.to_thread(body_map, states, max(1, self.dosing.rotation_rest(snap).days))

    async def summary(self, snap: Snapshot) -> bytes:
        """The one-page PDF for the clinician."""
        assert snap.plan is not None
        dosing, monitor, now = self.dosing, self.monitor, self.clock()
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
        reports = list(reversed(await self.safety.reports(snap.patient_id, 50)))
        reactions = [
            texts.summary_reaction(
                r.created_at.astimezone(tz).date(), r.signs, r.site, r.level, r.status, r.outcome
            )
            for r in reports
        ]
        photos: list[tuple[str, bytes]] = []
        worth = [r for r in reversed(reports) if r.status == "open" or now - r.created_at <= RECENT]
        kept = await self.photos.latest_bytes([r.id for r in worth]) if self.photos else {}
        for r in worth:
            if r.id in kept:
                on = r.created_at.astimezone(tz).date()
                photos.append(
                    (texts.summary_reaction(on, r.signs, r.site, r.level, r.status, r.outcome), kept[r.id])
                )
        checkins = await monitor.check_ins(snap)
        symptom_lines = []
        if checkins:
            first, last = checkins[0], checkins[-1]
            since, until = first.created_at.astimezone(tz).date(), last.created_at.astimezone(tz).date()
            for key, label in sx.SYMPTOMS:
                was, now_ = sx.LEVELS[first.levels.get(key, 0)], sx.LEVELS[last.levels.get(key, 0)]
                symptom_lines.append(texts.summary_symptom(label, was, now_, since, until, len(checkins)))
        labs = await monitor.labs(snap)
        lab_lines = texts.labs_trend(labs, last=None).splitlines() if labs else []
        if snap.monitoring.lab_recheck_on:
            lab_lines.append(texts.LAB_RECHECK.format(day=texts.day(snap.monitoring.lab_recheck_on)))
        content = Summary(
            title=texts.SUMMARY_TITLE.format(clinician=plan.clinician_name),
            generated=texts.SUMMARY_GENERATED.format(
                at=f"{now.astimezone(tz):%d %b %Y %H:%M} ({plan.timezone})"
            ),
            plan_lines=texts.plan_summary(plan).splitlines(),
            adherence=adherence,
            rotation=rotation,
            reactions=reactions,
            symptoms=symptom_lines,
            labs=lab_lines,
            chart=await self.chart_data(snap),
            photos=photos,
        )
        return await asyncio.to_thread(summary_pdf, content)
