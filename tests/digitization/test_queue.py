"""The public queue, its filters, feeds, CSV, statistics and JSON API show the same requests."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mogao.digitization import services, states
from mogao.digitization.models import Request, Status

from .conftest import Lib

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(lib: Lib) -> dict[str, Request]:
    ask = services.request_digitization
    a = ask(user=lib.users["reader"], item=lib.items["a"], purpose="research")[0]
    b = ask(user=lib.users["reader"], item=lib.items["b"], purpose="teaching", note="=HYPERLINK(\"x\")")[0]
    a2 = ask(user=lib.users["reader"], item=lib.items["a2"], purpose="teaching")[0]
    states.transition(a2, Status.DECLINED, lib.users["curator_a"], reason="Already in the microfilm.")
    states.transition(a, Status.ACCEPTED, lib.users["curator_a"])
    states.transition(a, Status.SCHEDULED, lib.users["curator_a"], expected_month=datetime.date(2027, 5, 1))
    return {"a": a, "b": b, "a2": a2}


def _rows(html: str) -> set[str]:
    return {key for key in ("DG-a<", "DG-b<", "DG-a2<") if key in html}


def test_filters(client: Client, queue: dict[str, Request]) -> None:
    url = reverse("digitization:queue")
    assert _rows(client.get(url).content.decode()) == {"DG-a<", "DG-b<"}  # open only
    assert _rows(client.get(url, {"holder": "DGB"}).content.decode()) == {"DG-b<"}
    assert _rows(client.get(url, {"status": "scheduled"}).content.decode()) == {"DG-a<"}
    assert _rows(client.get(url, {"status": "all"}).content.decode()) == {"DG-a<", "DG-b<", "DG-a2<"}
    assert _rows(client.get(url, {"type": "scroll"}).content.decode()) == set()
    assert _rows(client.get(url, {"type": "manuscript"}).content.decode()) == {"DG-a<", "DG-b<"}
    assert client.get(url, {"status": "<script>", "holder": "x" * 500}).status_code == 200


def test_request_page_shows_its_timeline(client: Client, queue: dict[str, Request]) -> None:
    page = client.get(queue["a"].get_absolute_url()).content.decode()
    assert page.index("— requested") < page.index("— accepted") < page.index("— scheduled")
    assert "2027-05" in page
    declined = client.get(queue["a2"].get_absolute_url()).content.decode()
    assert "Already in the microfilm." in declined


def test_feeds_api_and_csv_carry_the_same_requests(client: Client, queue: dict[str, Request]) -> None:
    rss = client.get(reverse("digitization:rss"))
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    atom = client.get(reverse("digitization:atom")).content.decode()
    assert "<feed" in atom and "DG-a" in atom and "DG-b" in atom and "DG-a2" not in atom
    api = client.get("/api/v1/digitization/requests").json()
    assert {r["shelfmark"] for r in api["results"]} == {"DG-a", "DG-b"} and api["count"] == 2
    one = next(r for r in api["results"] if r["shelfmark"] == "DG-a")
    assert one["status"] == "scheduled" and one["expected_month"] == "2027-05" and one["readers"] == 1
    assert client.get("/api/v1/digitization/requests", {"holder": "DGB"}).json()["count"] == 1
    detail = client.get(f"/api/v1/digitization/requests/{queue['a'].pk}").json()
    assert [t["to_status"] for t in detail["timeline"]] == ["requested", "accepted", "scheduled"]
    body = client.get(reverse("digitization:csv"), {"status": "all"}).content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["shelfmark"] for r in rows} == {"DG-a", "DG-b", "DG-a2"}
    assert "HYPERLINK" not in body  # readers' notes never leave in the CSV


def test_statistics_per_institution(client: Client, lib: Lib, queue: dict[str, Request]) -> None:
    req = queue["b"]
    states.transition(req, Status.PUBLISHED, None, system=True)
    Request.objects.filter(pk=req.pk).update(created=timezone.now() - datetime.timedelta(days=10))
    html = client.get(reverse("digitization:statistics")).content.decode()
    assert "Library A" in html and "Library B" in html
    from mogao.digitization.selectors import institution_statistics

    stats = {r["institution"].code: r for r in institution_statistics()}
    assert (stats["DGA"]["received"], stats["DGA"]["open"], stats["DGA"]["median_days"]) == (2, 1, None)
    assert (stats["DGB"]["received"], stats["DGB"]["published"], stats["DGB"]["median_days"]) == (1, 1, 10.0)


def test_curators_queue(lib: Lib, queue: dict[str, Request]) -> None:
    client = Client()
    client.force_login(lib.users["curator_b"])
    html = client.get(reverse("digitization:curate")).content.decode()
    assert _rows(html) == {"DG-b<"}
    reader = Client()
    reader.force_login(lib.users["reader"])
    assert reader.get(reverse("digitization:curate")).status_code == 404


def test_admin_is_scoped_by_the_policy(lib: Lib, queue: dict[str, Request]) -> None:
    def listing(role: str) -> Any:
        client = Client()
        client.force_login(lib.users[role])
        return client

    html = listing("curator_b").get(reverse("admin:digitization_request_changelist")).content.decode()
    assert f'/{queue["b"].pk}/change/' in html and f'/{queue["a"].pk}/change/' not in html
    assert listing("curator_b").get(
        reverse("admin:digitization_request_change", args=[queue["a"].pk])).status_code in (302, 403, 404)
    assert listing("reader").get(reverse("admin:digitization_request_changelist")).status_code == 302
