"""Photos of a reaction through the real Application: part of a report (never triaged by
themselves), downloaded once with getFile, shown in /reports, printed in the clinician's PDF,
erased by /delete."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from bot import texts
from storage.models import ReportPhoto, SideEffectReport
from tests.fake_telegram import BotApiFake
from tests.flows import set_up
from tests.harness import Chat, Harness, png, sqlite_url


async def photos_kept(bot: Harness) -> list[ReportPhoto]:
    async with bot.services.repo.sessions() as s:
        return list(await s.scalars(select(ReportPhoto).order_by(ReportPhoto.id)))


async def reports(bot: Harness) -> list[SideEffectReport]:
    async with bot.services.repo.sessions() as s:
        return list(await s.scalars(select(SideEffectReport).order_by(SideEffectReport.id)))


async def patient(bot: Harness) -> Chat:
    chat = bot.chat(1001, "Pat")
    await set_up(chat)
    return chat


async def test_a_caption_is_triaged_like_typed_words_and_the_photo_kept_with_its_report(
    bot: Harness, api: BotApiFake
) -> None:
    chat = await patient(bot)
    picture = png("left-thigh")
    replies = await chat.send_photo(picture, caption="my left thigh is red and itchy")
    assert replies[0].text.startswith("Thanks, I've recorded it: redness and itching at Thigh left.")
    assert replies[1].text == texts.PHOTO_KEPT  # after the advice, before any question
    assert "I can't look at photos myself" in replies[1].text
    assert replies[2].text.endswith(texts.ASK_SEVERITY)  # the details go on as for typed words
    [report] = await reports(bot)
    [photo] = await photos_kept(bot)
    assert (photo.report_id, photo.data, photo.size) == (report.id, picture, len(picture))
    assert report.words == "my left thigh is red and itchy" and report.level == "watch"
    assert api.downloads == ["photos/file_1.jpg"]  # getFile, then the file: once


async def test_without_a_caption_the_photo_asks_what_it_shows_and_is_never_triaged_alone(
    bot: Harness,
) -> None:
    chat = await patient(bot)
    [question] = await chat.send_photo()
    assert question.text == texts.PHOTO_ASK and "I can't look at photos" in question.text
    assert "Redness" in " ".join(question.buttons) and question.buttons[-1] == "Done"
    assert await reports(bot) == [] and await photos_kept(bot) == []  # nothing decided from a picture
    await chat.press("Redness")
    await chat.press("Swelling")
    advice, kept, *_ = await chat.press("Done")
    assert advice.text.startswith("Thanks, I've recorded it: redness and swelling.")
    assert kept.text == texts.PHOTO_KEPT
    [report] = await reports(bot)
    [photo] = await photos_kept(bot)
    assert photo.report_id == report.id and report.signs == ["redness", "swelling"]


async def test_a_photo_while_a_report_is_open_joins_it_and_its_caption_is_a_detail(bot: Harness) -> None:
    chat = await patient(bot)
    await chat.send("/report")
    await chat.press("Lump")
    await chat.press("Done")  # advice, then "Where?"
    assert chat.last_reply().text.endswith(texts.ASK_WHERE)
    replies = await chat.send_photo(caption="right tummy")
    assert replies[0].text == texts.PHOTO_ADDED
    assert replies[-1].text == texts.ASK_SEVERITY  # the caption answered "where?"
    await chat.send_photo()  # a second one, no caption: joins the same report
    [report] = await reports(bot)
    assert report.site == "Abdomen right"
    assert [p.report_id for p in await photos_kept(bot)] == [report.id, report.id]


async def test_a_later_photo_goes_to_the_open_report_it_is_about_and_reports_shows_it(
    bot: Harness, api: BotApiFake
) -> None:
    chat = await patient(bot)
    await chat.send("my left thigh is a bit red")
    await chat.press("Skip")
    [question] = await chat.send_photo()
    assert "📎 It's about: redness at Thigh left" in question.buttons
    await chat.press("It's about: redness at Thigh left")
    assert chat.last_reply().text == texts.added_to("redness at Thigh left")
    first = await chat.send_photo(png(color=(10, 200, 10)), album="a1")  # an album: answered once
    second = await chat.send_photo(png(color=(10, 10, 200)), album="a1")
    assert [m.text for m in first] == [texts.PHOTO_ASK] and second == []
    await chat.press("It's about: redness at Thigh left")
    listing = await chat.send("/reports")
    assert "redness at Thigh left – watching, open (📷 3)" in listing[0].text
    shown = [m for m in listing if m.file_id]
    assert len(shown) == 3 and all(m.file_id in api.files for m in shown)  # sent again by file id
    assert shown[0].text.endswith("redness at Thigh left")


async def test_an_emergency_caption_gets_the_instruction_first_and_the_photo_kept(bot: Harness) -> None:
    chat = await patient(bot)
    replies = await chat.send_photo(caption="my lips are swelling up and my throat feels tight")
    assert replies[0].text == texts.emergency("112")  # the emergency lane reads captions too
    assert texts.PHOTO_KEPT in [m.text for m in replies]
    [report] = await reports(bot)
    assert report.level == "emergency" and len(await photos_kept(bot)) == 1


async def test_a_picture_over_the_size_cap_is_refused_politely(bot: Harness) -> None:
    chat = await patient(bot)
    [reply] = await chat.send_photo(as_file=True, size=6 * 1024 * 1024)
    assert reply.text == texts.photo_too_big(5)
    assert await reports(bot) == [] and await photos_kept(bot) == []


async def test_the_clinician_summary_prints_the_latest_photo_of_an_open_reaction(bot: Harness) -> None:
    chat = await patient(bot)
    await chat.send_photo(png(size=(120, 90)), caption="left thigh red and sore")
    await chat.press("Skip")
    await chat.send("/export")
    pdf = next(m.file_bytes for m in chat.messages() if m.file_name == "b12bot-summary.pdf")
    page = PdfReader(io.BytesIO(pdf or b"")).pages[0]
    assert len(page.images) >= 1  # the photo, drawn beside its words
    assert "Photos of open or recent reactions" in page.extract_text()
    assert "no injections, check-ins or blood tests recorded yet" in page.extract_text()
    assert "1970" not in page.extract_text()  # no empty chart with a time axis from nowhere
    export = next(m.file_bytes for m in chat.messages() if m.file_name == "b12bot-export.json")
    assert b'"data_base64"' in (export or b"")  # the export holds the photo too


def files_under(folder: Path) -> list[tuple[Path, bytes]]:
    return [(file, file.read_bytes()) for file in folder.rglob("*.sqlite3*")]


async def test_delete_leaves_no_photo_in_the_sqlite_files(
    api: BotApiFake, tmp_path: Path, clock: Any
) -> None:
    bot = Harness(api, sqlite_url(tmp_path), clock)
    await bot.start()
    try:
        chat = await patient(bot)
        await chat.send_photo(png("zorblaxphoto"), caption="left thigh red")
        assert len(await photos_kept(bot)) == 1
        await chat.send("/delete")
        await chat.press("Erase everything")
        assert chat.last_reply().text == texts.DELETED
        assert await photos_kept(bot) == []
        for file, content in await asyncio.to_thread(files_under, tmp_path):
            assert b"zorblaxphoto" not in content, f"the photo is still in {file.name}"
    finally:
        await bot.stop()
