"""Rendering that is not Telegram: HTML escaping, callback data, charts, calendar, documents."""
