"""Supplies: how long the patient's stock lasts, from the plan's upcoming doses.

The stock lasts until the earlier of two things: the last dose it counts for, and the vials'
expiry date (a dose after it would use an expired vial).

A refill warning counts in days, not doses: a patient on monthly doses with 3 left is fine for
months, a patient on daily doses with 3 left must order today. The warning comes REFILL_LEAD
before the first dose the stock does not cover, at the patient's dose time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

REFILL_LEAD = timedelta(days=14)
EXPIRY_LEAD = timedelta(days=14)


@dataclass(frozen=True)
class Stock:
    doses: int | None  # doses left in vials/ampoules (None: not tracked)
    syringes: int | None  # syringes/needles left (None: not tracked)
    expires_on: date | None = None

    @property
    def tracked(self) -> bool:
        return self.doses is not None or self.syringes is not None

    @property
    def covered(self) -> int | None:
        """Injections the stock covers: the scarcer of vials and syringes."""
        counts = [c for c in (self.doses, self.syringes) if c is not None]
        return min(counts) if counts else None

    def after_injection(self) -> Stock:
        """One injection used: one dose and one syringe, never below zero."""
        return Stock(
            None if self.doses is None else max(self.doses - 1, 0),
            None if self.syringes is None else max(self.syringes - 1, 0),
            self.expires_on,
        )


@dataclass(frozen=True)
class RunOut:
    first_uncovered: datetime  # due time of the first dose the stock does not cover
    warn_at: datetime  # REFILL_LEAD before it (or now, when that has passed)
    last_covered: datetime | None = None  # the last dose it does cover
    expired: bool = False  # it stops at the expiry date, not at the count


def _lead(due: datetime, tz: ZoneInfo | None) -> datetime:
    """REFILL_LEAD before `due`, at the same local time (across a change of clocks)."""
    if tz is None:
        return due - REFILL_LEAD
    local = due.astimezone(tz)
    return (local.replace(tzinfo=None) - REFILL_LEAD).replace(tzinfo=tz).astimezone(due.tzinfo)


def run_out(
    stock: Stock,
    upcoming: Sequence[datetime],
    now: datetime,
    expires_at: datetime | None = None,
    tz: ZoneInfo | None = None,
) -> RunOut | None:
    """When the stock stops covering doses, given the next doses' due times (in order, enough of
    them to see past the stock) and the instant the vials expire (the end of their expiry day);
    None when nothing is tracked or it covers every dose given."""
    covered = stock.covered
    if covered is None and expires_at is None:
        return None
    limit = len(upcoming) if covered is None else covered
    for i, due in enumerate(upcoming):
        out_of_stock = i >= limit
        if out_of_stock or (expires_at is not None and due >= expires_at):
            last = upcoming[i - 1] if i else None
            return RunOut(due, max(_lead(due, tz), now), last, expired=not out_of_stock)
    return None
