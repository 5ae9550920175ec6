"""Resource limits on every Image API path: rotation, upscaling and format count (issue #12, fault 17)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import pyvips
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from mogao.iiif.image import IIIFError, ImageInfo, ImageServer, Limits, make_server
from mogao.iiif.image.params import Format, ImageRequest
from mogao.iiif.image.pipeline import FORMAT_AREA, plan, rotated_size
from mogao.iiif.web import fast_path

from .conftest import VALIDATOR_ID
from .test_image_web import _call, _inner

LIMITS = Limits(6000, 6000, 16_000_000)
BASE = f"/iiif/3/{VALIDATOR_ID}"

_number = st.integers(1, 9000).map(str)
_region = st.one_of(
    st.sampled_from(["full", "square"]),
    st.builds(lambda x, y, w, h: f"{x},{y},{w},{h}", st.integers(0, 4000).map(str),
              st.integers(0, 4000).map(str), _number, _number),
    st.builds(lambda x, y, w, h: f"pct:{x},{y},{w},{h}", st.integers(0, 99), st.integers(0, 99),
              st.integers(1, 100), st.integers(1, 100)),
)
_size = st.builds(
    lambda up, body: ("^" if up else "") + body,
    st.booleans(),
    st.one_of(
        st.just("max"),
        st.integers(1, 400).map(lambda p: f"pct:{p}"),
        _number.map(lambda w: f"{w},"), _number.map(lambda h: f",{h}"),
        st.builds(lambda w, h: f"{w},{h}", _number, _number),
        st.builds(lambda w, h: f"!{w},{h}", _number, _number),
    ),
)
_rotation = st.builds(
    lambda mirror, deg: ("!" if mirror else "") + deg, st.booleans(),
    st.one_of(st.sampled_from(["0", "90", "180", "270", "45", "30", "135.5"]),
              st.decimals(0, 360, places=2, allow_nan=False).map(str)),
)
_format = st.sampled_from(["default.jpg", "gray.png", "default.webp", "color.tif", "bitonal.gif"])


def _delivered(request: ImageRequest, out_w: int, out_h: int) -> tuple[int, int]:
    return rotated_size(out_w, out_h, request.rotation.degrees)


@settings(max_examples=1500, deadline=None, database=None)
@given(region=_region, size=_size, rotation=_rotation, fmt=_format,
       width=st.integers(1, 60_000), height=st.integers(1, 60_000),
       resolution=st.sampled_from([0, 300, 1200, 5000]))
def test_no_accepted_request_delivers_more_than_the_limits(
    region: str, size: str, rotation: str, fmt: str, width: int, height: int, resolution: int
) -> None:
    """Whatever the parameters, an accepted plan's delivered box (after rotation) fits the limits."""
    limits = LIMITS.restricted(resolution) if resolution else LIMITS
    try:
        request = ImageRequest.parse(region, size, rotation, fmt)
        result = plan(request, width, height, limits)
    except IIIFError as error:
        assert error.status in (400, 403) and error.message
        return
    bw, bh = _delivered(request, result.out_w, result.out_h)
    assert 1 <= bw <= limits.max_width and 1 <= bh <= limits.max_height
    assert bw * bh <= limits.max_area * FORMAT_AREA[request.format]
    if resolution and max(width, height) > resolution:
        # Never finer than a `resolution`-px rendition of the whole image (one pixel of slack).
        scale = resolution / max(width, height)
        assert result.out_w <= result.w * scale + 2 and result.out_h <= result.h * scale + 2


def test_the_reported_rotation_attack_is_refused() -> None:
    """`/full/^!5990,5990/45/default.png` on a tall image rendered 33 Mpx; now a clear 400."""
    request = ImageRequest.parse("full", "^!5990,5990", "45", "default.png")
    with pytest.raises(IIIFError) as caught:
        plan(request, 1000, 2500, LIMITS)
    assert caught.value.status == 400
    assert "rotated by 45 degrees" in caught.value.message and "maxArea" in caught.value.message


def test_max_shrinks_so_the_rotated_image_fits() -> None:
    for size in ("max", "^max"):
        result = plan(ImageRequest.parse("full", size, "45", "default.jpg"), 6000, 6000, LIMITS)
        bw, bh = rotated_size(result.out_w, result.out_h, Decimal(45))
        assert bw * bh <= LIMITS.max_area and bw <= 6000 and bh <= 6000
        assert bw * bh > 0.98 * LIMITS.max_area  # as large as fits, not needlessly small


def test_costly_formats_get_a_share_of_the_area() -> None:
    ok = plan(ImageRequest.parse("full", "4000,4000", "0", "default.jpg"), 4000, 4000, LIMITS)
    assert (ok.out_w, ok.out_h) == (4000, 4000)
    for fmt in ("png", "tif", "webp", "gif"):
        with pytest.raises(IIIFError) as caught:
            plan(ImageRequest.parse("full", "4000,4000", "0", f"default.{fmt}"), 4000, 4000, LIMITS)
        assert caught.value.status == 400 and fmt in caught.value.message
        shrunk = plan(ImageRequest.parse("full", "max", "0", f"default.{fmt}"), 4000, 4000, LIMITS)
        assert shrunk.out_w * shrunk.out_h <= LIMITS.max_area * FORMAT_AREA[Format(fmt)]


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> ImageServer:
    """A server over a 120x80 image with tiny limits, so that rendering every fuzzed request is cheap."""
    root = tmp_path_factory.mktemp("limits")
    source = root / "page.png"
    pyvips.Image.black(120, 80, bands=3).new_from_image([200, 30, 30]).cast("uchar").pngsave(str(source))
    server = make_server(root / "store", max_pixels=10**6, limits=Limits(200, 150, 20_000), cache_bytes=0)
    server.store.register(source, "page")
    server.store.build_pyramid("page")
    return server


@settings(max_examples=250, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(region=_region, size=_size, rotation=_rotation, fmt=_format)
def test_rendered_images_never_exceed_the_limits(
    small_server: ImageServer, region: str, size: str, rotation: str, fmt: str
) -> None:
    """Through the server core: every 200 decodes to an image within maxWidth/maxHeight/maxArea."""
    response = small_server.handle(f"page/{region}/{size}/{rotation}/{fmt}", "http://testserver/iiif/3")
    assert response.status in (200, 400), response.body
    if response.status == 200:
        w, h = Image.open(io.BytesIO(response.body)).size
        limits = small_server.limits
        assert w <= limits.max_width and h <= limits.max_height and w * h <= limits.max_area


@pytest.mark.django_db
def test_rotation_over_the_area_is_a_400_through_django_and_the_fast_path(
    client: Client, validator_image: ImageInfo, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    attack = f"{BASE}/full/^!4000,4000/45/default.jpg"  # 16 Mpx before rotation, 32 Mpx after
    response = client.get(attack)
    assert response.status_code == 400
    assert b"maxArea" in response.content and b"rotated" in response.content
    status, _headers, body = _call(fast_path(_inner), attack)
    assert status == "400 Bad Request" and b"rotated" in body
    assert client.get(f"{BASE}/full/^!2800,2800/45/default.jpg").status_code == 200


def test_limits_restricted_caps_every_dimension(tmp_path: Path) -> None:
    assert LIMITS.restricted(1200) == Limits(1200, 1200, 1_440_000, 1200)
