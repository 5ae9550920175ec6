"""The parameter parser and the pipeline: canonical forms, spec rules, and hypothesis fuzzing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mogao.iiif.image import BadRequest, IIIFError, Limits, NotImplementedFeature, make_server
from mogao.iiif.image.params import ImageRequest, Region, RegionKind, Rotation, Size, SizeKind, canonical_number
from mogao.iiif.image.pipeline import max_size, plan, resolve_region, resolve_size

LIMITS = Limits(6000, 6000, 16_000_000)


def test_region_forms() -> None:
    assert Region.parse("full").kind is RegionKind.FULL
    assert Region.parse("square").kind is RegionKind.SQUARE
    assert Region.parse("1,2,3,4") == Region(RegionKind.PIXELS, 1, 2, 3, 4)
    assert Region.parse("pct:1.5,2,30,40.25") == Region(RegionKind.PERCENT, 1.5, 2, 30, 40.25)
    assert resolve_region(Region.parse("square"), 300, 200) == (50, 0, 200, 200)
    assert resolve_region(Region.parse("250,150,100,100"), 300, 200) == (250, 150, 50, 50)  # clipped
    assert resolve_region(Region.parse("pct:50,50,50,50"), 300, 200) == (150, 100, 150, 100)


def test_size_forms() -> None:
    assert Size.parse("^max") == Size(SizeKind.MAX, True)
    assert Size.parse("!10,20") == Size(SizeKind.CONFINED, False, 10, 20)
    assert Size.parse("^,7") == Size(SizeKind.HEIGHT, True, h=7)
    assert resolve_size(Size.parse("!200,200"), 400, 100, LIMITS) == (200, 50)
    assert resolve_size(Size.parse("150,"), 300, 200, LIMITS) == (150, 100)
    assert max_size(12000, 9000, LIMITS) == (4618, 3464)  # area-bound, aspect kept
    with pytest.raises(BadRequest, match=r"\^"):
        resolve_size(Size.parse("!400,400"), 300, 200, LIMITS)


def test_rotation_canonical() -> None:
    assert Rotation.parse("90.0").canonical == "90"
    assert Rotation.parse("!22.50").canonical == "!22.5"
    assert Rotation.parse("360").canonical == "0"
    assert Rotation.parse(".5").canonical == "0.5"
    assert canonical_number(Decimal("0.000")) == "0"


def test_canonical_paths() -> None:
    request = ImageRequest.parse("pct:0,0,100,100", "1000,", "0", "default.jpg")
    assert plan(request, 1000, 800, LIMITS).canonical(LIMITS) == "full/max/0/default.jpg"
    request = ImageRequest.parse("square", "^pct:200", "!0", "gray.webp")
    assert plan(request, 300, 200, LIMITS).canonical(LIMITS) == "50,0,200,200/^400,400/!0/gray.webp"
    request = ImageRequest.parse("0,0,512,512", "256,256", "0", "color.png")
    assert plan(request, 1000, 800, LIMITS).canonical(LIMITS) == "0,0,512,512/256,256/0/color.png"


def test_unsupported_format_is_501() -> None:
    with pytest.raises(NotImplementedFeature):
        ImageRequest.parse("full", "max", "0", "default.jp2")


_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"])
_segment = st.one_of(
    st.text(_ALPHABET, max_size=40),
    st.from_regex(r"\^?!?(pct:)?[0-9.,e+-]{0,30}", fullmatch=True),
    st.from_regex(r"(pct:)?[0-9-]{1,15},[0-9-]{1,15},[0-9.-]{1,15},[0-9.]{1,15}", fullmatch=True),
    st.from_regex(r"!?[0-9.]{1,25}", fullmatch=True),
    st.from_regex(r"(default|color|gray|bitonal|grey|x)\.(jpg|png|webp|tif|gif|jp2|pdf|bmp|)", fullmatch=True),
)


@settings(max_examples=600, deadline=None, database=None)
@given(region=_segment, size=_segment, rotation=_segment, quality=_segment,
       width=st.integers(1, 100_000), height=st.integers(1, 100_000))
def test_parser_and_pipeline_only_raise_their_own_4xx(
    region: str, size: str, rotation: str, quality: str, width: int, height: int
) -> None:
    """Whatever the segments, parsing and planning return a plan or raise a 400/501 IIIFError."""
    try:
        request = ImageRequest.parse(region, size, rotation, quality)
        result = plan(request, width, height, LIMITS)
    except IIIFError as error:
        assert error.status in (400, 501)
        assert error.message
        return
    assert 1 <= result.out_w <= LIMITS.max_width
    assert 1 <= result.out_h <= LIMITS.max_height
    assert result.out_w * result.out_h <= LIMITS.max_area
    assert 0 <= result.x < width and 0 <= result.y < height
    assert result.x + result.w <= width and result.y + result.h <= height


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A server over a 64x48 image with small limits, so fuzzed renders stay cheap."""
    import pyvips

    root = tmp_path_factory.mktemp("fuzz")
    source = root / "tiny.png"
    pyvips.Image.black(64, 48, bands=3).new_from_image([10, 200, 30]).cast("uchar").pngsave(str(source))
    server = make_server(root / "store", max_pixels=10**6, limits=Limits(300, 300, 40_000), cache_bytes=0)
    server.store.register(source, "tiny")
    server.store.build_pyramid("tiny")
    return server


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.one_of(
    st.text(_ALPHABET, max_size=80),
    st.builds("/".join, st.lists(_segment, min_size=1, max_size=6)).map(lambda p: "tiny/" + p),
))
def test_server_never_fails_with_500(fuzz_server: object, path: str) -> None:
    """Any decoded path gets 200, 303, 400, 404 or 501 from the server core, never an exception."""
    from mogao.iiif.image import ImageServer

    assert isinstance(fuzz_server, ImageServer)
    response = fuzz_server.handle(path, "http://testserver/iiif/3")
    assert response.status in (200, 303, 400, 404, 501), (path, response.body)
    if response.status >= 400:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert not Path(path).is_absolute() or b"root:" not in response.body


