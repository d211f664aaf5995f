"""Side-effect triage: what the patient describes -> `emergency`, `clinician` or `watch`.

A pipeline, each step reviewable by a clinician without reading control flow:
normalise (`normalize.py`) -> find the signs' lay words (`lexicon.py`) -> read their context per
sentence: denied, resolved, long ago, hedged (`context.py`) -> level from the rule table
(`rules.py`). The level of a report is the highest level of any rule it matches, so adding a sign
can never lower it.
"""

from bot.domain.triage.model import (
    ALLERGY_SIGNS,
    BUTTON_SIGNS,
    LOCAL_SIGNS,
    OTHER_EMERGENCIES,
    RED_FLAGS,
    Level,
    Modifier,
    Report,
    Rule,
    Severity,
    Sign,
    Triage,
)
from bot.domain.triage.reader import Assessment, Reading, assess, is_emergency, read
from bot.domain.triage.rules import RULES, triage

__all__ = [
    "ALLERGY_SIGNS", "BUTTON_SIGNS", "LOCAL_SIGNS", "OTHER_EMERGENCIES", "RED_FLAGS", "RULES", "Assessment",
    "Level", "Modifier", "Reading", "Report", "Rule", "Severity", "Sign", "Triage", "assess",
    "is_emergency", "read", "triage",
]  # fmt: skip
