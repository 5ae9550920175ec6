"""Tests of the IIIF Image API core, web adapter, services and CLI."""
