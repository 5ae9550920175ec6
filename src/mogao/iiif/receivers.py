"""Signal receivers of mogao.iiif: build missing pyramids once the demo data is loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.dispatch import receiver

from mogao.core.hooks import demo_loaded
from mogao.iiif.services import image_build_missing


@receiver(demo_loaded)
def build_demo_pyramids(
    sender: Any, verbosity: int = 1, echo: Callable[[str], Any] | None = None, **kwargs: Any
) -> None:
    """Build the pyramid of every registered image that has none yet (synchronously)."""
    built = image_build_missing(echo=echo if verbosity > 1 else None)
    if echo is not None and built:
        echo(f"Image pyramids built: {built}")
