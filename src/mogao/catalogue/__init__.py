"""The catalogue: institutions, collections, works, items, joins, canvases, transcriptions."""
