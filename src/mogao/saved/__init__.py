"""Personal collections of readers: saved items, pages and image regions with notes (#15)."""
