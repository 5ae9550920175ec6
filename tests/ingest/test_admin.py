"""Admin: import form (upload queues a background run), live progress fragment, template CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mogao.catalogue.models import Item
from mogao.ingest.models import IngestError, IngestRun

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "a@example.org", "pw-123456-long")
    client.force_login(user)
    return user


def test_template_csv(client, staff):
    response = client.get(reverse("admin:ingest_template"))
    assert response.status_code == 200
    header = response.content.decode().splitlines()[0].split(",")
    assert header[:2] == ["identifier", "institution"] and "title@zh-Hant" in header


def test_upload_runs_and_reports(client, staff, institution, settings):
    csv = b"identifier,institution,title@en\nA1,BL,One\nA2,BL,<b>Two</b>\n,BL,No id\n"
    response = client.post(reverse("admin:ingest_import"), {
        "kind": "csv", "uploads": SimpleUploadedFile("items.csv", csv, content_type="text/csv"),
        "oai_prefix": "oai_dc",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    run = IngestRun.objects.get()
    assert run.user == staff and run.status == "done"  # the immediate task backend ran it on commit
    assert (run.created_count, run.failed_count) == (2, 1)
    assert Item.objects.count() == 2
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"hx-get" not in page.content  # finished: no polling
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert fragment.status_code == 286
    assert "required column “identifier” is empty" in fragment.content.decode()
    listing = client.get(reverse("admin:ingest_ingestrun_changelist"))
    assert listing.status_code == 200
    detail = client.get(reverse("admin:ingest_ingestrun_change", args=[run.pk]))
    assert detail.status_code == 200


def test_form_errors_name_the_field(client, staff):
    response = client.post(reverse("admin:ingest_import"), {"kind": "oai", "oai_prefix": "oai_dc"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "url" in errors and "institution" in errors
    response = client.post(reverse("admin:ingest_import"), {
        "kind": "csv", "uploads": SimpleUploadedFile("evil.exe", b"MZ"), "oai_prefix": "oai_dc",
    })
    assert "uploads" in response.context["form"].errors


def test_running_progress_keeps_polling(client, staff):
    run = IngestRun.objects.create(kind="csv", source="x.csv", status="running", position=5, total=10)
    page = client.get(reverse("admin:ingest_progress", args=[run.pk]))
    assert b"hx-get" in page.content and b"every 1s" in page.content
    assert client.get(reverse("admin:ingest_progress", args=[run.pk]), HTTP_HX_REQUEST="true").status_code == 200


def test_import_pages_show_file_names_not_server_paths(client, staff, institution, settings):
    """The stored source is a storage name (#19); pages show its base name only (#12, 18)."""
    from mogao.core.storage import resolve_location

    csv = b"identifier,institution,title@en\nA1,BL,One\n,BL,No id\nA3,XX,Unknown holder\n"
    response = client.post(reverse("admin:ingest_import"), {
        "kind": "csv", "uploads": SimpleUploadedFile("items.csv", csv, content_type="text/csv"),
        "oai_prefix": "oai_dc",
    })
    run = IngestRun.objects.get()
    assert run.source.startswith("storage:uploads/") and run.source.endswith("/items.csv")
    local = Path(resolve_location(run.source))  # the worker gets a real path
    assert local.is_absolute() and local.read_bytes() == csv
    IngestError.objects.create(run=run, location=run.source, message=f"cannot read {run.source}: damaged")
    pages = [
        client.get(response["Location"]), client.get(response["Location"], HTTP_HX_REQUEST="true"),
        client.get(reverse("admin:ingest_ingestrun_changelist")),
        client.get(reverse("admin:ingest_ingestrun_change", args=[run.pk])),
    ]
    for page in pages:
        text = page.content.decode()
        assert page.status_code in (200, 286)
        home = text.find(str(settings.HOME))
        assert home == -1, (page.request["PATH_INFO"], text[max(0, home - 300):home + 100])
        assert "storage:" not in text and "uploads/" not in text
        assert "items.csv" in text
    assert "cannot read items.csv: damaged" in pages[0].content.decode()
