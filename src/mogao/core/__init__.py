"""Pieces every Mogao app shares: language maps, the site context, tasks after commit."""
