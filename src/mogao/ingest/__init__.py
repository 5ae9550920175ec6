"""Ingest: sources, validation, idempotent loading, reports and tasks."""
