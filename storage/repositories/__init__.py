"""Repositories: queries and writes that only flush; the caller's unit of work commits."""
