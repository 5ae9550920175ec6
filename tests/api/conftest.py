"""Fixtures for the API tests: a small catalogue made with the services, users and their tokens."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from mogao.accounts.models import Curatorship
from mogao.api.services import token_create
from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Institution, Transcription, Visibility
from mogao.knowledge.models import Period, Person, Place
from mogao.knowledge.services import entity_upsert


@dataclass
class Catalogue:
    bl: Institution
    bnf: Institution
    public: list[str]
    private: str


@pytest.fixture(autouse=True)
def _fresh_cache(settings) -> None:  # type: ignore[no-untyped-def]
    settings.BASE_URL = "http://testserver"
    settings.API_ANON_RATE = "10000/min"
    cache.clear()


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    tang, _ = entity_upsert(model=Period, pid="tang", name={"en": ["Tang"], "zh-Hant": ["唐"]}, year_start=618,
                            year_end=907)
    kumarajiva, _ = entity_upsert(model=Person, pid="kumarajiva", name={"en": ["Kumārajīva"], "zh-Hant": ["鳩摩羅什"]},
                                  authority=[("dila-person", "A000439")])
    dunhuang, _ = entity_upsert(model=Place, pid="dunhuang", name={"en": ["Dunhuang"], "zh-Hant": ["敦煌"]},
                                latitude=40.14, longitude=94.66)
    bl, _ = services.institution_upsert(code="BL", name={"en": ["British Library"], "zh-Hant": ["大英圖書館"]})
    bnf, _ = services.institution_upsert(code="BnF", name={"fr": ["Bibliothèque nationale de France"]})
    stein, _ = services.collection_upsert(institution=bl, code="stein", name={"en": ["Stein collection"]})
    diamond, _ = services.work_upsert(
        key=("taisho", "T0235"), title={"zh-Hant": ["金剛般若波羅蜜經"], "en": ["Diamond Sūtra"]},
        identifiers={"taisho": "T0235"}, period=tang, creators=[(kumarajiva, "translator")],
    )
    public = []
    for n in range(7):
        item, _ = services.item_upsert(
            institution=bl if n < 5 else bnf, collection=stein if n < 3 else None, shelfmark=f"Or.8210/S.{n}",
            title={"zh-Hant": [f"金剛經 {n}"], "en": [f"Diamond Sūtra copy {n}"]}, languages=["lzh"],
            year_start=700 + 50 * n, year_end=720 + 50 * n, period=tang if n < 4 else None, find_place=dunhuang,
            item_type="scroll" if n % 2 else "manuscript", works=[(diamond, "text")] if n < 2 else None,
        )
        public.append(item.pid)
    canvas = Canvas.objects.create(item_id=services.item_upsert(institution=bl, shelfmark="Or.8210/S.0")[0].pk,
                                   order=1, label={"en": ["f. 1"]}, width=1000, height=800)
    Transcription.objects.create(canvas=canvas, text="如是我聞", language="lzh", layout={"direction": "vertical-rl"})
    private, _ = services.item_upsert(institution=bl, shelfmark="Secret", title={"en": ["Hidden"]},
                                      visibility=Visibility.PRIVATE)
    return Catalogue(bl=bl, bnf=bnf, public=sorted(public), private=private.pid)


def _user(username: str, *, superuser: bool = False, institution: Institution | None = None):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username, password="x-unused-password-1")
    user.is_staff = True
    user.is_superuser = superuser
    user.save()
    if institution is not None:
        Curatorship.objects.create(user=user, institution=institution)
    return user


@pytest.fixture
def bl_curator_token(catalogue: Catalogue) -> str:
    return token_create(user=_user("bl-curator", institution=catalogue.bl), name="tests")[1]


@pytest.fixture
def admin_token(catalogue: Catalogue) -> str:
    return token_create(user=_user("admin", superuser=True), name="tests")[1]


@pytest.fixture
def reader_token(catalogue: Catalogue) -> str:
    return token_create(user=_user("reader"), name="tests")[1]
