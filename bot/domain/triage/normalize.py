"""Step 1 of triage: a patient's message -> clean lower-case tokens.

Case and Unicode are folded, contractions and text-speak expanded ("cant" -> "cannot", "2" before
a verb -> "to", "&" -> "and"), letters typed three times shrunk ("soooo"), and a word that is
neither English nor in the triage vocabulary is corrected to the closest vocabulary word with
SymSpell (symspellpy), one edit for short words and two for long ones. English words are never
"corrected" ("number" stays "number", not "numbness"): the English list is symspellpy's own
frequency dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

from symspellpy import SymSpell, Verbosity

BREAK = "."  # sentence breaks are all written as "."

_EMOJI = {
    "🤒": " fever ", "🥵": " hot ", "🥶": " chills ", "😵": " dizzy ", "😵‍💫": " dizzy ",
    "🤢": " sick ", "🤮": " vomiting ", "🤕": " hurts ", "😷": " unwell ", "🆘": " help ",
    "🫁": " breathing ", "💉": " injection ", "❤️": " ", "👍": " ok ", "🙏": " please ",
}  # fmt: skip

# Whole-word replacements after lower-casing (one word -> one or more words).
_EXPAND = {
    "can't": "cannot", "cant": "cannot", "cnat": "cannot", "can;t": "cannot", "cnt": "cannot",
    "cannt": "cannot", "canot": "cannot",
    "won't": "will not", "wont": "will not", "don't": "do not", "dont": "do not",
    "doesn't": "does not", "doesnt": "does not", "didn't": "did not", "didnt": "did not",
    "isn't": "is not", "isnt": "is not", "aren't": "are not", "arent": "are not",
    "wasn't": "was not", "wasnt": "was not", "weren't": "were not", "hasn't": "has not",
    "hasnt": "has not", "haven't": "have not", "havent": "have not", "hadn't": "had not",
    "couldn't": "could not", "couldnt": "could not", "shouldn't": "should not",
    "shouldnt": "should not", "wouldn't": "would not", "ain't": "is not", "aint": "is not",
    "i'm": "i am", "im": "i am", "i've": "i have", "ive": "i have", "i'd": "i would",
    "i'll": "i will", "it's": "it is", "its": "it is", "that's": "that is", "thats": "that is",
    "there's": "there is", "what's": "what is", "whats": "what is", "they're": "they are",
    "you're": "you are", "he's": "he is", "she's": "she is", "let's": "let us",
    "gonna": "going to", "gunna": "going to", "wanna": "want to", "gotta": "got to",
    "kinda": "kind of", "sorta": "sort of", "outta": "out of", "lotta": "lot of",
    "dunno": "do not know", "idk": "i do not know", "idek": "i do not know",
    "u": "you", "ya": "you", "r": "are", "ur": "your", "yr": "your", "n": "and", "nd": "and",
    "b": "be", "pls": "please", "plz": "please", "plse": "please", "rn": "right now",
    "cuz": "because", "coz": "because", "cos": "because", "bc": "because", "bcoz": "because",
    "tho": "though", "thru": "through", "abt": "about", "w": "with", "wiv": "with",
    "v": "very", "rly": "really", "realy": "really", "sooo": "so", "soo": "so", "prob": "probably",
    "probs": "probably", "def": "definitely", "defo": "definitely", "smth": "something",
    "sth": "something", "sumthin": "something", "somethin": "something", "abit": "a bit",
    "alot": "a lot", "b4": "before", "2day": "today", "2nite": "tonight", "tonite": "tonight",
    "2moro": "tomorrow", "2morrow": "tomorrow",
    "2mrw": "tomorrow", "gr8": "great", "l8r": "later", "tmrw": "tomorrow", "tmr": "tomorrow",
    "yday": "yesterday", "ystd": "yesterday", "yest": "yesterday", "hrs": "hours", "hr": "hour",
    "mins": "minutes", "min": "minutes", "wks": "weeks", "wk": "week", "dr": "doctor",
    "doc": "doctor", "gp": "doctor", "wat": "what", "wot": "what", "wht": "what", "thx": "thanks",
    "ty": "thanks", "okay": "ok", "k": "ok", "kk": "ok", "ppl": "people",
    "brth": "breath", "brethe": "breathe", "breath'": "breath", "breathin": "breathing",
    "tummys": "tummy", "shud": "should", "shld": "should", "cud": "could", "wud": "would",
    "ma": "my", "mi": "my", "hav": "have", "hv": "have", "av": "have", "bn": "been",
    "fel": "felt", "gettin": "getting", "nite": "night", "nites": "nights",
    "feelin": "feeling", "goin": "going", "somethings": "something is",
    "y'all": "you all", "x": "", "xx": "", "xxx": "", "lol": "", "omg": "oh my god",
    # Scots and northern English
    "cannae": "cannot", "canna": "cannot", "cannay": "cannot", "dinnae": "do not", "dinna": "do not",
    "didnae": "did not", "disnae": "does not", "isnae": "is not", "wasnae": "was not",
    "couldnae": "could not", "wouldnae": "would not", "havnae": "have not", "hasnae": "has not",
    "willnae": "will not", "wullnae": "will not", "nae": "no", "jag": "jab", "jags": "jabs",
    "jagged": "jabbed", "mam": "mum", "mammy": "mum", "aye": "yes", "wean": "child",
}  # fmt: skip

# English words the frequency list lacks, kept as they are (never "corrected" to a sign).
_ALSO_ENGLISH = frozenset({"skinful", "sellotape", "selotape", "cellotape", "plaster", "plasters", "nettle"})


# "2" and "4" as words: "hard 2 breathe", "2 today", "4 days".
_AFTER_TO = {
    "breathe", "breath", "breathing", "swallow", "talk", "speak", "walk", "stand", "move", "faint",
    "pass", "be", "get", "go", "do", "take", "inject", "see", "stop", "keep", "sleep", "think",
    "touch", "catch", "the", "my", "me", "you", "use", "call", "ask", "double", "worry",
}  # fmt: skip
_AFTER_TOO = {"much", "many", "little", "late", "early", "soon", "bad", "big", "sore", "painful"}
_AFTER_FOR = {"you", "me", "a", "the", "my", "it", "this", "that", "ages", "sure", "now", "some"}

_DIGIT_WORDS = (
    r"\b(?:2day|2nite|2moro|2morrow|2mrw|b4|gr8|l8r)\b"  # text-speak starting with a digit: one word
)
_TOKEN = re.compile(_DIGIT_WORDS + r"|\d+(?:[.,/]\d+)?|[a-z]+(?:'[a-z]+)*|[.!?;,:]|\n")
_TRIPLE = re.compile(r"([a-z])\1{2,}")
_CLITIC = re.compile(r"([a-z]+)'(s|re|ve|ll|d|m)")
_CLITICS = {"s": "is", "re": "are", "ve": "have", "ll": "will", "d": "would", "m": "am"}


@cache
def _english() -> frozenset[str]:
    """symspellpy's English frequency dictionary (82,765 words), as a set."""
    text = resources.files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt")
    return frozenset(line.split(" ", 1)[0] for line in text.read_text(encoding="utf-8").splitlines())


