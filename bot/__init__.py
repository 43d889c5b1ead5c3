"""copbot: a Telegram bot for teachers' Communities of Practice (README: "Where things are")."""
