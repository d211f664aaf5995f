"""Photos of a reaction: which of Telegram's sizes to keep, and the read model. A photo is never
triaged (there is no image analysis): it is kept with a report, for the patient and the clinician."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

MAX_PHOTOS_PER_REPORT = 10  # a /reports album holds ten


@dataclass(frozen=True)
class PhotoSizeIn:
    file_id: str
    file_unique_id: str
    file_size: int | None  # Telegram may leave it out
    pixels: int = 0


@dataclass(frozen=True)
class PhotoIn:
    """A photo (or an image sent as a file) as it arrived: Telegram's ids, no bytes yet."""

    file_id: str
    file_unique_id: str
    file_size: int | None
    caption: str | None = None

    def as_data(self) -> dict[str, object]:
        """For a conversation's draft (JSON) while the patient says what it shows."""
        return {"file_id": self.file_id, "unique": self.file_unique_id, "size": self.file_size}

    @classmethod
    def of_data(cls, data: dict[str, object]) -> PhotoIn:
        size = data.get("size")
        return cls(str(data["file_id"]), str(data.get("unique", "")), size if isinstance(size, int) else None)


@dataclass(frozen=True)
class PhotoView:
    id: int
    report_id: int
    created_at: datetime
    file_id: str
    size: int | None
    kept: bool  # the bytes are in the database (for the clinician's summary)


def best_size(sizes: Sequence[PhotoSizeIn], max_bytes: int) -> PhotoSizeIn | None:
    """The largest of Telegram's sizes of one photo that fits under `max_bytes` (an unknown size is
    taken to fit and checked again when downloaded); None when even the smallest is too big."""
    fitting = [s for s in sizes if s.file_size is None or s.file_size <= max_bytes]
    if not fitting:
        return None
    return max(fitting, key=lambda s: (s.pixels, s.file_size or 0))


def too_big(size: int | None, max_bytes: int) -> bool:
    return size is not None and size > max_bytes
