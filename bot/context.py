"""The long-lived services, and the typed handler context that reaches them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.leader import Leadership
from bot.services.care import Care
from bot.services.care_alerts import CareAlerts
from bot.services.conversations import Conversations
from bot.services.delivery import ReminderService
from bot.services.dosing import Dosing
from bot.services.monitoring import Monitor
from bot.services.patients import Patients
from bot.services.photos import Photos
from bot.services.pictures import Pictures
from bot.services.safety import Safety
from bot.services.timer import ReminderTimer
from storage.repositories import Repositories

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sync_engine: Engine  # APScheduler's job store
    repo: Repositories  # for the services, the start-up and the tests: handlers go through services
    timer: ReminderTimer
    patients: Patients
    conversations: Conversations
    dosing: Dosing
    safety: Safety
    monitor: Monitor
    pictures: Pictures
    reminders: ReminderService
    leadership: Leadership
    clock: Callable[[], datetime]
    care: Care
    care_alerts: CareAlerts
    photos: Photos


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with typed access to the services built in `build_application`."""

    @property
    def services(self) -> Services:
        return services_of(self.application)


def services_of(app: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    found = app.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
