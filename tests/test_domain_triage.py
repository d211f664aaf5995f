"""Triage: free text and reports -> emergency / clinician / watch, from the rule table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.triage import (
    BUTTON_SIGNS,
    RED_FLAGS,
    RULES,
    Level,
    Modifier,
    Report,
    Severity,
    Sign,
    is_emergency,
    read,
    triage,
)

E, C, W, NONE = Level.EMERGENCY, Level.CLINICIAN, Level.WATCH, None

PHRASINGS: list[tuple[str, Level | None]] = [
    # emergencies: breathing, face/throat swelling, collapse, hives with faintness
    ("I can't breathe properly", E),
    ("cant breathe", E),
    ("CAN'T BREATHE", E),
    ("i cannot breath", E),
    ("having trouble breathing since the injection", E),
    ("difficulty breathing and hives", E),
    ("short of breath after my shot", E),
    ("I'm wheezing", E),
    ("my chest feels tight", E),
    ("tight in my chest and itchy", E),
    ("my throat is swelling", E),
    ("throat feels like closing", E),
    ("lips swollen", E),
    ("my lips are swelling up", E),
    ("swollen tongue", E),
    ("face is puffy and red", E),
    ("my face swell after injection", E),
    ("I fainted after the injection", E),
    ("she passed out", E),
    ("I collapsed in the kitchen", E),
    ("hives all over and I feel dizzy", E),
    ("rash everywhere, feeling faint", E),
    ("breathing is difficult", E),
    ("hard to breathe and lips tingling", E),
    ("Throat swolen", E),
    ("breathing problems", E),
    ("can not breathe good", E),
    ("wheezy and itchy all over", E),
    ("I am not able to breathe well", E),
    ("cant breath, throat tight", E),
    # clinician: allergy signs, infection, spreading, persistent, nerves, unsure
    ("hives all over", C),
    ("I have a rash on my chest", C),
    ("itchy all over my body", C),
    ("feeling dizzy since the shot", C),
    ("light headed after injecting", C),
    ("there is pus coming out", C),
    ("the site is oozing", C),
    ("red and warm and I have a fever", C),
    ("fever and chills tonight", C),
    ("the redness is spreading", C),
    ("redness getting bigger", C),
    ("pain is getting worse", C),
    ("swelling worse than yesterday", C),
    ("still red after 3 days", C),
    ("red for 3 days now", C),
    ("the lump won't go away", C),
    ("lump still there for days", C),
    ("severe pain where I injected", C),
    ("really bad swelling on my thigh", C),
    ("my feet are numb", C),
    ("tingling in my hands is worse", C),
    ("pins and needles in fingers", C),
    ("my balance is off", C),
    ("I'm not sure if I injected the right amount", C),
    ("I think I took too much", C),
    ("injected twice by mistake", C),
    ("there was an air bubble in the syringe", C),
    ("redness is spreding and hot", C),  # typo in 'spreading'
    ("itchy rash away from the site", C),
    ("left thigh infected", C),
    ("it isn't just red, it's spreading", C),
    # watch: mild local reactions, including with typos and several signs at once
    ("my left thigh is red and itchy", W),
    ("a bit red", W),
    ("slightly sore at the spot", W),
    ("it hurts a little", W),
    ("small bruise on my belly", W),
    ("lump where I injected", W),
    ("there is a bump under the skin", W),
    ("the site is swolen", W),  # typo
    ("itchey and red", W),  # typo
    ("Injection site tender", W),
    ("stings a bit", W),
    ("red, swollen and warm", W),
    ("redness no swelling", W),
    ("it's red but not itchy anymore", W),
    ("bruised and a bit sore", W),
    ("tummy have small redness after injection", W),
    ("the place of injection is hurting me", W),
    ("Pink mark at injection", W),
    # negations and resolved signs: nothing to triage
    ("no swelling", NONE),
    ("not itchy anymore", NONE),
    ("no redness or swelling", NONE),
    ("redness is gone", NONE),
    ("the swelling went down", NONE),
    ("no fever, no rash", NONE),
    ("I don't have any pain", NONE),
    ("without bruising this time", NONE),
    ("i can breathe fine", NONE),
    ("all good thanks", NONE),
    ("hello", NONE),
    ("the itching has stopped", NONE),
    ("never had hives", NONE),
]


def level_of(text: str) -> Level | None:
    reading = read(text)
    if not reading.is_report:
        return None
    report = Report(reading.signs, reading.severity, reading.hours_since, reading.modifiers)
    return triage(report).level


def test_there_are_at_least_80_phrasings() -> None:
    assert len(PHRASINGS) >= 80


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_phrasing(text: str, expected: Level | None) -> None:
    assert level_of(text) == expected, read(text)


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_emergency_check_agrees_with_triage(text: str, expected: Level | None) -> None:
    assert is_emergency(text) == (expected is E)


def test_signs_severity_and_duration_are_read() -> None:
    reading = read("my left thigh is red and itchy, really bad, for 2 days")
    assert reading.signs == {Sign.REDNESS, Sign.ITCHING}
    assert reading.severity is Severity.SEVERE
    assert reading.hours_since == 48


def test_every_rule_has_an_id_a_rationale_and_a_condition() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.rationale.endswith(".") and len(rule.rationale) < 160
        assert rule.any_of or rule.all_of


def test_matching_rule_ids_are_reported() -> None:
    result = triage(Report(frozenset({Sign.REDNESS, Sign.FEVER})))
    assert result.level is C
    assert set(result.rule_ids) == {"C4-fever", "W1-local"}
    assert result.reasons == ("Fever, especially with a warm, red site, can mean infection.",)


signs = st.frozensets(st.sampled_from([*BUTTON_SIGNS, Sign.PUS, Sign.WARMTH, Sign.UNSURE]))
reports = st.builds(
    Report,
    signs=signs,
    severity=st.none() | st.sampled_from(list(Severity)),
    hours_since=st.none() | st.floats(min_value=0, max_value=24 * 30),
    modifiers=st.frozensets(st.sampled_from(list(Modifier))),
)


@given(reports, st.sampled_from(sorted(RED_FLAGS)))
def test_adding_a_red_flag_never_lowers_the_level(report: Report, flag: Sign) -> None:
    before = triage(report).level
    widened = Report(report.signs | {flag}, report.severity, report.hours_since, report.modifiers)
    after = triage(widened).level
    assert after >= before
    assert after is Level.EMERGENCY


@given(reports, signs)
def test_adding_any_sign_never_lowers_the_level(report: Report, more: frozenset[Sign]) -> None:
    widened = Report(report.signs | more, report.severity, report.hours_since, report.modifiers)
    assert triage(widened).level >= triage(report).level
