"""Ingest sources: CSV, JSON / JSON Lines, IIIF manifests, OAI-PMH endpoints and image folders."""
