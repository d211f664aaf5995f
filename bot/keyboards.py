"""Inline keyboards and the callback-data codec.

Callback data is `<prefix>:<part>:<part>...`, at most 64 bytes (Telegram's limit). Nothing in it
is trusted: handlers check every id against the pressing patient's own records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import buttons as button_words

MAX_CALLBACK_BYTES = 64
Markup = dict[str, list[list[dict[str, str]]]]  # an inline keyboard as the Bot API's JSON
DOSE = "d"  # d:<dose_id>:<action>[:<arg>]
SETUP = "s"  # s:<field>:<value>
MENU = "m"  # m:<action>
PROBLEM = "p"  # p:<dose_id or 0>: start a side-effect report
REPORT = "r"  # r:<step>:<value>: the report conversation
FOLLOW_UP = "f"  # f:<report_id>:<better|same|worse>
NUDGE = "n"  # n:<nudge_id>:<done|later>
SCREEN = "q"  # q:<breathing|face|faint|infection|none>: the red-flag screen
CLOSE = "c"  # c:<report_id>: close a report (/reports)
CARRY_ON = "h"  # h:ok: the clinician says to carry on after an allergy-level report
SITES = "t"  # t:<action>[:<value>]: /sites and /settings
SYMPTOMS = "y"  # y:q:<answers so far>, y:skip, y:note:<id>, y:day:<0-6|off>, y:at:<day>:<HHMM>, y:rw:<weeks>
LABS = "l"  # l:<action>[:<value>]: /labs
SUPPLIES = "v"  # v:<action>[:<value>]: /supplies
PHOTO = "k"  # k:t:<sign>, k:done, k:add:<report_id>: what a photo shows
CARE = "g"  # g:<action>[:<link_id>[:<value>]]: /caregiver, an invite opened, /stop
PREFIXES = frozenset(
    {
        DOSE,
        SETUP,
        MENU,
        PROBLEM,
        REPORT,
        FOLLOW_UP,
        NUDGE,
        SCREEN,
        CLOSE,
        CARRY_ON,
        SITES,
        SYMPTOMS,
        LABS,
        SUPPLIES,
        PHOTO,
        CARE,
    }
)


@dataclass(frozen=True)
class Callback:
    prefix: str
    parts: tuple[str, ...]

    def part(self, index: int) -> str:
        return self.parts[index] if index < len(self.parts) else ""

    def int_part(self, index: int) -> int | None:
        value = self.part(index)
        return int(value) if value.isdecimal() and len(value) < 12 else None


def encode(prefix: str, *parts: object) -> str:
    data = ":".join([prefix, *(str(p) for p in parts)])
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError("callback data over 64 bytes")
    return data


def decode(data: str | None) -> Callback | None:
    """The parsed callback, or None for anything malformed."""
    if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    prefix, *parts = data.split(":")
    if prefix not in PREFIXES or not parts:
        return None
    return Callback(prefix, tuple(parts))


def _button(label: str, prefix: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(prefix, *parts))


def rows(buttons: Sequence[InlineKeyboardButton], per_row: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)])


# --- dose ---------------------------------------------------------------------------------------


REPORT_LABEL = button_words.REPORT_PROBLEM


def _json(layout: list[list[tuple[str, str]]]) -> Markup:
    rows = [[{"text": text, "callback_data": data} for text, data in row] for row in layout]
    return {"inline_keyboard": rows}


def _took_it(dose_id: int) -> list[tuple[str, str]]:
    return [(button_words.TOOK_IT, encode(DOSE, dose_id, "took"))]


def took_it(dose_id: int) -> Markup:
    """Under the note of a dose marked missed: it was given after all (then: which site?)."""
    return _json([_took_it(dose_id)])


def dose_actions(dose_id: int, carry_on: str | None = None, took: int | None = None) -> Markup:
    """Done / Snooze / Skip / Report; with `carry_on` (its label) first, after an allergy-level
    report: "My clinician says carry on". As the Bot API's JSON: only reminders carry it, and
    they are sent in bulk (`bot/services/sending.py`)."""
    first = [[(carry_on, encode(CARRY_ON, "ok"))]] if carry_on else []
    layout = [
        *first,
        [(button_words.DOSE_DONE, encode(DOSE, dose_id, "done"))],
        [
            (button_words.SNOOZE, encode(DOSE, dose_id, "snz")),
            (button_words.SKIP, encode(DOSE, dose_id, "skip")),
        ],
        [(REPORT_LABEL, encode(PROBLEM, dose_id))],
        *([_took_it(took)] if took is not None else []),  # a dose marked missed just now
    ]
    return _json(layout)


def plain(markup: InlineKeyboardMarkup | None) -> Markup | None:
    """An inline keyboard of callback buttons as the Bot API's JSON (cheaper than `to_dict`)."""
    if markup is None:
        return None
    return {
        "inline_keyboard": [
            [{"text": button.text, "callback_data": str(button.callback_data)} for button in row]
            for row in markup.inline_keyboard
        ]
    }


