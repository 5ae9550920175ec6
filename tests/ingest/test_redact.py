"""hide_server_paths: absolute paths become base names, URLs and ordinary text stay (#12, fault 18)."""

from __future__ import annotations

import pytest

from mogao.ingest.redact import hide_server_paths


@pytest.mark.parametrize(("text", "shown"), [
    ("/srv/mogao/var/ingest/uploads/ab12/items.csv", "items.csv"),
    ("[Errno 2] No such file: '/home/x/y.csv'", "[Errno 2] No such file: 'y.csv'"),
    ("row 3 of /a/b/c.csv: bad date 1/2", "row 3 of c.csv: bad date 1/2"),
    ("C:\\data\\in.csv", "in.csv"),
    ("https://example.org/oai/a/b.xml", "https://example.org/oai/a/b.xml"),
    ("see <https://x.org/p/q>", "see <https://x.org/p/q>"),
    ("items.csv", "items.csv"),
    ("title / subtitle and/or more", "title / subtitle and/or more"),
    (None, ""),
])
def test_hide_server_paths(text: str | None, shown: str) -> None:
    assert hide_server_paths(text) == shown
