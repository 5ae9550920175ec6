"""The reading room: image and text aligned, glosses, translations, corrections, citations, downloads."""
