"""The front of the library: what the home page shows (curated featured items, ways to explore)."""
