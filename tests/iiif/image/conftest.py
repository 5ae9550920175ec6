"""Fixtures of the IIIF image tests: an isolated image store and the validator's test image."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import pyvips

from mogao.iiif.image import ImageInfo
from mogao.iiif.image.pipeline import Limits

#: The identifier the IIIF validator documentation uses for its test image.
VALIDATOR_ID = "67352ccc-d1b0-11e1-89ae-279075081939"

def validator_colours() -> list[list[tuple[int, int, int]]]:
    """The colour table of the installed iiif-validator: column x, row y -> RGB."""
    from iiif_validator.validator import ValidationInfo

    table: list[list[tuple[int, int, int]]] = ValidationInfo().colorInfo
    return table


def make_validator_image(path: Path) -> Path:
    """The validator's 1000x1000 test image: 100-px squares, square (x, y) of colour table[x][y]."""
    table = validator_colours()
    squares = [
        pyvips.Image.black(100, 100, bands=3).new_from_image(list(table[x][y]))
        for y in range(10) for x in range(10)
    ]
    image = pyvips.Image.arrayjoin(squares, across=10).cast("uchar").copy(interpretation="srgb")
    image.pngsave(str(path))
    return path


@pytest.fixture(scope="session")
def validator_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_validator_image(tmp_path_factory.mktemp("validator") / "iiif-validator-test.png")


@pytest.fixture
def image_root(tmp_path: Path, settings: pytest.FixtureRequest) -> Iterator[Path]:
    """A fresh IMAGE_ROOT (and default limits) for one test.

    The URLconf is the image API's own (mounted at the root as in ``mogao.site.urls``) so that
    these tests do not depend on every other app importing cleanly.
    """
    root = tmp_path / "images"
    settings.ROOT_URLCONF = "mogao.iiif.image_urls"  # type: ignore[attr-defined]
    settings.IMAGE_ROOT = root  # type: ignore[attr-defined]
    settings.IIIF_MAX_WIDTH = 6000  # type: ignore[attr-defined]
    settings.IIIF_MAX_HEIGHT = 6000  # type: ignore[attr-defined]
    settings.IIIF_MAX_AREA = 16_000_000  # type: ignore[attr-defined]
    settings.IIIF_CACHE_MB = 16  # type: ignore[attr-defined]
    yield root


@pytest.fixture
def validator_image(image_root: Path, validator_png: Path) -> ImageInfo:
    """The validator's test image registered under :data:`VALIDATOR_ID`, pyramid built."""
    from mogao.iiif.services import image_build_pyramid, image_register

    image_register(source=validator_png, identifier=VALIDATOR_ID)
    return image_build_pyramid(VALIDATOR_ID)


@pytest.fixture
def small_jpeg(tmp_path: Path) -> Path:
    """A 300x200 JPEG with a red left half and a blue right half."""
    left = pyvips.Image.black(150, 200, bands=3).new_from_image([220, 20, 20])
    right = pyvips.Image.black(150, 200, bands=3).new_from_image([20, 20, 220])
    path = tmp_path / "small page.jpg"
    left.join(right, "horizontal").cast("uchar").copy(interpretation="srgb").jpegsave(str(path), Q=95)
    return path


DEFAULT_LIMITS = Limits(6000, 6000, 16_000_000)
