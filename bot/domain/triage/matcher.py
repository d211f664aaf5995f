"""Step 2 of triage, the matcher: a lexicon pattern (grammar in `lexicon.py`) compiled and found
over normalised tokens, whole words only, each word read for one sign at most."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from bot.domain.triage.context import Found
from bot.domain.triage.lexicon import BREAKS, FILLER, WORDS

GAP = 4  # words in a "…" gap
LONG_GAP = 8  # words in a "…+" gap
FILLER_GAP = 6  # filler words in a "~" gap
MAX_SPAN = 12  # words in any gap, fillers included


@dataclass(frozen=True)
class Slot:
    """One element of a compiled pattern: words (alternatives by their first word), or a gap."""

    starts: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    gap: int = 0  # > 0: a gap of up to this many words
    filler_only: bool = False
    loose: bool = False  # a "…+" gap: any words of the sentence
    optional: bool = False


Compiled = tuple[Slot, ...]


def _alternatives(text: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """'{face}|lump_in_throat' -> {'face': (('face',),), ..., 'lump': (('lump', 'in', 'throat'),)}."""
    sequences: list[tuple[str, ...]] = []
    for part in text.split("|"):
        if part.startswith("{") and part.endswith("}"):
            sequences.extend((word,) for word in sorted(WORDS[part[1:-1]]))
        else:
            sequences.append(tuple(part.split("_")))
    starts: dict[str, list[tuple[str, ...]]] = {}
    for sequence in sequences:
        starts.setdefault(sequence[0], []).append(sequence)
    return {word: tuple(seqs) for word, seqs in starts.items()}


@cache
def compile_pattern(pattern: str) -> Compiled:
    slots: list[Slot] = []
    for part in pattern.split():
        if part == "~":
            slots.append(Slot(gap=FILLER_GAP, filler_only=True))
        elif part in {"…", "..."}:
            slots.append(Slot(gap=GAP))
        elif part == "…+":
            slots.append(Slot(gap=LONG_GAP, loose=True))
        elif part.startswith("[") and part.endswith("]"):
            slots.append(Slot(_alternatives(part[1:-1]), optional=True))
        else:
            slots.append(Slot(_alternatives(part)))
    return tuple(slots)


def _gap_word(token: str, slot: Slot) -> bool:
    if token in BREAKS:
        return False
    if slot.filler_only:
        return token in FILLER or token == ","
    return slot.loose or token not in WORDS["site"]


def _match(tokens: list[str], i: int, slots: Compiled, k: int, own: list[int]) -> int | None:
    """End of a match of slots[k:] starting at tokens[i] (shortest gaps first), or None."""
    if k == len(slots):
        return i
    slot = slots[k]
    if slot.gap:
        others = 0  # filler words ("really really very") do not count towards a gap's length
        for n in range(MAX_SPAN + 1):
            if n:
                if i + n - 1 >= len(tokens) or not _gap_word(tokens[i + n - 1], slot):
                    return None
                others += tokens[i + n - 1] not in FILLER
                if others > slot.gap:
                    return None
            end = _match(tokens, i + n, slots, k + 1, own)
            if end is not None:
                return end
        return None
    for words in slot.starts.get(tokens[i], ()) if i < len(tokens) else ():
        if tuple(tokens[i : i + len(words)]) == words:
            own.extend(range(i, i + len(words)))
            end = _match(tokens, i + len(words), slots, k + 1, own)
            if end is not None:
                return end
            del own[len(own) - len(words) :]
    return _match(tokens, i, slots, k + 1, own) if slot.optional else None


@cache
def _by_first_word(patterns: tuple[str, ...]) -> tuple[dict[str, list[Compiled]], list[Compiled]]:
    """The compiled patterns by the words they can start with, and those that start anywhere."""
    indexed: dict[str, list[Compiled]] = {}
    anywhere: list[Compiled] = []
    for pattern in patterns:
        slots = compile_pattern(pattern)
        if slots[0].gap or slots[0].optional:
            anywhere.append(slots)
            continue
        for word in slots[0].starts:
            indexed.setdefault(word, []).append(slots)
    return indexed, anywhere


def find(tokens: list[str], patterns: tuple[str, ...], taken: set[int]) -> Iterator[Found]:
    """Every match of any of `patterns` that uses no word already `taken`."""
    indexed, anywhere = _by_first_word(patterns)
    for start, token in enumerate(tokens):
        for slots in [*indexed.get(token, ()), *anywhere]:
            own: list[int] = []
            end = _match(tokens, start, slots, 0, own)
            if end is not None and end > start and not taken & set(own):
                yield Found(start, end, frozenset(own), loose=any(slot.loose for slot in slots))