@dataclass(frozen=True)
class Vocabulary:
    """The words triage knows, each with a weight: between two equally close corrections, the one
    for the more serious sign wins ("weezing" is wheezing, not weeping)."""

    weights: tuple[tuple[str, int], ...]

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(word for word, _ in self.weights)

    def __contains__(self, word: object) -> bool:
        return word in self.words


@cache
def _speller(vocabulary: Vocabulary) -> SymSpell:
    speller = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for word, weight in vocabulary.weights:
        speller.create_dictionary_entry(word, weight)
    return speller


def correct(word: str, vocabulary: Vocabulary) -> str:
    """The vocabulary word a misspelt `word` stands for, or `word` itself."""
    if (
        len(word) < 4
        or not word.isalpha()
        or word in vocabulary
        or word in _english()
        or word in _ALSO_ENGLISH
    ):
        return word
    distance = 1 if len(word) <= 5 else 2
    found = _speller(vocabulary).lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
    if not found:
        return word
    # equally close: two letters swapped is the likeliest slip ("tsings" is stings, not things),
    # then the word of the more serious sign
    best = max(found, key=lambda s: (_swapped(word, s.term), s.count))
    return str(best.term)


def _swapped(a: str, b: str) -> bool:
    """Are `a` and `b` the same but for two neighbouring letters swapped?"""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _shrink(word: str, vocabulary: Vocabulary) -> str:
    """'soooo' -> 'so', 'swolllen' -> 'swollen', 'sweeeling' -> 'sweeling' (then spelt)."""
    if not _TRIPLE.search(word):
        return word
    double = _TRIPLE.sub(r"\1\1", word)
    single = _TRIPLE.sub(r"\1", word)
    for candidate in (double, single):
        if candidate in vocabulary or candidate in _english() or candidate in _EXPAND:
            return candidate
    return double


def tokens(text: str, vocabulary: Vocabulary) -> list[str]:
    """Normalised tokens: words, numbers, "." for a sentence break and "," for a comma."""
    cleaned = unicodedata.normalize("NFKC", text)
    for emoji, word in _EMOJI.items():
        cleaned = cleaned.replace(emoji, word)
    cleaned = re.sub(r"\bIM\b", " intramuscular ", cleaned)  # the route, before "im" = "i am"
    cleaned = cleaned.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    cleaned = re.sub(r"[&+]", " and ", cleaned)
    cleaned = re.sub(r"\bw/o\b", " without ", cleaned)
    cleaned = re.sub(r"\bw/", " with ", cleaned)
    cleaned = re.sub(r"\ba\s*&\s*e\b|\ba and e\b", " emergency department ", cleaned)
    cleaned = re.sub(r"\b(my|the|me) through\b", r"\1 throat", cleaned)  # a typo that is a word
    raw = _TOKEN.findall(cleaned)
    out: list[str] = []
    for i, token in enumerate(raw):
        if token in {"!", "?", ";", "\n", "."}:
            out.append(BREAK)
            continue
        if token == ":":
            out.append(",")
            continue
        token = token.strip("'")
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        if token == "2" and nxt in _AFTER_TO:
            token = "to"
        elif token == "2" and nxt in _AFTER_TOO:
            token = "too"
        elif token == "4" and nxt in _AFTER_FOR:
            token = "for"
        token = _shrink(token, vocabulary)
        token = _EXPAND.get(token, token)
        if token not in _EXPAND.values() and (m := _CLITIC.fullmatch(token)):
            token = f"{m[1]} {_CLITICS[m[2]]}"  # "breathing's" -> "breathing is"
        if " " in token or not token:
            out.extend(token.split())
            continue
        word = correct(token, vocabulary)
        if word == "not" and out and out[-1] == "can":
            out[-1] = "cannot"  # "can not"
            continue
        out.append(word)
    return out


def join(words: Iterable[str]) -> str:
    return " ".join(words)
