"""Browser tests: the fixtures (``browser``, ``page``, ``axe``) live in tests/conftest.py."""
