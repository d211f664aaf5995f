"""Photos of a reaction, kept with the patient's report: never triaged (no image analysis), shown
back in /reports and printed in the clinician's summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.domain.photos import PhotoIn, PhotoView, too_big
from storage.repositories import Repositories


class Photos:
    def __init__(self, repo: Repositories, clock: Callable[[], datetime], max_bytes: int) -> None:
        self.repo, self.clock, self.max_bytes = repo, clock, max_bytes

    def too_big(self, size: int | None) -> bool:
        return too_big(size, self.max_bytes)

    async def keep(self, patient_id: int, report_id: int, photo: PhotoIn, data: bytes | None) -> bool:
        """Keep the photo with the patient's own report; bytes over the cap are not kept (the
        file id still is, so /reports can show it). False when the report is not theirs."""
        if data is not None and too_big(len(data), self.max_bytes):
            data = None
        return await self.repo.photos.add(patient_id, report_id, photo, data, self.clock())

    async def of_reports(self, report_ids: Sequence[int]) -> dict[int, list[PhotoView]]:
        return await self.repo.photos.of_reports(report_ids)

    async def latest_bytes(self, report_ids: Sequence[int]) -> dict[int, bytes]:
        """The newest kept photo of each report, for the clinician's summary."""
        return await self.repo.photos.latest_bytes(report_ids)
