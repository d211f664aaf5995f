"""Thin Telegram handlers, one module per conversation: parse the update, call a use-case, word
the reply. No handler imports another; `bot.routing` decides which one gets an update."""
