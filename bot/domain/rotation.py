"""Injection-site rotation: which site to suggest next.

The suggestion is the site unused the longest (never-used sites first), ties in the patient's own
list order. Sites the caller marks unavailable (e.g. an open reaction) are left out unless that
would leave nothing to suggest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum

DEFAULT_SITES: tuple[str, ...] = (
    "Abdomen left",
    "Abdomen right",
    "Thigh left",
    "Thigh right",
)
ARM_SITES: tuple[str, ...] = ("Arm left", "Arm right")
SITE_CHOICES: tuple[str, ...] = DEFAULT_SITES + ARM_SITES
# Into the muscle: the upper arm (deltoid), the outer thigh (vastus lateralis), the hip (ventrogluteal).
IM_SITE_CHOICES: tuple[str, ...] = (
    "Upper arm left",
    "Upper arm right",
    "Outer thigh left",
    "Outer thigh right",
    "Hip left",
    "Hip right",
)


MAX_SITES = 12  # a patient rotates at most this many sites
MAX_SITE_NAME = 40  # characters


def site_choices(intramuscular: bool) -> tuple[str, ...]:
    """The sites offered at setup: under the skin (abdomen, thighs, arms) or into the muscle."""
    return IM_SITE_CHOICES if intramuscular else SITE_CHOICES


def rotation_order(
    sites: Sequence[str],
    last_used: Mapping[str, datetime],
    unavailable: Iterable[str] = (),
) -> list[str]:
    """Sites from best to worst next choice: unused the longest first, list order on ties."""
    blocked = set(unavailable)
    usable = [s for s in sites if s not in blocked] or list(sites)
    position = {site: i for i, site in enumerate(sites)}

    def key(site: str) -> tuple[int, float, int]:
        used = last_used.get(site)
        return (0 if used is None else 1, used.timestamp() if used else 0.0, position[site])

    return sorted(usable, key=key)


def suggest_site(
    sites: Sequence[str],
    last_used: Mapping[str, datetime],
    unavailable: Iterable[str] = (),
) -> str | None:
    """The site to use next, or None when the patient has no sites."""
    order = rotation_order(sites, last_used, unavailable)
    return order[0] if order else None


class RotationIssue(StrEnum):
    REACTION = "reaction"  # the site has an open reaction report
    SAME_AS_LAST = "same_as_last"
    TOO_SOON = "too_soon"  # used again within the rest period


def fitting_rest(rest: timedelta, sites: int, interval: timedelta) -> timedelta:
    """The rest a rotation can give: with 4 sites and a dose every day, each site rests 4 days at
    most, so asking for 7 would find fault every day."""
    return min(rest, interval * max(sites, 1))


def rotation_issue(
    site: str,
    *,
    previous_site: str | None,
    last_used: Mapping[str, datetime],
    rest: timedelta,
    reaction_sites: Iterable[str],
    at: datetime,
    suggested: str | None = None,
) -> RotationIssue | None:
    """Why using `site` at `at` goes against good rotation (the dose is recorded regardless).
    The site the bot suggested is never at fault: a tip only when a better site existed."""
    if site == suggested:
        return None
    if site in set(reaction_sites):
        return RotationIssue.REACTION
    if site == previous_site:
        return RotationIssue.SAME_AS_LAST
    used = last_used.get(site)
    if used is not None and at - used < rest:
        return RotationIssue.TOO_SOON
    return None
