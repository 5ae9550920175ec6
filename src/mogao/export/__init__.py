"""Bulk export to JSON Lines, CSV and BagIt, and the JSON Lines re-import (see docs/export.md)."""
