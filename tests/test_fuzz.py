"""Fuzzing every handler and every button: random text, long and odd messages, junk commands,
forged callback data. Nothing may escape as an exception, nothing may change, and every update
gets a short, friendly answer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot import texts
from bot.domain.triage import assess
from storage.models import Base, ClinicianNudge, Dose, SideEffectReport
from tests.fake_telegram import BotApiFake, SentMessage
from tests.flows import set_up
from tests.harness import Chat, Harness, sqlite_url

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
COMMANDS = ["/help", "/plan", "/next", "/history", "/cancel", "/report", "/reports", "/sites",
            "/settings", "/pause", "/resume", "/timezone", "/phase", "/calendar", "/export", "/delete",
            "/frobnicate"]  # fmt: skip
PREFIXES = ["d", "s", "m", "p", "r", "f", "n", "x", "t", "zz", ""]
ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=4096
)
RTL_AND_EMOJI = st.sampled_from(["مرحبا", "שלום", "💉✅🤒", "‮reversed‭", "\u200b", "ok 👍 done?"])


class Errors(logging.Handler):
    """Collects the bot's 'handler failed' records: an exception that escaped a handler."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[asyncio.AbstractEventLoop, Harness]]:
    loop = asyncio.new_event_loop()
    with time_machine.travel(START, tick=False) as traveller:
        bot = Harness(BotApiFake(), sqlite_url(tmp_path), traveller)
        loop.run_until_complete(bot.start())
        try:
            yield loop, bot
        finally:
            loop.run_until_complete(bot.stop())
            loop.close()


async def database_state(bot: Harness) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (update ids aside: they hold nothing about anyone)."""
    state = {}
    async with bot.services.repo.sessions() as s:
        for table in Base.metadata.sorted_tables:
            if table.name != "processed_update":
                state[table.name] = [tuple(row) for row in (await s.execute(select(table))).all()]
    return state


async def other_patients_ids(bot: Harness, chat_id: int) -> list[int]:
    async with bot.services.repo.sessions() as s:
        ids: list[int] = []
        for model in (Dose, SideEffectReport, ClinicianNudge):
            ids += list(await s.scalars(select(model.id).where(model.patient_id != chat_id)))
        return ids


def answered(api: BotApiFake, chat: Chat, before_out: int, before_answers: int) -> bool:
    replies = [m for m in api.outbox[before_out:] if m.chat_id == chat.chat_id]
    return bool(replies) or len(api.callback_answers) > before_answers


def test_fuzzed_text_commands_and_buttons_change_nothing(
    running: tuple[asyncio.AbstractEventLoop, Harness],
) -> None:
    loop, bot = running
    api = bot.api
    patient, other, stranger = bot.chat(1), bot.chat(2, "Sam"), bot.chat(3, "Eve")
    loop.run_until_complete(set_up(patient))
    loop.run_until_complete(set_up(other))
    loop.run_until_complete(bot.advance_to(datetime(2026, 3, 3, 7, 1, tzinfo=UTC)))  # doses are due
    loop.run_until_complete(other.send("hives all over"))  # Sam now has a report and a nudge
    foreign = loop.run_until_complete(other_patients_ids(bot, 1))
    target: SentMessage = patient.last_reply()
    baseline = loop.run_until_complete(database_state(bot))
    errors = Errors()
    logging.getLogger("bot").addHandler(errors)
    try:

        @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
        @given(
            st.one_of(
                ODD_TEXT,
                RTL_AND_EMOJI,
                st.builds(lambda c, t: f"{c} {t}", st.sampled_from(COMMANDS), ODD_TEXT),
            )
        )
        def stranger_types(text: str) -> None:
            reading = assess(text)
            assume(reading.level is None and not reading.reading.symptom_like)  # reports are kept on purpose
            assume(not text.startswith("/start"))
            assume(text.split(" ")[0] != "/report")  # opens a report's questions for anyone: legit
            out, answers = len(api.outbox), len(api.callback_answers)
            loop.run_until_complete(stranger.send(text))
            assert answered(api, stranger, out, answers)
            reply = api.outbox[-1].text
            assert len(reply) < 1200 and "Traceback" not in reply

        @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
        @given(
            st.one_of(
                st.text(min_size=0, max_size=64),
                st.binary(min_size=1, max_size=64).map(lambda b: b.decode("latin-1")),
                st.builds(
                    lambda prefix, parts: ":".join([prefix, *parts]),
                    st.sampled_from(PREFIXES),
                    st.lists(
                        st.one_of(st.sampled_from([str(i) for i in foreign] + ["999999", "-1", "0"]),
                                  st.sampled_from(["done", "site", "skip", "snz", "why", "better", "worse",
                                                   "later", "what", "sev", "ok", "yes", "rm", "hu"]),
                                  st.text(max_size=8)),
                        max_size=4,
                    ),
                ),
            )
        )  # fmt: skip
        def patient_presses(data: str) -> None:
            assume(len(data.encode()) <= 64)
            head = data.split(":")
            assume(head[0] not in {"t", "m", "p"})  # the patient's own settings/menu/report: legit
            assume(not (head[0] in {"d", "f", "n", "c"} and len(head) > 1 and head[1].isdecimal()
                        and int(head[1]) not in foreign))  # fmt: skip  # own records: legit actions
            out, answers = len(api.outbox), len(api.callback_answers)
            loop.run_until_complete(patient.press_data(target, data))
            assert answered(api, patient, out, answers)

        stranger_types()
        patient_presses()
        for text in ("x" * 4096, "done " + "left " * 800, "/history " + "🤒" * 1000, "ي" * 4000):
            loop.run_until_complete(patient.send(text))
            assert len(patient.last_reply().text) < 1200
    finally:
        logging.getLogger("bot").removeHandler(errors)
    after = loop.run_until_complete(database_state(bot))
    changed = [t for t in after if after[t] != baseline[t]]
    assert not changed, f"fuzzed input changed {changed}"
    assert not errors.records, [r.getMessage() for r in errors.records]
    assert texts.TRY_AGAIN_LATER not in [m.text for m in api.outbox]
