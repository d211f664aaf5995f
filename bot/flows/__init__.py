"""Conversations as pure state machines: a typed draft in, the next question (text and buttons)
out. No Telegram calls, no database: the handlers store the draft and send the question."""
