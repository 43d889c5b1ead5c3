"""Models, repositories that only flush, migrations: the database and nothing above it."""
