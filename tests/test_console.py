"""`python -m bot console`: a scripted patient walks through setup, a reminder and a Done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = [
    "/start", "1", "1", "1 mL", "1",  # cyanocobalamin 1000 mcg/mL, 1 mL (typed), under the skin
    "4", "1", "3",  # build my own: every day, until my clinician says
    "8am", "Berlin", "7",  # time, zone, default sites
    "Dr Rivera", "+44 20 7946 0000", "1", "1",  # clinician; first dose today 08:00; it matches
    "2", "2", "1", "1", "8",  # baseline: mild, mild, none, none; no weekly check-in
    "/clock +59m",  # 07:59 Berlin: nothing yet
    "/clock +1m",  # 08:00: the dose message
    "1", "1",  # Done, at the suggested site
    "/chart",
    "7",  # the picture has no buttons: a typed 7 is text, not a press on an older message
    "/clock 2026-12-02 08:00",
    "99",  # no such button: typed as text
    "/photo arm.png left thigh red",  # a picture from this computer, with a caption
    "4",  # no details
    "/switch",  # a second person: a wrong invite link pasted, as if tapped
    "https://t.me/b12bot_console?start=care-AAAAAAAAAAAAAAAAAAAAAA",
    "/quit",
]  # fmt: skip


def test_console_walks_through_setup_a_reminder_and_a_done(tmp_path: Path) -> None:
    from tests.harness import png

    (tmp_path / "arm.png").write_bytes(png())
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--database", str(tmp_path / "console.sqlite3"),
         "--files", str(tmp_path / "files"), "--start", "2026-12-01 06:00"],
        input="\n".join(SCRIPT) + "\n", capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "BOT_TOKEN": "", "DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/x"},
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "[1] Cyanocobalamin  [2] Hydroxocobalamin  [3] Methylcobalamin  [4] Other" in out
    assert "Your first dose: today 08:00, at Abdomen left." in out
    before, after = out.split("you> /clock +1m")
    assert "Time for your B12 injection" not in before
    assert "bot (Tue 08:00)> 💉 Time for your B12 injection." in after
    assert "✅ Recorded: Abdomen left, today 08:00." in after
    saved = [line for line in after.splitlines() if "[file saved:" in line]
    assert len(saved) == 1 and saved[0].strip().endswith("b12-chart.png]")
    assert (tmp_path / "files").is_dir() and any((tmp_path / "files").glob("*-b12-chart.png"))
    assert "you> 99\nbot (Wed 08:00)> Sorry, I didn't catch that." in after  # typed, not a press
    assert "you> 7\nbot (Tue 08:00)> Sorry, I didn't catch that." in after
    assert "bot (Wed 08:00)> 💉 Time for your B12 injection." in after  # the next day's dose
    assert "(it is now Wed 02 Dec 2026 08:00 (Europe/Berlin))" in after
    assert "bot (Wed 08:00)> Thanks, I've recorded it: redness at Thigh left." in after
    assert "bot (Wed 08:00)> 📷 I've kept your photo with this report" in after
    assert "bot → Sam (Wed 08:00)> That invite link doesn't work." in after