def test_exact_tiles_are_served_from_the_pyramid_without_reencoding(tmp_path: Path) -> None:
    """An interior tile request returns the stored JPEG tile: same pixels as decoding, no re-encode."""
    import io

    import pyvips
    from PIL import Image, ImageChops, ImageStat

    from mogao.iiif.image.processor import Processor, Source
    from mogao.iiif.image.tiffraw import read_layout

    source_png = tmp_path / "grid.png"
    noise = pyvips.Image.gaussnoise(700, 600, mean=128, sigma=50)
    noise.bandjoin([noise.rot180().crop(0, 0, 700, 600), noise]).cast("uchar").copy(
        interpretation="srgb").pngsave(str(source_png))
    server = make_server(tmp_path / "store", max_pixels=10**7, limits=LIMITS, cache_bytes=0)
    server.store.register(source_png, "grid")
    info = server.store.build_pyramid("grid")
    source = Source.for_image(server.store, info)
    layout = read_layout(source.path)
    assert layout is not None and [(p.width, p.height) for p in layout] == list(info.levels)

    def render(processor: Processor, path: str) -> bytes:
        return processor.render(source, plan(ImageRequest.parse(*path.split("/")), 700, 600, LIMITS))

    fast, slow = Processor(), Processor(passthrough=False)
    for path in ("256,256,256,256/256,256/0/default.jpg", "0,0,512,512/256,256/0/color.jpg"):
        stored, decoded = render(fast, path), render(slow, path)
        assert stored != decoded  # really the stored bytes, not a second encode
        a, b = Image.open(io.BytesIO(stored)), Image.open(io.BytesIO(decoded))
        assert a.size == b.size == (256, 256)
        # One JPEG generation apart (noise is JPEG's worst case): small mean difference only.
        assert max(ImageStat.Stat(ImageChops.difference(a, b)).mean) < 6
    # Edge tiles (padded on disk), rotations and other formats still decode.
    for path in ("512,512,188,88/188,88/0/default.jpg", "0,0,256,256/256,256/90/default.jpg",
                 "0,0,256,256/256,256/0/default.png", "0,0,256,256/256,256/0/gray.jpg"):
        assert render(fast, path) == render(slow, path)
