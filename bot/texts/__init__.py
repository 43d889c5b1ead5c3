"""Every sentence the bot says, one module per feature (named as its service)."""
