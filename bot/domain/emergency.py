"""Which number to call in an emergency, from the plan's time zone.

The zone gives the country (the IANA `zone.tab` that ships with `tzdata`), the country gives the
number that reaches an ambulance, and the out-of-hours advice line where a country has one.
Unknown zones (or no plan yet) get the general list.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


# Ambulance numbers. Where 112 also works from a mobile, the local number is still given first,
# because it is the one people there know.
def _each(codes: str, number: str) -> dict[str, str]:
    return dict.fromkeys(codes.split(), number)


_NUMBERS: dict[str, str] = {
    **_each(
        "AT BE BG HR CY CZ DK EE FI FR DE GR HU IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI MC SM VA AD GI "
        "FO GL AX GE MD TR UA AZ BY KZ RU IN NG GH KW ME RS BA MK AL XK AM",
        "112",
    ),
    **_each("US CA PR GU VI AS MP MX PA CR SV HN NI UY EC PH JO DO BS BB", "911"),
    **_each("GB IE JE GG IM HK MO MY BD KE QA BH ZM ZW MU SZ BW UG", "999"),
    "AU": "000", "NZ": "111", "JP": "119", "KR": "119", "TW": "119", "CN": "120", "SG": "995",
    "TH": "1669", "VN": "115", "IL": "101", "AE": "998", "SA": "997", "OM": "9999", "EG": "123",
    "ZA": "10177", "BR": "192", "AR": "107", "CL": "131", "CO": "123", "PE": "106", "NO": "113",
    "CH": "144", "ID": "118", "PK": "1122", "LK": "1990", "NP": "102", "LB": "140", "MA": "150",
    "TN": "190", "DZ": "14", "VE": "171", "BO": "118", "PY": "141", "GT": "128", "CU": "104",
}  # fmt: skip


@cache
def _zone_countries() -> dict[str, str]:
    """IANA zone -> ISO country code, from zone.tab (tzdata's copy, else the system's)."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        system = Path("/usr/share/zoneinfo/zone.tab")
        text = system.read_text(encoding="utf-8") if system.exists() else ""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            out[parts[2]] = parts[0]
    return out


def country_of(zone: str | None) -> str | None:
    return _zone_countries().get(zone) if zone else None


def emergency_number(zone: str | None) -> str | None:
    """The ambulance number where this time zone is, or None when not known."""
    country = country_of(zone)
    return _NUMBERS.get(country) if country else None


# Out-of-hours (non-emergency) medical advice lines, where one national number exists.
_OUT_OF_HOURS: dict[str, str] = {
    "GB": "NHS 111", "DE": "116 117", "AU": "healthdirect on 1800 022 222",
    "NZ": "Healthline on 0800 611 116", "CA": "811",
}  # fmt: skip


def out_of_hours(zone: str | None) -> str | None:
    """The national out-of-hours advice line where the plan's time zone is, if there is one."""
    country = country_of(zone)
    return _OUT_OF_HOURS.get(country) if country else None
