"""Run `python -m bot` with its clock shifted: `python tests/bot_at.py OFFSET_SECONDS`.

For process tests: several processes started with the same offset share one virtual clock that
ticks at real speed, so "08:00 is 20 seconds away" needs no real minutes of waiting.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

import time_machine

if __name__ == "__main__":
    offset = float(sys.argv[1])
    time_machine.travel(datetime.now(UTC) + timedelta(seconds=offset), tick=True).start()
    from bot.__main__ import main

    sys.exit(main([]))
