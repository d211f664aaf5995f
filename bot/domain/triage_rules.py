"""The triage rule table, in plain data for clinical review.

A report's level is the highest level among the rules it matches. A rule matches when the report
has at least one sign in `any_of`, all signs in `all_of`, one of `modifiers`, and at least
`min_severity` / `min_hours`, for whichever of these the rule sets. Sources: DESIGN.md §2 (the
b12bot domain rules) and common patient information for injectable cyanocobalamin /
hydroxocobalamin (anaphylaxis signs; injection-site reactions).
"""

from __future__ import annotations

from bot.domain.triage import LOCAL_SIGNS, Level, Modifier, Rule, Severity, Sign

S = Sign
E, C, W = Level.EMERGENCY, Level.CLINICIAN, Level.WATCH

RULES: tuple[Rule, ...] = (
    Rule("E1-breathing", E, "Difficulty breathing, wheeze or a tight chest can be a severe "
         "allergic reaction (anaphylaxis).", any_of=frozenset({S.BREATHING})),
    Rule("E2-face-throat", E, "Swelling of the face, lips, tongue or throat can close the airway.",
         any_of=frozenset({S.FACE_SWELLING})),
    Rule("E3-collapse", E, "Fainting or collapse after an injection can be anaphylaxis.",
         any_of=frozenset({S.FAINT})),
    Rule("E4-hives-faint", E, "Hives with dizziness or feeling faint suggests a reaction of the "
         "whole body.", all_of=frozenset({S.RASH_HIVES, S.DIZZY})),
    Rule("C1-allergy-rash", C, "Hives or a rash away from the injection site can be an allergy.",
         any_of=frozenset({S.RASH_HIVES})),
    Rule("C2-dizzy", C, "Dizziness or feeling faint after an injection should be checked.",
         any_of=frozenset({S.DIZZY})),
    Rule("C3-pus", C, "Pus or discharge at the site can mean infection.", any_of=frozenset({S.PUS})),
    Rule("C4-fever", C, "Fever, especially with a warm, red site, can mean infection.",
         any_of=frozenset({S.FEVER})),
    Rule("C5-spreading", C, "Redness, swelling, warmth or pain that spreads or gets worse needs a "
         "clinician's look.", any_of=frozenset({S.REDNESS, S.SWELLING, S.PAIN, S.WARMTH}),
         modifiers=frozenset({Modifier.SPREADING, Modifier.WORSENING})),
    Rule("C6-persistent", C, "Redness, swelling or a lump still there after 48 hours should be "
         "checked.", any_of=frozenset({S.REDNESS, S.SWELLING, S.LUMP}), min_hours=48),
    Rule("C7-persistent-words", C, "Redness, swelling or a lump that is not going away should be "
         "checked.", any_of=frozenset({S.REDNESS, S.SWELLING, S.LUMP}),
         modifiers=frozenset({Modifier.PERSISTENT})),
    Rule("C8-severe-local", C, "A severe reaction at the injection site should be checked.",
         any_of=LOCAL_SIGNS, min_severity=Severity.SEVERE),
    Rule("C9-nerves", C, "New or worse numbness, tingling or balance problems can mean the B12 "
         "plan needs review.", any_of=frozenset({S.NUMBNESS})),
    Rule("C10-unsure", C, "Questions about the dose or how you injected are for the clinician "
         "who wrote your plan.", any_of=frozenset({S.UNSURE})),
    Rule("W1-local", W, "Mild redness, tenderness, itching or bruising at the site is common and "
         "usually settles in a day or two.", any_of=LOCAL_SIGNS),
    Rule("W2-other", W, "Something not in the list: recorded as you wrote it and followed up.",
         any_of=frozenset({S.OTHER})),
)  # fmt: skip
