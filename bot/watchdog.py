"""systemd's watchdog: with `Type=notify` and `WatchdogSec=`, the bot says READY=1 once it is up,
then WATCHDOG=1 from its event loop every third of the watchdog time. A process whose loop is
stuck (frozen, blocked on a stalled call) stops saying it, and systemd restarts it. Without
NOTIFY_SOCKET (not under systemd) this does nothing; containers use the heartbeat file."""

from __future__ import annotations

import asyncio
import logging
import os
import socket

log = logging.getLogger(__name__)


def notify(message: str) -> bool:
    """Send one sd_notify message; False when not under systemd (or it failed)."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
    except OSError as exc:
        log.warning("sd_notify failed error=%s", type(exc).__name__)
        return False
    return True


def interval() -> float | None:
    """Seconds between pings (a third of WATCHDOG_USEC), or None without a watchdog."""
    usec = os.environ.get("WATCHDOG_USEC", "")
    pid = os.environ.get("WATCHDOG_PID", "")
    if not usec.isdecimal() or (pid.isdecimal() and int(pid) != os.getpid()):
        return None
    return int(usec) / 1_000_000 / 3


async def keep_alive(every: float) -> None:
    """Ping from the event loop itself: only a loop that runs can ping."""
    while True:
        notify("WATCHDOG=1")
        await asyncio.sleep(every)
