"""Conformance: the official IIIF Image API validator, offline, against the live test server."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mogao.iiif.image import ImageInfo

from .conftest import VALIDATOR_ID


def _validator_script() -> str:
    script = Path(sys.executable).parent / "iiif-validate.py"
    found = str(script) if script.exists() else shutil.which("iiif-validate.py")
    if not found:
        pytest.fail("iiif-validate.py is not installed (dev extra: iiif-validator)")
    return found


def _run_validator(server: str, level: int, tests: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    selection = [arg for name in tests or [] for arg in ("--test", name)]
    return subprocess.run(
        [sys.executable, _validator_script(), "-s", server, "-p", "iiif/3", "-i", VALIDATOR_ID,
         "--version", "3.0", "--level", str(level), *selection],
        capture_output=True, text=True, timeout=300, check=False,
    )


#: Level-3 (optional feature) tests that apply. Left out: format_jp2 and format_pdf (formats not
#: offered, answered 501), format_webp (the validator calls Python 2's urllib.urlopen and always
#: errors; webp is tested in test_image_api), and size_up, which expects ^max to be the image
#: size while the specification makes ^max the largest size within maxWidth/maxHeight/maxArea.
OPTIONAL_FEATURE_TESTS = [
    "rot_full_non90", "rot_region_non90", "rot_mirror", "rot_mirror_180", "linkheader_canonical",
    "linkheader_profile", "format_gif", "format_tif",
]


@pytest.mark.django_db(transaction=True)
def test_validator_level2_all_pass(live_server: object, validator_image: ImageInfo) -> None:
    """Every level 0-2 test of iiif-validator for version 3.0 passes: 0 failures."""
    server = str(live_server).removeprefix("http://")
    result = _run_validator(server, 2)
    output = result.stdout + result.stderr
    done = re.search(r"Done \((\d+) tests, (\d+) failures\)", output)
    assert done is not None, output
    tests, failures = int(done[1]), int(done[2])
    assert tests >= 30, output
    assert failures == 0, output
    assert result.returncode == 0, output


@pytest.mark.django_db(transaction=True)
def test_validator_optional_features_pass(live_server: object, validator_image: ImageInfo) -> None:
    """Mirroring, arbitrary rotation, canonical/profile Link headers, gif and tif also pass."""
    server = str(live_server).removeprefix("http://")
    result = _run_validator(server, 3, OPTIONAL_FEATURE_TESTS)
    output = result.stdout + result.stderr
    assert f"Done ({len(OPTIONAL_FEATURE_TESTS)} tests, 0 failures)" in output, output
