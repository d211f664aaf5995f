"""Pure domain logic: plans, schedules, rotation, parsing. No Telegram, no database, no clock."""
