"""Metamorphic properties of triage: what patients add to an emergency never hides it.

Each seed is an emergency in plain words, with `|` where a filler fits. Inserting fillers or
intensifiers, a typo in a long word, text-speak, a hedge or a leading sentence keeps it an
emergency; the same changes never turn a mild local reaction into one (a typo that could be two
words is read as the more serious one, so "it stins" may ask for the clinician: safe, not loud).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.triage import Level, assess
from bot.domain.triage.normalize import _english  # the spelling corrector's list of real words

EMERGENCIES = (
    "my lips are | swelling",
    "my throat is | closing up",
    "I can't | breathe",
    "I | fainted after the injection",
    "my tongue is | swollen",
    "hives all over and I feel | dizzy",
    "I'm | wheezing",
    "I | passed out",
    "my face is | puffing up",
    "I'm | struggling to swallow",
    "my chest feels | tight",
    "I feel like I'm going to | pass out",
)
MILD = (
    "my left thigh is | a bit red",
    "small | bruise where I injected",
    "the site is | slightly itchy",
    "it | stings a little",
)
FILLERS = ("really", "like", "kind of", "so", "totally", "all", "literally", "proper", "very very", "just")
HEDGES = (
    "not sure if it's related but ",
    "probably nothing but ",
    "maybe im overreacting, ",
    "sorry to bother you, ",
    "this might be silly but ",
)
LEADS = ("done left thigh. ", "hi. did my jab at 8. ", "good morning! ", "all done, right tummy. ")
TEXT_SPEAK = {"I'm": "im", "can't": "cant", "and": "n", "to": "2", "you": "u", "I": "i", "my": "ma"}


def _fill(seed: str, fillers: list[str]) -> str:
    return seed.replace("|", " ".join(fillers)).replace("  ", " ")


def _typo(text: str, which: int, kind: int) -> str:
    """One dropped, doubled or swapped letter in a long word (not one that makes another word)."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long:
        return text
    i = long[which % len(long)]
    w = words[i]
    at = 1 + kind % (len(w) - 2)
    match kind % 3:
        case 0:
            changed = w[:at] + w[at + 1 :]
        case 1:
            changed = w[:at] + w[at] + w[at:]
        case _:
            changed = w[: at - 1] + w[at] + w[at - 1] + w[at + 1 :]
    if changed.lower() in _english():
        return text  # "closing" -> "losing" is a different word, not a typo
    words[i] = changed
    return " ".join(words)


def _text_speak(text: str) -> str:
    return " ".join(TEXT_SPEAK.get(w, w) for w in text.split()).lower()


changes = st.fixed_dictionaries(
    {
        "fillers": st.lists(st.sampled_from(FILLERS), max_size=3),
        "typo": st.none() | st.tuples(st.integers(0, 5), st.integers(0, 50)),
        "speak": st.booleans(),
        "hedge": st.none() | st.sampled_from(HEDGES),
        "lead": st.none() | st.sampled_from(LEADS),
    }
)


def changed(seed: str, c: dict[str, object]) -> str:
    text = _fill(seed, c["fillers"])  # type: ignore[arg-type]
    if c["typo"] is not None:
        which, kind = c["typo"]  # type: ignore[misc]
        text = _typo(text, which, kind)
    if c["speak"]:
        text = _text_speak(text)
    return f"{c['lead'] or ''}{c['hedge'] or ''}{text}"


@given(st.sampled_from(EMERGENCIES), changes)
def test_what_patients_add_never_hides_an_emergency(seed: str, c: dict[str, object]) -> None:
    text = changed(seed, c)
    assert assess(text).level is Level.EMERGENCY, text


@given(st.sampled_from(MILD), changes)
def test_the_same_changes_never_make_a_mild_reaction_an_emergency(seed: str, c: dict[str, object]) -> None:
    text = changed(seed, c)
    level = assess(text).level
    assert level is not None and level < Level.EMERGENCY, text  # a typo may read as worse, never 999
