"""IIIF Presentation 3.0: manifests, collections and reunification manifests built from the catalogue.

The builders (``manifests``, ``collections``, ``joins``) are pure functions from catalogue objects to
JSON-ready dicts; ``selectors`` fetches what they need; ``downloads`` serves page images and PDFs
within an item's rights.
"""
