"""Typed check-in answers ("abit", "v bad", "nah"): read only when plainly one level.

`tests/data/checkin_tune.csv` is what the rules were written against; `checkin_locked.csv` was
written by another hand from a brief naming only the levels, before the rules were run on it, and
is never tuned on. A reply left unread is safe (the buttons stay); a wrong level is not, so the
figure that matters most on the locked set is the wrong-level rate.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.domain.symptoms import LEVELS, level_in_words

DATA = Path(__file__).parent / "data"


def score(name: str) -> tuple[float, float]:
    """(right, wrong level) as shares of the rows."""
    with (DATA / name).open(newline="") as f:
        rows = list(csv.DictReader(f))
    right = wrong = 0
    for row in rows:
        level = level_in_words(row["text"])
        got = LEVELS[level] if level is not None else "unclear"
        right += got == row["expected"]
        wrong += level is not None and got != row["expected"]
    return right / len(rows), wrong / len(rows)


def test_every_phrasing_the_rules_were_written_for_is_read_right() -> None:
    assert score("checkin_tune.csv") == (1.0, 0.0)


def test_on_phrasings_never_tuned_on_few_are_read_as_the_wrong_level() -> None:
    right, wrong = score("checkin_locked.csv")  # at writing: 87% right, 3.8% wrong, 9% unread
    assert right >= 0.85 and wrong <= 0.05


@pytest.mark.parametrize("text", ["done left thigh", "my thigh is a bit red", "skip", "snooze 30", "not bad"])
def test_what_other_readers_take_is_never_a_level(text: str) -> None:
    assert level_in_words(text) is None
