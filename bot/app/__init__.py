"""Process and operations: composition root, settings, runner, web, CLI, demo."""
