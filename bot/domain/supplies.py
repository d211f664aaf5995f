"""Supplies: how long the patient's stock lasts, from the plan's upcoming doses.

A refill warning counts in days, not doses: a patient on monthly doses with 3 left is fine for
months, a patient on daily doses with 3 left must order today. The warning comes REFILL_LEAD
before the first dose the stock does not cover, at the patient's dose time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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


def run_out(stock: Stock, upcoming: Sequence[datetime], now: datetime) -> RunOut | None:
    """When the stock runs out, given the next doses' due times (in order, enough of them to see
    past the stock); None when untracked or when it lasts past every dose given."""
    covered = stock.covered
    if covered is None or covered >= len(upcoming):
        return None
    first = upcoming[covered]
    return RunOut(first, max(first - REFILL_LEAD, now))
