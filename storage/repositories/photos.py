"""Photos kept with side-effect reports."""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.domain.photos import MAX_PHOTOS_PER_REPORT, PhotoIn, PhotoView
from storage.models import ReportPhoto, SideEffectReport
from storage.repositories.base import Repository


def _view(row: ReportPhoto) -> PhotoView:
    return PhotoView(row.id, row.report_id, row.created_at, row.file_id, row.size, row.data is not None)


class PhotoRepository(Repository):
    async def add(
        self, patient_id: int, report_id: int, photo: PhotoIn, data: bytes | None, now: datetime
    ) -> bool:
        """Keep a photo with the patient's own report (the same photo twice, or more than ten on
        one report, is not kept again). False when the report is not theirs or is full."""
        async with self._sessions.begin() as s:
            owner = await s.scalar(
                select(SideEffectReport.patient_id).where(SideEffectReport.id == report_id)
            )
            if owner != patient_id:
                return False
            kept = list(
                await s.scalars(select(ReportPhoto.file_unique_id).where(ReportPhoto.report_id == report_id))
            )
            if photo.file_unique_id in kept or len(kept) >= MAX_PHOTOS_PER_REPORT:
                return photo.file_unique_id in kept
            s.add(
                ReportPhoto(
                    patient_id=patient_id,
                    report_id=report_id,
                    created_at=now,
                    file_id=photo.file_id,
                    file_unique_id=photo.file_unique_id,
                    size=len(data) if data is not None else photo.file_size,
                    data=data,
                )
            )
            return True

    async def of_reports(self, report_ids: Sequence[int]) -> dict[int, list[PhotoView]]:
        """Each report's photos, oldest first (without their bytes)."""
        found: dict[int, list[PhotoView]] = defaultdict(list)
        if not report_ids:
            return found
        async with self._sessions() as s:
            rows = await s.scalars(
                select(ReportPhoto)
                .where(ReportPhoto.report_id.in_(list(report_ids)))
                .order_by(ReportPhoto.created_at, ReportPhoto.id)
            )
            for row in rows:
                found[row.report_id].append(_view(row))
        return found

    async def latest_bytes(self, report_ids: Sequence[int]) -> dict[int, bytes]:
        """The newest downloaded photo of each report (for the clinician's summary)."""
        if not report_ids:
            return {}
        async with self._sessions() as s:
            newest = (
                select(ReportPhoto.report_id, func.max(ReportPhoto.id).label("id"))
                .where(ReportPhoto.report_id.in_(list(report_ids)), ReportPhoto.data.is_not(None))
                .group_by(ReportPhoto.report_id)
                .subquery()
            )
            rows = await s.execute(
                select(ReportPhoto.report_id, ReportPhoto.data).join(newest, ReportPhoto.id == newest.c.id)
            )
            return {report_id: data for report_id, data in rows if data is not None}

    async def export_rows(self, patient_id: int) -> list[dict[str, Any]]:
        """The patient's photos, the bytes as base64 (everything kept is in the export)."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(ReportPhoto).where(ReportPhoto.patient_id == patient_id).order_by(ReportPhoto.id)
            )
            return [
                {
                    "id": r.id,
                    "report_id": r.report_id,
                    "created_at": r.created_at,
                    "telegram_file_id": r.file_id,
                    "size": r.size,
                    "data_base64": base64.b64encode(r.data).decode() if r.data is not None else None,
                }
                for r in rows
            ]
