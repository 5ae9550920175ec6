"""Signals through which apps join shared workflows without importing each other.

- ``demo_loaded``: sent by ``mogao demo`` after the records are loaded; apps build what depends
  on them (image derivatives, search index). Receivers take ``verbosity`` and ``echo``.
"""

from __future__ import annotations

from django.dispatch import Signal

demo_loaded = Signal()
