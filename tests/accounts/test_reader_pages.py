"""My Mogao, the profile, account deletion, the privacy page and the readers' sign-in lockout (#15)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils.html import escape

from mogao.accounts.models import Profile, profile_of
from mogao.catalogue import services
from mogao.community import deletion, mymogao
from mogao.community.models import Reaction

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-reader-password-42"
XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)><a xlink:href='javascript:alert(1)'>x</a></svg>",
]
BIDI = ["evil\u202egnp.exe", "a\u2066b\u2069", "zero\u200bwidth"]


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def reader(name: str = "reader") -> Any:
    user = get_user_model().objects.create_user(name, email=f"{name}@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_my_mogao_needs_a_sign_in_and_goes_to_the_readers_sign_in_page() -> None:
    response = Client().get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/me/")


def test_my_mogao_renders_every_registered_section_that_has_something() -> None:
    mymogao.register(mymogao.Section(key="zz-test", title="Test section", template="accounts/_my_account.html",
                                     context=lambda request: {"profile": None}, order=999))
    mymogao.register(mymogao.Section(key="zz-empty", title="Empty section", template="accounts/_my_account.html",
                                     context=lambda request: None, order=999))
    try:
        html = signed_in(reader()).get("/me/").content.decode()
        assert "Your account" in html and "Test section" in html and "Empty section" not in html
        assert html.index("Your account") < html.index("Test section")
    finally:
        mymogao._SECTIONS.pop("zz-test")
        mymogao._SECTIONS.pop("zz-empty")


@pytest.mark.parametrize("name", XSS)
def test_display_name_is_escaped_everywhere_it_appears(name: str) -> None:
    user = reader()
    client = signed_in(user)
    response = client.post("/me/profile/", {"display_name": name, "languages": ["fr", "lzh"],
                                            "recommendations": "on"})
    assert response.status_code == 302
    assert profile_of(get_user_model().objects.get(pk=user.pk)).display_name == name
    for path in ("/me/", "/me/profile/"):
        html = client.get(path).content.decode()
        assert escape(name) in html, path
        for raw in ("<script>alert", "<img src=x", "<svg onload", 'href="javascript:', "xlink:href='java"):
            assert raw not in html, (path, raw)


@pytest.mark.parametrize("name", BIDI)
def test_bidi_and_invisible_characters_are_refused_in_a_display_name_naming_the_field(name: str) -> None:
    client = signed_in(reader())
    response = client.post("/me/profile/", {"display_name": name})
    assert response.status_code == 400
    assert 'id="id_display_name"' in response.content.decode() and "Control and text-direction" in \
        response.content.decode()
    assert Profile.objects.get().display_name == ""


def test_oversized_display_name_and_unknown_language_are_refused() -> None:
    client = signed_in(reader())
    assert client.post("/me/profile/", {"display_name": "x" * 81}).status_code == 400
    assert client.post("/me/profile/", {"languages": ["xx-evil"]}).status_code == 400
    assert Profile.objects.filter(display_name="x" * 81).count() == 0


def test_profile_saves_languages_and_switches_recommendations_off() -> None:
    user = reader()
    client = signed_in(user)
    assert client.post("/me/profile/", {"display_name": "Ann", "languages": ["zh-Hant", "en"]}).status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.languages == ["en", "zh-Hant"] or profile.languages == ["zh-Hant", "en"]
    assert profile.recommendations is False


def test_nobody_edits_another_persons_profile() -> None:
    ann, bob = reader("ann"), reader("bob")
    bob_profile = profile_of(bob)
    bob_profile.display_name = "Bob"
    bob_profile.save()
    client = signed_in(ann)
    client.post("/me/profile/", {"display_name": "Hacked", "user": bob.pk, "id": bob_profile.pk,
                                 "trusted": "on", "moderator": "on"})
    bob_profile.refresh_from_db()
    assert bob_profile.display_name == "Bob"
    mine = Profile.objects.get(user=ann)
    assert mine.display_name == "Hacked" and not mine.trusted and not mine.moderator, "no role from a form"
    assert Client().post("/me/profile/", {"display_name": "x"}).status_code == 302  # anonymous: sign in


def test_profile_form_needs_csrf() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader(), backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/me/profile/", {"display_name": "x"}).status_code == 403


@pytest.fixture
def reacted() -> dict[str, Any]:
    inst, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    item, _ = services.item_upsert(institution=inst, shelfmark="Or.8210/P.2", title={"en": ["Diamond Sutra"]})
    ann, bob = reader("ann"), reader("bob")
    for user in (ann, bob):
        signed_in(user).post(f"/reactions/item/{item.pk}", {"kind": "moved"}, HTTP_HX_REQUEST="true")
    return {"item": item, "ann": ann, "bob": bob}


@pytest.mark.parametrize("mode", ["anonymise", "remove"])
def test_deleting_an_account_applies_the_persons_choice(reacted: dict[str, Any], mode: str) -> None:
    ann = reacted["ann"]
    client = signed_in(ann)
    wrong = client.post("/me/delete/", {"contributions": mode, "password": "nope"})
    assert wrong.status_code == 400 and get_user_model().objects.filter(pk=ann.pk).exists()
    response = client.post("/me/delete/", {"contributions": mode, "password": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=ann.pk).exists()
    assert not EmailAddress.objects.filter(email="ann@example.org").exists()
    assert client.get("/me/").status_code == 302, "signed out"
    moved = Reaction.objects.filter(kind="moved")
    assert moved.filter(user=reacted["bob"]).count() == 1
    assert moved.filter(user__isnull=True).count() == (1 if mode == "anonymise" else 0)


def test_deletion_covers_every_contribution_model_generically() -> None:
    from mogao.community.models import Contribution

    found = deletion.contribution_models()
    assert all(issubclass(m, Contribution) for m in found)
    with pytest.raises(ValueError, match="mode"):
        deletion.apply(reader(), "shred")  # type: ignore[arg-type]


def test_delete_needs_csrf_and_a_choice() -> None:
    user = reader()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/me/delete/", {"contributions": "remove", "password": PASSWORD}).status_code == 403
    assert signed_in(user).post("/me/delete/", {"password": PASSWORD}).status_code == 400
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_privacy_page_says_what_deletion_does() -> None:
    html = Client().get("/privacy/").content.decode()
    assert 'id="deletion"' in html and "Anonymise" in html and "Remove" in html


def test_readers_sign_in_is_locked_after_repeated_failures(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = False  # allauth's own limits off: this is django-axes' lock
    reader()
    client = Client(REMOTE_ADDR="198.51.100.30")
    codes = [client.post("/accounts/login/", {"login": "reader", "password": f"wrong-{n}"}).status_code
             for n in range(settings.AXES_FAILURE_LIMIT + 1)]
    assert 429 in codes
    right = client.post("/accounts/login/", {"login": "reader", "password": PASSWORD})
    assert right.status_code == 429
    assert client.get("/me/").status_code == 302, "still signed out"
    other = Client(REMOTE_ADDR="198.51.100.30")
    reader("colleague")
    assert other.post("/accounts/login/", {"login": "colleague", "password": PASSWORD}).status_code == 302


def test_allauth_rate_limits_failed_sign_ins_too() -> None:
    reader()
    client = Client(REMOTE_ADDR="198.51.100.31")
    pages = [client.post("/accounts/login/", {"login": f"nobody{n}", "password": "x"}) for n in range(12)]
    assert "Too many failed login attempts" in pages[-1].content.decode()
