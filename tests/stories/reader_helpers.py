"""Stories for the reader's tests (#16): built directly on the demo's Diamond Sūtra pages.

The demo's two drawn pages (448 × 1248, exact line boxes) serve as image, text and comparison steps;
its places (the Library Cave, Dunhuang) and dynasties (Tang) as map and timeline steps.
"""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any

from django.utils import timezone

from mogao.catalogue.models import Canvas, Item
from mogao.demo.loader import load_builtin, load_demo_pages
from mogao.knowledge.models import Period, Place
from mogao.stories.models import Step, StepKind, Story, StoryStatus

DIAMOND = "bl-or-8210-p-2"
LANGS = ("en", "fr", "zh-Hans", "zh-Hant")

VTT = {
    "en": "WEBVTT\n\n00:00.000 --> 00:01.000\nThe colophon gives the date: 868.\n",
    "fr": "WEBVTT\n\n00:00.000 --> 00:01.000\nLe colophon donne la date : 868.\n",
    "zh-Hans": "WEBVTT\n\n00:00.000 --> 00:01.000\n题记写明年代：868年。\n",
    "zh-Hant": "WEBVTT\n\n00:00.000 --> 00:01.000\n題記寫明年代：868年。\n",
}


def texts(en: str) -> dict[str, list[str]]:
    """A narrative in the four languages (the French and Chinese are short but real)."""
    return {
        "en": [f"<p>{en}</p>"],
        "fr": [f"<p>Étape : {en}</p>"],
        "zh-Hans": [f"<p>步骤：{en}</p>"],
        "zh-Hant": [f"<p>步驟：{en}</p>"],
    }


def load_demo() -> Item:
    load_builtin()
    load_demo_pages(echo=lambda *a, **k: None)
    return Item.objects.select_related("institution").get(pid=DIAMOND)


def silent_wav(path: Path, seconds: float = 0.6) -> None:
    """A short silent WAV (8 kHz mono) for narration tests."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * int(8000 * seconds))


def build_story(item: Item, *, slug: str = "diamond-journey", status: str = StoryStatus.PUBLISHED,
                audio: str = "") -> Story:
    """Six steps: image region, text passage (lines 2–3), comparison, map with dispersal, timeline, media."""
    p1, p2 = list(Canvas.objects.filter(item=item).order_by("order"))[:2]
    story = Story.objects.create(
        slug=slug, institution=item.institution, status=status,
        title={"en": ["The Diamond Sūtra of 868"], "fr": ["Le Sūtra du diamant de 868"],
               "zh-Hans": ["868年的《金刚经》"], "zh-Hant": ["868年的《金剛經》"]},
        summary={"en": ["A journey through the oldest dated printed book."],
                 "fr": ["Un voyage dans le plus ancien livre imprimé daté."],
                 "zh-Hans": ["一次穿越最古老的有纪年印本的旅程。"], "zh-Hant": ["一次穿越最古老的有紀年印本的旅程。"]},
        credits={"en": ["Mogao project"], "fr": ["Projet Mogao"], "zh-Hans": ["莫高项目"], "zh-Hant": ["莫高專案"]},
        published_at=timezone.now() if status == StoryStatus.PUBLISHED else None,
    )
    Step.objects.create(story=story, position=1, kind=StepKind.IMAGE, canvas=p1, region="40,100,300,400",
                        text=texts("The opening of the sūtra."))
    Step.objects.create(story=story, position=2, kind=StepKind.TEXT, canvas=p1, first_line=2, last_line=3,
                        text=texts("Two lines of the text, highlighted."))
    Step.objects.create(story=story, position=3, kind=StepKind.COMPARISON, canvas=p1, region="0,0,448,624",
                        canvas2=p2, region2="0,624,448,624", text=texts("The two pages side by side."))
    map_step = Step.objects.create(story=story, position=4, kind=StepKind.MAP, show_dispersal=True,
                                   text=texts("Found in the Library Cave, now in London."))
    map_step.places.set(Place.objects.filter(pid__in=["mogao-library-cave", "dunhuang"]))
    Step.objects.create(story=story, position=5, kind=StepKind.TIMELINE, year_start=868, year_end=868,
                        period=Period.objects.filter(pid="tang").first(), text=texts("Printed in 868, under the Tang."))
    Step.objects.create(story=story, position=6, kind=StepKind.MEDIA, canvas=p2, region="20,800,400,400",
                        audio=audio, captions=dict(VTT), text=texts("Listen to the colophon."))
    return story


def story_user(username: str, *, curator_of: Any = None, staff: bool = False) -> Any:
    from django.contrib.auth import get_user_model

    from mogao.accounts.models import Curatorship

    user = get_user_model().objects.create_user(username=username, password="pw-123456",
                                                is_staff=staff or curator_of is not None)
    if curator_of is not None:
        Curatorship.objects.create(user=user, institution=curator_of)
    return user
