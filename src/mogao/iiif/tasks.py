"""Background tasks of the image store, queued after commit by :mod:`mogao.iiif.services`."""

from __future__ import annotations

from django_tasks import task

from mogao.iiif.services import image_build_pyramid


@task(queue_name="images")
def build_pyramid_task(identifier: str) -> None:
    """Build the pyramidal TIFF of ``identifier`` (no-op when it already exists)."""
    image_build_pyramid(identifier)
