"""Step 3 of triage: the context of each sign within its sentence (the NegEx / ConText idea).

A sign found in the text can be denied ("no swelling", "lips aren't swollen"), resolved ("the
redness has gone"), resolved-not ("it hasn't gone down": still there), or in the past ("had hives
as a kid"). Hedges ("not sure if it's related but...") are noted and never lower a level.

Triggers are data, like the signs. Their scope is the clause: it ends at a sentence break or a
turn ("but", "however"). Red-flag signs are only denied by a negation right next to them (three
words, no comma between): "no fever, lips swelling" is still an emergency.
Why not medspaCy's ConText or negspacy: they bring spaCy and its pipeline (hundreds of MB, seconds
to load) for what is a few dozen triggers over a short chat message, and their rule sets are tuned
for clinical notes ("denies", "r/o"), not for "cant brethe n lips r puffy". The algorithm is theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.triage.lexicon import BREAKS, words

NEGATORS = words("no not never without none nor neither nothing zero")
# A negator inside these is not a negation ("not sure if...", "won't stop itching").
PSEUDO_NEGATIONS: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "not sure", "not certain", "no idea", "not know", "not think", "not just", "not only",
        "no better", "not better", "no change", "not normal", "not right", "not well", "not good",
        "no doubt", "not stop", "not stopping", "not go", "not going", "not gone",
        "not settle", "not settled", "not settling", "not clear", "not cleared", "not improve",
        "not improved", "not improving", "not fade", "not faded", "not fading", "not ease",
        "not shrunk", "not shrinking", "not shrank", "not smaller", "not reduced", "not changed",
        "not eased", "not down", "not mind", "not want", "not feel right", "not feeling right",
        "not like", "not too sure", "not worried", "no way", "not able", "not enough", "no air",
        "not breathe", "not catch", "not remember", "not recall", "no clue", "not that",
        "not matter", "never mind", "not care", "nothing like", "not helping", "not working",
    )
)  # fmt: skip
NEGATION_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split()) for p in ("cannot see", "cannot feel any", "cannot find", "cannot notice", "free of")
)
POST_NEGATIONS = words("fine ok normal alright none")
RESOLVED = words(
    "gone disappeared cleared resolved settled faded healed stopped eased subsided vanished "
    "disappearing clearing fading settling easing shrunk shrank shrinking"
)
PARTICLES = frozenset({"down", "away"})  # "gone down", "went away"
PARTICLE_VERBS = words("gone went going go goes come came died")
TOWARDS = words("my the to towards into from onto over across")
SETTLED_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "all better", "much better", "loads better", "lots better", "way better", "a lot better",
        "feeling better", "feel better", "back to normal", "all good", "all fine", "cleared up",
        "it is gone", "it has gone", "it went away", "gone now", "better now", "fine now",
        "is better", "are better", "got better", "getting better",
    )
)  # fmt: skip
HISTORICAL: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "years ago", "decades ago", "ages ago", "long time ago", "as a kid", "as a child",
        "as a teenager", "as a teen", "as a baby", "when i was young", "when i was little",
        "when i was a kid", "when i was a child", "when i was younger", "in the past", "last year",
        "in my childhood", "used to get", "used to have", "once had", "have had it before",
        "years back", "as a young", "as a lad", "as a lass", "as a boy", "as a girl", "as a youngster",
        "when i was a", "back in the", "back in my", "in my twenties", "in my teens",
    )
)  # fmt: skip
CLAUSE_RESETS = words("now today tonight currently")
SCOPE_ENDS = words("just only except apart although")
HEDGES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "not sure", "maybe", "might", "probably", "possibly", "i think", "i guess", "could be",
        "kind of", "sort of", "bit worried", "overreacting", "probably nothing", "do not know",
        "no idea", "not certain", "wondering", "just in case", "unsure", "perhaps", "idk",
        "not too sure", "paranoid",
    )
)  # fmt: skip
RED_FLAG_WINDOW = 3
WINDOW = 5
RESOLUTION_WINDOW = 7  # "that bruise from last week has completely gone"


@dataclass(frozen=True)
class Found:
    """Where a pattern matched: [start, end) and which positions were its own words (not gaps)."""

    start: int
    end: int
    own: frozenset[int]
    loose: bool = False  # spans a long stretch of the sentence: its gaps are not read


def _at(tokens: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(tokens[i : i + len(phrase)]) == phrase


def covered(tokens: list[str], phrases: tuple[tuple[str, ...], ...]) -> set[int]:
    """Positions that belong to any of `phrases`."""
    out: set[int] = set()
    for i in range(len(tokens)):
        for phrase in phrases:
            if _at(tokens, i, phrase):
                out.update(range(i, i + len(phrase)))
    return out


def _is_negator(tokens: list[str], i: int, pseudo: set[int]) -> bool:
    if i in pseudo:
        return False
    if tokens[i] == "without" and "cannot" in tokens[max(0, i - 8) : i]:
        return False  # "can't finish a sentence without gasping": two negatives, a positive
    if tokens[i] in NEGATORS:
        # "no, my lips are swelling": an answer, not a negation
        return not (i + 1 < len(tokens) and tokens[i + 1] in {",", "."})
    return any(_at(tokens, i, phrase) for phrase in NEGATION_PHRASES)


class Context:
    """Reads the context of found signs within one normalised message."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pseudo = covered(tokens, PSEUDO_NEGATIONS)
        self.historical = covered(tokens, HISTORICAL)

    def negated(self, found: Found, red_flag: bool) -> bool:
        """Denied by a negator before it, inside its gaps, or by 'fine'/'normal' right after."""
        tokens = self.tokens
        gaps = [] if found.loose else [i for i in range(found.start, found.end) if i not in found.own]
        if any(_is_negator(tokens, i, self.pseudo) for i in gaps):
            return True
        window = RED_FLAG_WINDOW if red_flag else WINDOW
        i = found.start - 1
        while i >= 0 and found.start - i <= window:
            token = tokens[i]
            if token in BREAKS or (token == "," and red_flag) or token in CLAUSE_RESETS:
                break
            if _resolves(tokens, i):
                break  # "hasn't shrunk since the weekend": the negation is the resolution's
            if token in SCOPE_ENDS:
                break  # "no rash no swelling just sore": the soreness is there
            if _is_negator(tokens, i, self.pseudo):
                return True
            i -= 1
        after = tokens[found.end : found.end + 3]
        for j, token in enumerate(after):
            if token in BREAKS or token == ",":
                break
            # "is that normal?", "is pus normal?": a question, not a denial
            question = (j > 0 and after[j - 1] in {"that", "this", "it"}) or (
                j == 0 and found.start > 0 and tokens[found.start - 1] in {"is", "are"}
            )
            if token in POST_NEGATIONS and not question and not any(t in NEGATORS for t in after[:j]):
                return True
        return False

    def resolution(self, found: Found) -> str | None:
        """'resolved' ("redness has gone"), 'persists' ("hasn't gone down"), or None."""
        tokens = self.tokens
        for j in range(found.end, min(found.end + RESOLUTION_WINDOW, len(tokens))):
            token = tokens[j]
            if token == "but" and self._settled_after(j + 1):
                return "resolved"  # "sore last week from a cold but that's cleared up"
            if token in BREAKS or token == ",":
                return None
            if _resolves(tokens, j):
                before = tokens[max(found.end, j - 3) : j]
                return "persists" if any(t in NEGATORS for t in before) else "resolved"
        return None

    def _settled_after(self, j: int) -> bool:
        """'that's cleared up', 'it has gone' right after a "but"."""
        after = self.tokens[j : j + 5]
        return (
            bool(after)
            and after[0] in {"that", "it", "this"}
            and any(_resolves(self.tokens, k) for k in range(j + 1, min(j + 5, len(self.tokens))))
        )

    def in_the_past(self, found: Found, red_flag: bool) -> bool:
        """In a sentence that says it was long ago ("got stung years ago and swelled up"); for a
        red flag, only in the same clause ("had hives as a kid, my lips are swelling" is now)."""
        start, end = self._scope(found.start, {",", "and"} if red_flag else set())
        return any(start <= i < end for i in self.historical)

    def _scope(self, at: int, stops: set[str]) -> tuple[int, int]:
        tokens = self.tokens

        def inside(i: int) -> bool:
            return tokens[i] not in BREAKS and tokens[i] not in stops and tokens[i] not in CLAUSE_RESETS

        start = at
        while start > 0 and inside(start - 1):
            start -= 1
        end = at
        while end < len(tokens) and inside(end):
            end += 1
        return start, end


def hedged(tokens: list[str]) -> bool:
    return bool(covered(tokens, HEDGES))


def settled(tokens: list[str]) -> bool:
    """Says that something has gone or got better ("it's gone", "much better now")."""
    if covered(tokens, SETTLED_PHRASES):
        return True
    for j in range(len(tokens)):
        if _resolves(tokens, j) and not any(t in NEGATORS for t in tokens[max(0, j - 3) : j]):
            return True
    return "anymore" in tokens


def _resolves(tokens: list[str], j: int) -> bool:
    """Does the word at `j` say something went away ("gone", "faded", "went down")?"""
    token = tokens[j]
    if token in RESOLVED:
        # "gone down my leg", "gone from a grape to a plum": moving or changing, not settling
        return not _moving(tokens, j + 1) and tokens[j + 1 : j + 2] not in (["from"], ["to"])
    return token in PARTICLES and j > 0 and tokens[j - 1] in PARTICLE_VERBS and not _moving(tokens, j)


def _moving(tokens: list[str], j: int) -> bool:
    """'gone down my leg', 'went up towards the knee': spreading, not settling."""
    return j + 1 < len(tokens) and tokens[j] in PARTICLES | {"up"} and tokens[j + 1] in TOWARDS
