"""Lab results: read a typed value with its unit, convert to one stored unit, refuse the implausible.

Stored units: serum B12 in pg/mL (= ng/L; 1 pg/mL = 0.738 pmol/L), methylmalonic acid (MMA) in
µmol/L, homocysteine in µmol/L, haemoglobin in g/L. The plausible ranges are wide on purpose:
they catch a typo or a wrong unit, not an abnormal result (B12 after injections can be very high).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PMOL_PER_PG = 0.738  # 1 pg/mL of cobalamin (1355 g/mol) is 0.738 pmol/L


@dataclass(frozen=True)
class Analyte:
    key: str
    label: str
    unit: str  # the stored unit
    units: dict[str, float]  # accepted unit spelling -> factor to the stored unit
    low: float  # plausible range, in the stored unit
    high: float
    example: str
    guess: tuple[tuple[float, float, str], ...] = ()  # (low, high, unit) when no unit is typed
    names: tuple[str, ...] = ()  # what a patient may type before the value ("B12: 180 pg/mL")


ANALYTES: dict[str, Analyte] = {
    a.key: a
    for a in (
        Analyte(
            "b12", "Vitamin B12", "pg/mL",
            {"pg/ml": 1.0, "ng/l": 1.0, "pmol/l": 1 / PMOL_PER_PG},
            50, 20000, "350 pg/mL or 260 pmol/L",
            names=("vitamin b12", "vit b12", "b12", "cobalamin", "serum b12", "total b12"),
        ),
        Analyte(
            "mma", "Methylmalonic acid (MMA)", "µmol/L",
            {"µmol/l": 1.0, "umol/l": 1.0, "nmol/l": 0.001},
            0.02, 100, "0.25 µmol/L or 250 nmol/L", guess=((0.02, 100, "µmol/l"),),
            names=("methylmalonic acid", "mma"),
        ),
        Analyte(
            "hcy", "Homocysteine", "µmol/L", {"µmol/l": 1.0, "umol/l": 1.0},
            1, 500, "12 µmol/L", guess=((1, 500, "µmol/l"),),
            names=("homocysteine", "hcy", "tHcy"),
        ),
        Analyte(
            "hb", "Haemoglobin", "g/L", {"g/l": 1.0, "g/dl": 10.0},
            30, 250, "135 g/L or 13.5 g/dL", guess=((3, 25, "g/dl"), (30, 250, "g/l")),
            names=("haemoglobin", "hemoglobin", "hgb", "hb"),
        ),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Reading:
    value: float  # in the analyte's stored unit
    typed: str  # what was understood, e.g. "260 pmol/L"


@dataclass(frozen=True)
class Refused:
    reason: str  # "unreadable" | "unit" (a unit is needed) | "range"


_NUMBER = re.compile(r"^\s*([<>]?)\s*(\d+(?:[.,]\d+)?)\s*(.*?)\s*$")


def _unit_key(text: str) -> str:
    unit = text.lower().replace(" ", "").replace("μ", "µ").replace("mcmol", "µmol")
    return {
        "pg/ml": "pg/ml",
        "ng/l": "ng/l",
        "pmol/l": "pmol/l",
        "pmol": "pmol/l",
        "pg": "pg/ml",
        "g/dl": "g/dl",
        "g/l": "g/l",
        "gl": "g/l",
        "gdl": "g/dl",
    }.get(unit, unit)


def read_value(analyte: Analyte, text: str) -> Reading | Refused:
    """'260 pmol/L' -> 352.3 pg/mL; 'B12: 180 pg/mL' too; '>2000 pg/ml' -> 2000 (a lab's ceiling,
    kept as the number)."""
    text = _without_name(analyte, text)
    match = _NUMBER.match(text)
    if match is None:
        return Refused("unreadable")
    number = float(match.group(2).replace(",", "."))
    unit = _unit_key(match.group(3))
    if not unit:
        guessed = [u for low, high, u in analyte.guess if low <= number <= high]
        if not guessed:
            return Refused("unit" if not analyte.guess else "range")
        unit = guessed[0]
    factor = analyte.units.get(unit)
    if factor is None:
        return Refused("unit")
    value = round(number * factor, 3)
    if not analyte.low <= value <= analyte.high:
        return Refused("range")
    shown = next(u for u in (analyte.unit, *analyte.units) if u.lower() == unit) if unit else analyte.unit
    return Reading(value, f"{match.group(1)}{match.group(2)} {_pretty(shown)}")


def _without_name(analyte: Analyte, text: str) -> str:
    """'B12: 180 pg/mL', 'vitamin b12 level is 180' -> '180 pg/mL'."""
    names = "|".join(re.escape(n) for n in sorted(analyte.names, key=len, reverse=True))
    if not names:
        return text
    found = re.match(rf"^\s*(?:{names})\b\s*(?:level|result|value)?\s*(?:is|was|=|:|-)?\s*", text, re.I)
    return text[found.end() :] if found else text


def _pretty(unit: str) -> str:
    return {
        "pg/ml": "pg/mL",
        "ng/l": "ng/L",
        "pmol/l": "pmol/L",
        "µmol/l": "µmol/L",
        "umol/l": "µmol/L",
        "nmol/l": "nmol/L",
        "g/l": "g/L",
        "g/dl": "g/dL",
    }.get(unit.lower(), unit)


def show(key: str, value: float) -> str:
    """A stored value in its unit, e.g. '352 pg/mL', '0.25 µmol/L', '135 g/L'."""
    analyte = ANALYTES[key]
    text = f"{value:.0f}" if value >= 20 else f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} {analyte.unit}"