def problem_button(dose_id: int = 0) -> InlineKeyboardMarkup:
    """The 'Report a problem' button under a confirmation."""
    return InlineKeyboardMarkup([[_button(REPORT_LABEL, PROBLEM, dose_id)]])


def follow_up_buttons(report_id: int) -> InlineKeyboardMarkup:
    return rows(
        [_button(label, FOLLOW_UP, report_id, value) for value, label in button_words.FOLLOW_UP],
        3,
    )


def nudge_buttons(nudge_id: int) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(button_words.CONTACTED_THEM, NUDGE, nudge_id, "done"),
            _button(button_words.REMIND_LATER, NUDGE, nudge_id, "later"),
        ],
        1,
    )


SNOOZE_MINUTES = (15, 30, 60)


def snooze_choices(dose_id: int) -> InlineKeyboardMarkup:
    return rows([_button(button_words.SNOOZE_LABELS[m], DOSE, dose_id, "snz", m) for m in SNOOZE_MINUTES], 3)


def skip_reasons(dose_id: int, reasons: Sequence[str]) -> InlineKeyboardMarkup:
    buttons = [_button(r, DOSE, dose_id, "why", i) for i, r in enumerate(reasons)]
    buttons.append(_button(button_words.SOMETHING_ELSE, DOSE, dose_id, "why", "other"))
    return rows(buttons, 1)


# --- setup --------------------------------------------------------------------------------------


def choices(
    field: str, options: Sequence[tuple[str, str]], per_row: int = 1, prefix: str = SETUP
) -> InlineKeyboardMarkup:
    """One button per (value, label) for a question of a conversation (`prefix`)."""
    return rows([_button(label, prefix, field, value) for value, label in options], per_row)


def toggles(
    field: str,
    options: Sequence[tuple[str, str]],
    selected: set[str],
    per_row: int = 2,
    prefix: str = SETUP,
) -> InlineKeyboardMarkup:
    buttons = [
        _button(("✅ " if value in selected else "▫️ ") + label, prefix, field, value)
        for value, label in options
    ]
    markup = rows(buttons, per_row)
    done = [_button(button_words.DONE, prefix, field, "done")]
    return InlineKeyboardMarkup([*markup.inline_keyboard, done])


def menu(options: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    return rows([_button(label, MENU, action) for action, label in options], 1)


# --- monitoring ---------------------------------------------------------------------------------


def symptom_levels(answers: str, labels: Sequence[str], *, skip: bool = False) -> InlineKeyboardMarkup:
    """None / Mild / Moderate / Severe for the next symptom; each carries the answers so far."""
    markup = rows([_button(label, SYMPTOMS, "q", f"{answers}{i}") for i, label in enumerate(labels)], 2)
    if not skip:
        return markup
    return InlineKeyboardMarkup(
        [*markup.inline_keyboard, [_button(button_words.SKIP_THIS_WEEK, SYMPTOMS, "skip")]]
    )


def note_button(checkin_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(button_words.ADD_NOTE, SYMPTOMS, "note", checkin_id)]])


def actions(prefix: str, options: Sequence[tuple[str, str]], per_row: int = 1) -> InlineKeyboardMarkup:
    """One button per (action, label) for a monitoring command (`prefix`)."""
    return rows([_button(label, prefix, *action.split(":")) for action, label in options], per_row)


# The time zones offered as buttons (any other is typed: a city or a zone name).
COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Asia/Kolkata",
)
