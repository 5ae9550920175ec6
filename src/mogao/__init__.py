"""Mogao: an open, multilingual smart library for ancient books and manuscripts."""
