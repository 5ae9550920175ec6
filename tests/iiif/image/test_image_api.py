"""The Image API over HTTP (Django test client): documents, headers, caching and every error path."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from mogao.iiif.image import ImageInfo

from .conftest import VALIDATOR_ID

BASE = f"/iiif/3/{VALIDATOR_ID}"
pytestmark = pytest.mark.django_db


def _image(response: object) -> Image.Image:
    return Image.open(io.BytesIO(response.content))  # type: ignore[attr-defined]


def test_info_json_document(client: Client, validator_image: ImageInfo) -> None:
    response = client.get(f"{BASE}/info.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    doc = json.loads(response.content)
    assert doc["@context"] == "http://iiif.io/api/image/3/context.json"
    assert doc["id"] == f"http://testserver{BASE}"
    assert doc["type"] == "ImageService3"
    assert doc["protocol"] == "http://iiif.io/api/image"
    assert doc["profile"] == "level2"
    assert (doc["width"], doc["height"]) == (1000, 1000)
    assert (doc["maxWidth"], doc["maxHeight"], doc["maxArea"]) == (6000, 6000, 16_000_000)
    assert doc["tiles"] == [{"width": 256, "height": 256, "scaleFactors": [1, 2, 4]}]
    assert doc["sizes"][-1] == {"width": 1000, "height": 1000}
    assert [s["width"] for s in doc["sizes"]] == sorted(s["width"] for s in doc["sizes"])
    assert set(doc["extraQualities"]) == {"color", "gray", "bitonal"}
    assert "webp" in doc["extraFormats"]
    assert {"mirroring", "rotationArbitrary", "sizeUpscaling", "canonicalLinkHeader"} <= set(doc["extraFeatures"])


def test_info_json_ld_on_request(client: Client, validator_image: ImageInfo) -> None:
    response = client.get(f"{BASE}/info.json", HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"] == 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
    assert "Accept" in response["Vary"]


def test_base_uri_redirects_to_info(client: Client, validator_image: ImageInfo) -> None:
    response = client.get(BASE)
    assert response.status_code == 303
    assert response["Location"] == f"http://testserver{BASE}/info.json"


def test_image_headers_and_canonical_link(client: Client, validator_image: ImageInfo) -> None:
    response = client.get(f"{BASE}/pct:10,10,20,20/pct:50/!90/color.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert f'<http://testserver{BASE}/100,100,200,200/100,100/!90/color.png>;rel="canonical"' in response["Link"]
    assert '<http://iiif.io/api/image/3/level2.json>;rel="profile"' in response["Link"]
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "max-age" in response["Cache-Control"]
    assert _image(response).size == (100, 100)


def test_conditional_requests_give_304(client: Client, validator_image: ImageInfo) -> None:
    first = client.get(f"{BASE}/full/max/0/default.jpg")
    again = client.get(f"{BASE}/full/max/0/default.jpg", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(f"{BASE}/full/max/0/default.jpg", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other = client.get(f"{BASE}/full/max/0/default.jpg", HTTP_IF_NONE_MATCH='"other"')
    assert other.status_code == 200
    info = client.get(f"{BASE}/info.json")
    assert client.get(f"{BASE}/info.json", HTTP_IF_NONE_MATCH=info["ETag"]).status_code == 304


def test_head_and_options(client: Client, validator_image: ImageInfo) -> None:
    head = client.head(f"{BASE}/full/max/0/default.jpg")
    assert head.status_code == 200
    assert head.content == b""
    options = client.options(f"{BASE}/info.json")
    assert options.status_code == 204
    assert options["Access-Control-Allow-Origin"] == "*"
    assert client.post(f"{BASE}/info.json").status_code == 405


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ("max", (1000, 1000)), ("^max", (4000, 4000)), ("500,", (500, 500)), (",250", (250, 250)),
        ("pct:25", (250, 250)), ("^pct:150", (1500, 1500)), ("300,200", (300, 200)),
        ("!300,200", (200, 200)), ("^!3000,2000", (2000, 2000)), ("^1200,", (1200, 1200)),
        ("^,1100", (1100, 1100)), ("^1100,1200", (1100, 1200)),
    ],
)
def test_every_size_form(client: Client, validator_image: ImageInfo, size: str, expected: tuple[int, int]) -> None:
    response = client.get(f"{BASE}/full/{size}/0/default.jpg")
    assert response.status_code == 200, response.content
    assert _image(response).size == expected


@pytest.mark.parametrize(
    ("region", "expected"),
    [("full", (1000, 1000)), ("square", (1000, 1000)), ("900,900,500,500", (100, 100)),
     ("pct:0,0,50,25", (500, 250)), ("0,0,1,1", (1, 1))],
)
def test_every_region_form(
    client: Client, validator_image: ImageInfo, region: str, expected: tuple[int, int]
) -> None:
    response = client.get(f"{BASE}/{region}/max/0/default.png")
    assert response.status_code == 200, response.content
    assert _image(response).size == expected


def test_rotation_mirroring_and_qualities(client: Client, validator_image: ImageInfo) -> None:
    rot = _image(client.get(f"{BASE}/0,0,200,100/max/90/default.png"))
    assert rot.size == (100, 200)
    tilted = _image(client.get(f"{BASE}/0,0,200,100/max/45/default.png"))
    assert tilted.mode == "RGBA" and tilted.size[0] > 200  # bounding box grows, corners transparent
    assert tilted.getpixel((0, 0))[3] == 0  # type: ignore[index]
    mirrored = _image(client.get(f"{BASE}/full/max/!0/default.png")).convert("RGB")
    plain = _image(client.get(f"{BASE}/full/max/0/default.png")).convert("RGB")
    assert mirrored.getpixel((50, 50)) == plain.getpixel((950, 50))
    gray = _image(client.get(f"{BASE}/full/200,/0/gray.jpg"))
    assert gray.mode == "L"
    bitonal = _image(client.get(f"{BASE}/full/200,/0/bitonal.png"))
    assert {value for _count, value in bitonal.getcolors() or []} <= {0, 255}
    for fmt, kind in (("webp", "WEBP"), ("tif", "TIFF"), ("gif", "GIF"), ("jpg", "JPEG")):
        assert _image(client.get(f"{BASE}/full/100,/0/default.{fmt}")).format == kind


@pytest.mark.parametrize(
    ("path", "status"),
    [
        # malformed segments
        ("full/max/0/default", 400), ("ful/max/0/default.jpg", 400), ("full/mx/0/default.jpg", 400),
        ("full/max/abc/default.jpg", 400), ("full/max/0/fancy.jpg", 400), ("full/max/0/default.bmp", 400),
        ("full/max/0/default.jp2", 501), ("full/max/0/default.pdf", 501), ("-1,0,10,10/max/0/default.jpg", 400),
        ("1,2,3/max/0/default.jpg", 400), ("full/full/0/default.jpg", 400), ("full/,/0/default.jpg", 400),
        # huge sizes
        ("full/!99999,99999/0/default.jpg", 400), ("full/^!99999,99999/0/default.jpg", 400),
        ("full/pct:1e9/0/default.jpg", 400), ("full/^pct:1000000/0/default.jpg", 400),
        ("full/^99999,/0/default.jpg", 400), ("full/" + "9" * 400 + ",/0/default.jpg", 400),
        # zero, negative and outside regions
        ("0,0,0,10/max/0/default.jpg", 400), ("0,0,10,0/max/0/default.jpg", 400),
        ("1000,0,10,10/max/0/default.jpg", 400), ("5000,5000,10,10/max/0/default.jpg", 400),
        ("pct:0,0,0,10/max/0/default.jpg", 400), ("pct:100,0,10,10/max/0/default.jpg", 400),
        ("pct:-5,0,10,10/max/0/default.jpg", 400), ("full/0,/0/default.jpg", 400),
        ("full/pct:0/0/default.jpg", 400), ("full/1001,/0/default.jpg", 400), ("full/pct:101/0/default.jpg", 400),
        # absurd rotations
        ("full/max/361/default.jpg", 400), ("full/max/-90/default.jpg", 400), ("full/max/1e3/default.jpg", 400),
        ("full/max/90.5.5/default.jpg", 400), ("full/max/!!90/default.jpg", 400), ("full/max/nan/default.jpg", 400),
        ("full/max/inf/default.jpg", 400),
    ],
)
def test_bad_requests(client: Client, validator_image: ImageInfo, path: str, status: int) -> None:
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("text/plain")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert 0 < len(response.content) < 300


@pytest.mark.parametrize(
    "path",
    [
        "unknown-image/info.json", "unknown-image/full/max/0/default.jpg", "unknown-image",
        "../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd/info.json", "%2e%2e%2f%2e%2e%2fetc/info.json",
        "..%252f..%252fetc/info.json", f"..%2F{VALIDATOR_ID}/info.json", f"{VALIDATOR_ID}%2F..%2F..%2Fx/info.json",
        ".hidden/info.json", "a/b/full/max/0/default.jpg", "%00/info.json", "x" * 300 + "/info.json",
        f"{VALIDATOR_ID}/info.xml", f"{VALIDATOR_ID}/full/max/0", f"{VALIDATOR_ID}/meta.json",
        f"{VALIDATOR_ID}/master.png", f"{VALIDATOR_ID}/pyramid.tif",
    ],
)
def test_unknown_and_traversal_identifiers_never_leak(
    client: Client, validator_image: ImageInfo, image_root: Path, path: str
) -> None:
    (image_root.parent / "secret.txt").write_text("outside the store")
    response = client.get(f"/iiif/3/{path}")
    # 404 for an unknown identifier; 400 when the decoded path parses as a (bad) image request.
    assert response.status_code in (400, 404), (path, response.content)
    assert b"outside the store" not in response.content
    assert b"root:" not in response.content


def test_limits_are_enforced_and_advertised(client: Client, validator_image: ImageInfo, settings: object) -> None:
    settings.IIIF_MAX_WIDTH = 400  # type: ignore[attr-defined]
    settings.IIIF_MAX_HEIGHT = 300  # type: ignore[attr-defined]
    settings.IIIF_MAX_AREA = 100_000  # type: ignore[attr-defined]
    doc = json.loads(client.get(f"{BASE}/info.json").content)
    assert (doc["maxWidth"], doc["maxHeight"], doc["maxArea"]) == (400, 300, 100_000)
    assert all(s["width"] <= 400 and s["height"] <= 300 for s in doc["sizes"])
    assert _image(client.get(f"{BASE}/full/max/0/default.jpg")).size == (300, 300)
    assert _image(client.get(f"{BASE}/full/^max/0/default.jpg")).size == (300, 300)
    response = client.get(f"{BASE}/full/500,/0/default.jpg")
    assert response.status_code == 400
    assert b"maxWidth" in response.content
    assert client.get(f"{BASE}/full/316,316/0/default.jpg").status_code == 400  # width ok, over area/height
    assert client.get(f"{BASE}/0,0,300,300/max/0/default.jpg").status_code == 200


def test_derivative_cache_serves_second_request(
    client: Client, validator_image: ImageInfo, image_root: Path
) -> None:
    first = client.get(f"{BASE}/0,0,256,256/256,256/0/default.jpg")
    cached = list((image_root / "cache").glob("*/*"))
    assert len(cached) == 1
    assert cached[0].read_bytes() == first.content
    second = client.get(f"{BASE}/0,0,256,256/max/0/default.jpg")  # same canonical request
    assert second.content == first.content
    assert len(list((image_root / "cache").glob("*/*"))) == 1
