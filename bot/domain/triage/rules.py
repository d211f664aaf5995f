"""The triage rule table, in plain data for clinical review.

A report's level is the highest level among the rules it matches. A rule matches when the report
has at least one sign in `any_of`, all signs in `all_of`, one of `modifiers`, and at least
`min_severity` / `min_hours`, for whichever of these the rule sets. Sources: DESIGN.md §2 (the
b12bot domain rules) and common patient information for injectable cyanocobalamin /
hydroxocobalamin (anaphylaxis signs; injection-site reactions).
"""

from __future__ import annotations

from bot.domain.triage.model import LOCAL_SIGNS, Level, Modifier, Report, Rule, Severity, Sign, Triage

S = Sign
E, C, W = Level.EMERGENCY, Level.CLINICIAN, Level.WATCH
ALLERGY_HINTS = frozenset({S.RASH_HIVES, S.MOUTH, S.ALLERGY})

RULES: tuple[Rule, ...] = (
    Rule("E1-breathing", E, "Difficulty breathing, wheeze or a tight chest can be a severe "
         "allergic reaction (anaphylaxis).", any_of=frozenset({S.BREATHING})),
    Rule("E2-face-throat", E, "Swelling of the face, lips, tongue or throat can close the airway.",
         any_of=frozenset({S.FACE_SWELLING})),
    Rule("E3-collapse", E, "Fainting, collapse or feeling about to pass out after an injection can "
         "be anaphylaxis.", any_of=frozenset({S.FAINT})),
    Rule("E4-hives-faint", E, "Hives or other allergy signs with dizziness or feeling faint suggest "
         "a reaction of the whole body.", any_of=ALLERGY_HINTS, all_of=frozenset({S.DIZZY})),
    Rule("E5-throat", E, "A tight or closing throat, trouble swallowing or a changed voice can mean "
         "the airway is swelling.", any_of=frozenset({S.THROAT})),
    Rule("E6-anaphylaxis", E, "A severe allergic reaction, named as such or treated with an "
         "adrenaline pen, needs emergency care.", any_of=frozenset({S.ANAPHYLAXIS})),
    Rule("E7-chest-pain", E, "Chest pain or pressure needs help straight away.",
         any_of=frozenset({S.CHEST_PAIN})),
    Rule("E8-stroke", E, "Slurred speech, a drooping face or sudden weakness on one side can be a "
         "stroke.", any_of=frozenset({S.STROKE})),
    Rule("C1-allergy-rash", C, "Hives or a rash away from the injection site can be an allergy.",
         any_of=frozenset({S.RASH_HIVES})),
    Rule("C1b-allergy-mouth", C, "Tingling or itching of the lips, mouth or tongue can be an early "
         "allergy sign.", any_of=frozenset({S.MOUTH})),
    Rule("C1c-allergy-named", C, "A reaction you think is allergic should be checked before the "
         "next dose.", any_of=frozenset({S.ALLERGY})),
    Rule("C2-dizzy", C, "Dizziness or feeling faint after an injection should be checked.",
         any_of=frozenset({S.DIZZY})),
    Rule("C2b-heart", C, "A racing or pounding heart after an injection should be checked.",
         any_of=frozenset({S.HEART})),
    Rule("C3-pus", C, "Pus or discharge at the site can mean infection.", any_of=frozenset({S.PUS})),
    Rule("C4-fever", C, "Fever, especially with a warm, red site, can mean infection.",
         any_of=frozenset({S.FEVER})),
    Rule("C5-spreading", C, "Redness, swelling, warmth, a lump or pain that spreads or gets worse "
         "needs a clinician's look.",
         any_of=frozenset({S.REDNESS, S.SWELLING, S.PAIN, S.WARMTH, S.LUMP, S.BRUISING, S.OTHER}),
         modifiers=frozenset({Modifier.SPREADING, Modifier.WORSENING})),
    Rule("C6-persistent", C, "Redness, swelling or a lump still there after 48 hours should be "
         "checked.", any_of=frozenset({S.REDNESS, S.SWELLING, S.LUMP, S.BLEEDING, S.OTHER}), min_hours=48),
    Rule("C7-persistent-words", C, "Redness, swelling, a lump or bleeding that is not going away "
         "should be checked.", any_of=frozenset({S.REDNESS, S.SWELLING, S.LUMP, S.BLEEDING, S.OTHER}),
         modifiers=frozenset({Modifier.PERSISTENT})),
    Rule("C8-severe-local", C, "A severe reaction at the injection site should be checked.",
         any_of=LOCAL_SIGNS, min_severity=Severity.SEVERE),
    Rule("C9-nerves", C, "New or worse numbness, tingling or balance problems can mean the B12 "
         "plan needs review.", any_of=frozenset({S.NUMBNESS})),
    Rule("C9b-memory", C, "Memory or thinking getting worse, or confusion, can mean the B12 plan "
         "needs review.", any_of=frozenset({S.CONFUSION})),
    Rule("C10-unsure", C, "Questions about the dose or how you injected are for the clinician "
         "who wrote your plan.", any_of=frozenset({S.UNSURE})),
    Rule("W1-local", W, "Mild redness, tenderness, itching or bruising at the site is common and "
         "usually settles in a day or two.", any_of=LOCAL_SIGNS),
    Rule("W2-other", W, "Something else after an injection (a headache, feeling sick, spots): "
         "recorded as you wrote it and followed up.", any_of=frozenset({S.OTHER, S.UNWELL})),
)  # fmt: skip


def triage(report: Report, rules: tuple[Rule, ...] = RULES) -> Triage:
    """The highest level of any matching rule (watch when none matches)."""
    matched = [rule for rule in rules if rule.matches(report)]
    if not matched:
        return Triage(Level.WATCH, ())
    level = max(rule.level for rule in matched)
    top = [rule for rule in matched if rule.level == level]
    return Triage(level, tuple(r.id for r in matched), tuple(r.rationale for r in top))
